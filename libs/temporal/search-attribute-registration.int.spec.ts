import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { startDevServer, type DevServer } from '../temporal-server/index.js';
import { SEARCH_ATTRIBUTE_TYPES } from './search-attributes.js';
import { ensureSearchAttributes } from './search-attribute-registration.js';

/** A fresh cluster needs no manual step: the worker adds what is missing, once. */
describe('registering the search attributes on a cluster that lacks them', () => {
  let server: DevServer;
  let connection: Connection;

  beforeAll(async () => {
    server = await startDevServer({
      projectRoot: fileURLToPath(new URL('../..', import.meta.url)),
      dbFilename: join(mkdtempSync(join(tmpdir(), 'ssc-sa-')), 'temporal.sqlite'),
      searchAttributes: {},
      log: () => undefined,
    });
    connection = await Connection.connect({ address: server.address });
  });
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('adds every missing attribute, and a second run adds nothing', async () => {
    const before = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(before.customAttributes ?? {})).not.toContain('OnboardingStage');

    const added = await ensureSearchAttributes(connection, 'default');
    expect(added.sort()).toEqual(Object.keys(SEARCH_ATTRIBUTE_TYPES).sort());
    const after = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(after.customAttributes ?? {})).toEqual(expect.arrayContaining(Object.keys(SEARCH_ATTRIBUTE_TYPES)));

    await expect(ensureSearchAttributes(connection, 'default')).resolves.toEqual([]);
  });
});
