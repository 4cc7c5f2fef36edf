import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { isPortFree, startDevServer, type DevServer } from './index.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const ip = '127.0.0.1';

async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

function portOf(server: DevServer): number {
  return Number(server.address.split(':').pop());
}

describe('a Temporal dev server started by startDevServer', () => {
  let dataDir: string;
  let server: DevServer | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'dev-server-int-'));
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('registers the custom search attributes and frees its port when stopped', async () => {
    server = await startDevServer({
      projectRoot,
      ip,
      dbFilename: path.join(dataDir, 'temporal.sqlite'),
      searchAttributes: { ProbeCentre: 'Keyword', ProbeOverdue: 'Bool', ProbeDeadline: 'Datetime' },
    });

    const { customAttributes } = await withConnection(server.address, (connection) =>
      connection.operatorService.listSearchAttributes({ namespace: 'default' }),
    );
    expect(customAttributes).toMatchObject({
      ProbeCentre: encodeSearchAttributeIndexedValueType('KEYWORD'),
      ProbeOverdue: encodeSearchAttributeIndexedValueType('BOOL'),
      ProbeDeadline: encodeSearchAttributeIndexedValueType('DATETIME'),
    });

    await server.stop();
    await expect(isPortFree(ip, portOf(server))).resolves.toBe(true);
  });

  it('keeps workflows in its db file across a restart on the same port', async () => {
    const dbFilename = path.join(dataDir, 'temporal.sqlite');
    const workflowId = `unserved-${randomUUID()}`;
    server = await startDevServer({ projectRoot, ip, dbFilename });
    const port = portOf(server);
    await withConnection(server.address, (connection) =>
      new Client({ connection }).workflow.start('WorkflowNoWorkerServes', { taskQueue: 'nobody-polls', workflowId }),
    );
    await server.stop();

    server = await startDevServer({ projectRoot, ip, port, dbFilename });
    const description = await withConnection(server.address, (connection) =>
      new Client({ connection }).workflow.getHandle(workflowId).describe(),
    );

    expect(description.type).toBe('WorkflowNoWorkerServes');
    expect(description.status.name).toBe('RUNNING');
  });
});
