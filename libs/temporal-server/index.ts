export { startDevServer, type StartDevServerOptions } from './dev-server.js';
export { findTemporalCli, temporalCliCacheDir, type FindTemporalCliOptions } from './find-cli.js';
export {
  TEMPORAL_CLI_MODULE,
  TEMPORAL_CLI_VERSION,
  buildTemporalCliWithGo,
  type BuildTemporalCli,
} from './go-build.js';
export { stderrLog, type Log } from './log.js';
export { findFreePort, isAddressInUse, isPortFree } from './ports.js';
export type { DevServer, DevServerSearchAttributeType } from './types.js';
export {
  TEMPORAL_SERVER_VERSION,
  ensureTemporalServerBinaries,
  setupTemporalSchemas,
  startProductionServer,
  type ProductionServer,
  type StartProductionServerOptions,
  type TemporalPostgres,
} from './production-server.js';
