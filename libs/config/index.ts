export { CONFIG_VARIABLES, loadConfig, loadConfigOrExit, ConfigError } from './config.js';
export type { AppConfig, OidcConfig } from './config.js';
