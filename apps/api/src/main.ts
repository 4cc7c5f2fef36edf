import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../../../libs/config/index.js';
import { openConfiguredDatabase } from '../../../libs/database/index.js';
import { createApp } from './create-app.js';

/** The HTTP API: turns requests into workflow commands and answers reads from read models. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const address = config.temporalTarget;
  const db = await openConfiguredDatabase(config);
  const connection = await Connection.connect({ address });
  const app = await createApp({ config, db, temporal: new Client({ connection, namespace: config.temporalNamespace }) });
  await app.listen(config.port);
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'api', msg: 'listening', port: config.port })}\n`,
  );
  const stop = async () => {
    await app.close();
    await connection.close();
    await db.close();
  };
  process.once('beforeExit', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
