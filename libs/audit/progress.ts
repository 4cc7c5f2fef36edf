/** Long audit work reports here; the CLI draws a bar, the API ignores it. */
export interface Progress {
  start(total: number, unit: string): void;
  tick(count?: number): void;
  done(): void;
}
