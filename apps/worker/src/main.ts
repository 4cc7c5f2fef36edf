import { Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfigOrExit } from '../../../libs/config/index.js';
import { openConfiguredDatabase } from '../../../libs/database/index.js';
import { EventStore } from '../../../libs/event-store/index.js';
import { INLINE_PROJECTIONS, LessonReadModel } from '../../../libs/projections/index.js';
import {
  LogNotifier,
  WebhookNotifier,
  createOnboardingWorker,
  ensureSearchAttributes,
} from '../../../libs/temporal/index.js';

/**
 * The Temporal worker: runs onboarding workflows and their activities. Any number can
 * run side by side on one task queue; SIGINT/SIGTERM drain it gracefully.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
  const address = config.temporalAddress ?? '127.0.0.1:7233';
  const db = await openConfiguredDatabase(config);
  const client = await Connection.connect({ address });
  const added = await ensureSearchAttributes(client, config.temporalNamespace);
  if (added.length > 0) log('info', 'registered search attributes', { added });
  await client.close();

  const connection = await NativeConnection.connect({ address });
  const worker = await createOnboardingWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    dependencies: {
      store: new EventStore(db, INLINE_PROJECTIONS),
      lessons: new LessonReadModel(db),
      notifier: config.escalationWebhookUrl ? new WebhookNotifier(config.escalationWebhookUrl) : new LogNotifier(),
    },
  });
  log('info', 'worker polling', { address, namespace: config.temporalNamespace, taskQueue: config.temporalTaskQueue });
  try {
    await worker.run();
  } finally {
    await connection.close();
    await db.close();
  }
}

function log(level: string, msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'worker', msg, ...fields })}\n`);
}

main().catch((error: unknown) => {
  log('error', 'worker stopped', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
