export { CONFIG_VARIABLES, loadConfig, loadConfigOrExit } from './config.js';
export type { AppConfig, OidcConfig } from './config.js';
export { ConfigError } from './config-error.js';
export { GENERATED_SECRET_FILES, generatedSecretFile, type GeneratedSecret } from './generated-secrets.js';
