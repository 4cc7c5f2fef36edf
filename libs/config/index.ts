export { CONFIG_VARIABLES, generatedAuditSigningKeyFile, loadConfig, loadConfigOrExit, ConfigError } from './config.js';
export type { AppConfig, OidcConfig } from './config.js';
