/** The type names `temporal server start-dev --search-attribute Name=Type` accepts. */
export type DevServerSearchAttributeType =
  | 'Keyword'
  | 'Bool'
  | 'Datetime'
  | 'Int'
  | 'Double'
  | 'Text'
  | 'KeywordList';

export interface DevServer {
  /** gRPC frontend, `host:port`. */
  readonly address: string;
  /** Set when the server was started with its web UI. */
  readonly uiUrl?: string;
  /** Stops the server and waits until it is gone; safe to call more than once. */
  stop(): Promise<void>;
}

/** Start-up settings with every default already resolved (ports chosen, etc.). */
export interface DevServerSettings {
  readonly ip: string;
  readonly port: number;
  readonly uiPort?: number;
  readonly headless: boolean;
  readonly dbFilename?: string;
  readonly namespace: string;
  readonly searchAttributes: Readonly<Record<string, DevServerSearchAttributeType>>;
  /** Server dynamic config, e.g. `limit.historyCount.suggestContinueAsNew` for tests. */
  readonly dynamicConfig: Readonly<Record<string, string | number | boolean>>;
  readonly readyTimeoutMs: number;
}

/** `--dynamic-config-value` arguments; values are JSON, as the server reads them. */
export function dynamicConfigArgs(settings: DevServerSettings): string[] {
  return Object.entries(settings.dynamicConfig).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

export function frontendAddress(ip: string, port: number): string {
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '::1' : ip;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function uiUrlOf(settings: DevServerSettings): string | undefined {
  if (settings.headless || settings.uiPort === undefined) return undefined;
  const host = frontendAddress(settings.ip, settings.uiPort);
  return `http://${host}`;
}
