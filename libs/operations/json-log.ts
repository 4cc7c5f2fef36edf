export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Readonly<Record<string, unknown>>;

/**
 * One JSON object per line on stdout, the shape log shippers expect: `time`, `level`,
 * `service`, `msg`, then fields such as `requestId` and `correlationId` that join an API
 * request to the workflow, the activity and the events it caused.
 */
export interface JsonLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  /** The same logger with these fields on every line. */
  child(fields: LogFields): JsonLogger;
}

export interface JsonLoggerOptions {
  readonly service: string;
  readonly level: LogLevel;
  /** Where lines go; stdout unless a test collects them. */
  readonly write?: (line: string) => void;
}

export function createJsonLogger(options: JsonLoggerOptions, bound: LogFields = {}): JsonLogger {
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const log = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (RANK[level] < RANK[options.level]) return;
    const entry = { time: new Date().toISOString(), level, service: options.service, msg, ...bound, ...serialisable(fields) };
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    log,
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createJsonLogger(options, { ...bound, ...serialisable(fields) }),
  };
}

/** Errors become `{ name, message }`; JSON.stringify would turn them into `{}`. */
function serialisable(fields: LogFields): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, value instanceof Error ? { name: value.name, message: value.message } : value]),
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
