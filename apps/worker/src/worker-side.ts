import { hostname } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { AppConfig } from '../../../libs/config/index.js';
import type { SqlClient } from '../../../libs/database/index.js';
import { EventStore } from '../../../libs/event-store/index.js';
import { OnboardingGauges, StuckMonitor, activityObserver, createJsonLogger, type JsonLogger } from '../../../libs/operations/index.js';
import { INLINE_PROJECTIONS, LessonReadModel } from '../../../libs/projections/index.js';
import { LogNotifier, WebhookNotifier, createOnboardingWorker, ensureSearchAttributes, type Notifier } from '../../../libs/temporal/index.js';

export interface WorkerSideOptions {
  readonly config: AppConfig;
  /** The product's database; the caller opened it and closes it. */
  readonly db: SqlClient;
  readonly log?: JsonLogger;
  /** Where escalations go; by default ESCALATION_WEBHOOK_URL's webhook, or the log without one. */
  readonly notifier?: Notifier;
  /** A bundle built beforehand (tests share one); by default workflows/ is bundled at start. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
  /** The identity the worker polls with and holds the sweep lease as; by default `pid@host`. */
  readonly identity?: string;
  /**
   * Sweep Temporal for stuck onboardings (on by default). Tests that drive the sweep
   * themselves turn it off, so no second holder competes for the lease.
   */
  readonly stuckSweep?: boolean;
}

/** The worker side of the product, assembled and not yet polling. */
export interface WorkerSide {
  readonly worker: Worker;
  readonly identity: string;
  readonly store: EventStore;
  /** Polls until `stop()` (or SIGINT/SIGTERM) has drained it, then stops the sweep and gauges and closes its Temporal connections. */
  run(): Promise<void>;
  /** Drains a running worker and waits for `run()` to end; closes the connections of one that never ran. */
  stop(): Promise<void>;
}

/**
 * Everything a worker process runs, wired once for the worker entry point, the test stack
 * and the bench: the search attributes registered, the event store with its inline
 * projections, the lessons library, the notifier, the activities and the onboarding
 * worker, the activity observer feeding the stuck sweep, and the Prometheus gauges when
 * WORKER_METRICS_PORT is on (their exporter is the Runtime's, installed by the process).
 */
export async function createWorkerSide(options: WorkerSideOptions): Promise<WorkerSide> {
  const { config, db } = options;
  const log = options.log ?? createJsonLogger({ service: 'worker', level: config.logLevel });
  const identity = options.identity ?? `${process.pid}@${hostname()}`;
  const address = config.temporalTarget;

  const clientConnection = await Connection.connect({ address });
  let connection: NativeConnection | undefined;
  try {
    const added = await ensureSearchAttributes(clientConnection, config.temporalNamespace);
    if (added.length > 0) log.info('registered search attributes', { added });

    const monitor =
      options.stuckSweep === false
        ? undefined
        : new StuckMonitor({
            client: new Client({ connection: clientConnection, namespace: config.temporalNamespace }),
            db,
            namespace: config.temporalNamespace,
            taskQueue: config.temporalTaskQueue,
            intervalMs: config.stuckSweepIntervalMs,
            batchSize: config.stuckSweepBatch,
            holder: identity,
            log,
          });
    const gauges = config.workerMetricsPort > 0 ? new OnboardingGauges(Runtime.instance().metricMeter, db, config.decisionWaitLimitMs, log) : undefined;
    const store = new EventStore(db, INLINE_PROJECTIONS);

    connection = await NativeConnection.connect({ address });
    const worker = await createOnboardingWorker({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.temporalTaskQueue,
      identity,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
      dependencies: {
        store,
        lessons: new LessonReadModel(db),
        notifier: options.notifier ?? (config.escalationWebhookUrl ? new WebhookNotifier(config.escalationWebhookUrl) : new LogNotifier()),
        escalationRepeat: config.escalationRepeat,
        pausedCatchUpIntervalMs: config.pausedCatchUpIntervalMs,
      },
      activityInterceptors: [activityObserver({ log, onAttemptFailed: (workflowId, at) => monitor?.suspect(workflowId, at) })],
    });
    const nativeConnection = connection;
    let closed: Promise<void> | undefined;
    const close = () =>
      (closed ??= (async () => {
        gauges?.stop();
        await monitor?.stop();
        await nativeConnection.close();
        await clientConnection.close();
      })());
    let running: Promise<void> | undefined;

    return {
      worker,
      identity,
      store,
      run() {
        running ??= (async () => {
          monitor?.start();
          gauges?.start(Math.min(config.stuckSweepIntervalMs, 15_000));
          try {
            await worker.run();
          } finally {
            await close();
          }
        })();
        return running;
      },
      async stop() {
        if (running === undefined) return close();
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    };
  } catch (error) {
    await connection?.close();
    await clientConnection.close();
    throw error;
  }
}
