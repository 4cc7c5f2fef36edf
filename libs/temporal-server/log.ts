/** Where progress and diagnostics go; one line per call, no trailing newline. */
export type Log = (message: string) => void;

export const stderrLog: Log = (message) => {
  process.stderr.write(`${message}\n`);
};
