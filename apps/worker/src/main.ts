import { Runtime } from '@temporalio/worker';
import { loadConfigOrExit, type AppConfig } from '../../../libs/config/index.js';
import { openConfiguredDatabase } from '../../../libs/database/index.js';
import { createJsonLogger, errorMessage } from '../../../libs/operations/index.js';
import { jsonRuntimeLogger } from './runtime-logger.js';
import { createWorkerSide } from './worker-side.js';

/**
 * The Temporal worker: runs onboarding workflows and their activities, sweeps Temporal
 * for stuck onboardings, and serves Prometheus metrics. Any number can run side by side
 * on one task queue; SIGINT/SIGTERM drain it gracefully.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createJsonLogger({ service: 'worker', level: config.logLevel });
  installRuntime(config, log);
  const db = await openConfiguredDatabase(config);
  try {
    const side = await createWorkerSide({ config, db, log });
    log.info('worker polling', {
      address: config.temporalTarget,
      namespace: config.temporalNamespace,
      taskQueue: config.temporalTaskQueue,
      identity: side.identity,
      ...(config.workerMetricsPort > 0 ? { metricsPort: config.workerMetricsPort } : {}),
    });
    await side.run();
  } finally {
    await db.close();
  }
}

/** JSON logs for the SDK too, and its Prometheus exporter (which also serves our gauges) on the metrics port. */
function installRuntime(config: AppConfig, log: ReturnType<typeof createJsonLogger>): void {
  Runtime.install({
    logger: jsonRuntimeLogger(log, config.logLevel),
    ...(config.workerMetricsPort > 0
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress: `0.0.0.0:${config.workerMetricsPort}`, countersTotalSuffix: true, useSecondsForDurations: true },
            },
          },
        }
      : {}),
  });
}

main().catch((error: unknown) => {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'error', service: 'worker', msg: 'worker stopped', error: errorMessage(error) })}\n`,
  );
  process.exit(1);
});
