import { openDatabase, type SqlClient } from '../../../../libs/database/index.js';
import { databaseCases, uniqueSuffix } from '../../../../test/support/databases.js';
import { ApiError } from './api-error.js';
import { IdempotencyService, commandIdFor } from './idempotency.js';

const COMMAND_TIMEOUT_MS = 1000;

/** Resolves when told to, so a test decides how long the first copy of a command takes. */
function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

type Call = { readonly scope: string; readonly key: string; readonly body: unknown };

/** A first copy of the command, once it holds the key and runs: it ends when the test says. */
async function firstCopyRunning(service: IdempotencyService, call: Call, runs: (string | undefined)[] = []) {
  const running = gate<void>();
  const ends = gate<string>();
  const copy = service.run({
    ...call,
    run: (id) => {
      runs.push(id);
      running.open();
      return ends.promise;
    },
  });
  await running.promise;
  return { copy, ends };
}

async function refusal(work: Promise<unknown>): Promise<ApiError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

/**
 * Two API processes are two IdempotencyServices on two connections to one database: a key
 * being worked on by one is not run by the other, on PostgreSQL and on SQLite alike.
 */
describe.each(databaseCases())('Idempotency-Key claims across two API processes ($name)', (database) => {
  let dbs: SqlClient[];
  let first: IdempotencyService;
  let second: IdempotencyService;
  const scope = () => `tester-${uniqueSuffix()}|POST /api/test`;

  beforeAll(async () => {
    const one = await database.open();
    // The second process opens the same database: the same PostgreSQL, or the first's SQLite file.
    const other = database.name === 'postgres' ? await database.open() : await openDatabase({ sqliteFile: one.dataSource.options.database as string });
    dbs = [one, other];
    first = new IdempotencyService(one, { commandTimeoutMs: COMMAND_TIMEOUT_MS });
    second = new IdempotencyService(other, { commandTimeoutMs: COMMAND_TIMEOUT_MS });
  });
  afterAll(async () => {
    for (const db of dbs ?? []) await db.close();
  });

  it('runs a command once while a copy waits, and answers the copy with the first result', async () => {
    const call = { scope: scope(), key: 'k-1', body: { reason: 'same' } };
    const runs: (string | undefined)[] = [];
    const { copy: firstCopy, ends } = await firstCopyRunning(first, call, runs);
    const secondCopy = second.run({ ...call, run: async (id) => (runs.push(id), 'second run') });
    await new Promise((resolve) => setTimeout(resolve, 200));
    ends.open('first result');

    await expect(firstCopy).resolves.toEqual({ value: 'first result', replayed: false });
    await expect(secondCopy).resolves.toEqual({ value: 'first result', replayed: true });
    expect(runs).toEqual([commandIdFor(call.scope, call.key)]);
  });

  it('refuses the key with another body at once while the first is still running', async () => {
    const call = { scope: scope(), key: 'k-2', body: { n: 1 } };
    const { copy: firstCopy, ends } = await firstCopyRunning(first, call);

    const refused = await refusal(second.run({ ...call, body: { n: 2 }, run: async () => 'ran' }));
    expect([refused.getStatus(), refused.code]).toEqual([409, 'idempotency-key-reused']);
    ends.open('first result');
    await firstCopy;
  });

  it('lets a waiting copy run the command itself when the first copy fails', async () => {
    const call = { scope: scope(), key: 'k-3', body: {} };
    const { copy: firstCopy, ends } = await firstCopyRunning(first, call);
    const secondCopy = second.run({ ...call, run: async () => 'second run' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    ends.fail(new ApiError(503, 'temporal-unavailable', 'the workflow service did not answer'));

    await expect(firstCopy).rejects.toThrow('the workflow service did not answer');
    await expect(secondCopy).resolves.toEqual({ value: 'second run', replayed: false });
  });

  it('answers 503 idempotency-key-in-progress within COMMAND_TIMEOUT_MS while the holder is silent, and takes its claim over once it has lapsed', async () => {
    const call = { scope: scope(), key: 'k-4', body: {} };
    // The holder's process died with the request in flight: it never answers.
    await firstCopyRunning(first, call);

    const started = Date.now();
    const busy = await refusal(second.run({ ...call, run: async () => 'ran too early' }));
    expect([busy.getStatus(), busy.code]).toEqual([503, 'idempotency-key-in-progress']);
    expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS);

    // COMMAND_TIMEOUT_MS and the margin later, the claim has lapsed: one copy takes it over and runs.
    await new Promise((resolve) => setTimeout(resolve, COMMAND_TIMEOUT_MS + 5_000));
    const runs: string[] = [];
    const copies = await Promise.all([first, second].map((service, index) => service.run({ ...call, run: async () => (runs.push(`copy ${index}`), `copy ${index}`) })));
    expect(runs).toHaveLength(1);
    expect(copies.map((copy) => copy.value)).toEqual([runs[0], runs[0]]);
  });
});
