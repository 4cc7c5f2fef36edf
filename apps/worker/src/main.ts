import { hostname } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit, type AppConfig } from '../../../libs/config/index.js';
import { openConfiguredDatabase } from '../../../libs/database/index.js';
import { EventStore } from '../../../libs/event-store/index.js';
import { OnboardingGauges, StuckMonitor, activityObserver, createJsonLogger, errorMessage } from '../../../libs/operations/index.js';
import { INLINE_PROJECTIONS, LessonReadModel } from '../../../libs/projections/index.js';
import {
  LogNotifier,
  WebhookNotifier,
  createOnboardingWorker,
  ensureSearchAttributes,
} from '../../../libs/temporal/index.js';
import { jsonRuntimeLogger } from './runtime-logger.js';

/**
 * The Temporal worker: runs onboarding workflows and their activities, sweeps Temporal
 * for stuck onboardings, and serves Prometheus metrics. Any number can run side by side
 * on one task queue; SIGINT/SIGTERM drain it gracefully.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createJsonLogger({ service: 'worker', level: config.logLevel });
  installRuntime(config, log);
  const address = config.temporalTarget;
  const db = await openConfiguredDatabase(config);
  const clientConnection = await Connection.connect({ address });
  const added = await ensureSearchAttributes(clientConnection, config.temporalNamespace);
  if (added.length > 0) log.info('registered search attributes', { added });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace });

  const identity = `${process.pid}@${hostname()}`;
  const monitor = new StuckMonitor({
    client,
    db,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    intervalMs: config.stuckSweepIntervalMs,
    batchSize: config.stuckSweepBatch,
    holder: identity,
    log,
  });
  const gauges = config.workerMetricsPort > 0 ? new OnboardingGauges(Runtime.instance().metricMeter, db, config.decisionWaitLimitMs, log) : undefined;

  const connection = await NativeConnection.connect({ address });
  const worker = await createOnboardingWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    identity,
    dependencies: {
      store: new EventStore(db, INLINE_PROJECTIONS),
      lessons: new LessonReadModel(db),
      notifier: config.escalationWebhookUrl ? new WebhookNotifier(config.escalationWebhookUrl) : new LogNotifier(),
      escalationRepeat: config.escalationRepeat,
    },
    activityInterceptors: [activityObserver({ log, onAttemptFailed: (workflowId, at) => monitor.suspect(workflowId, at) })],
  });
  monitor.start();
  gauges?.start(Math.min(config.stuckSweepIntervalMs, 15_000));
  log.info('worker polling', {
    address,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    identity,
    ...(config.workerMetricsPort > 0 ? { metricsPort: config.workerMetricsPort } : {}),
  });
  try {
    await worker.run();
  } finally {
    gauges?.stop();
    await monitor.stop();
    await connection.close();
    await clientConnection.close();
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
