import { openDatabase, type SqlClient } from '../../../../libs/database/index.js';
import { databaseCases, uniqueSuffix } from '../../../../test/support/databases.js';
import { eventually } from '../../../../test/support/operations.js';
import { ApiError } from './api-error.js';
import { IdempotencyService, commandIdFor } from './idempotency.js';
import { IdempotencyKeyPurge } from './idempotency-purge.js';

const COMMAND_TIMEOUT_MS = 1000;
const RETENTION_MS = 3600_000;
const settings = { commandTimeoutMs: COMMAND_TIMEOUT_MS, idempotencyKeyRetentionMs: RETENTION_MS };

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
    first = new IdempotencyService(one, settings);
    second = new IdempotencyService(other, settings);
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

  /** The keys of a scope still stored, by name. */
  const keysOf = async (keyScope: string) =>
    (await dbs[0].query<{ idempotency_key: string }>(`SELECT idempotency_key FROM idempotency_keys WHERE scope = $1 ORDER BY idempotency_key`, [keyScope])).map(
      (row) => row.idempotency_key,
    );
  /** As if the key had first been used this long ago. */
  const firstUsedAgo = (keyScope: string, key: string, ms: number) =>
    dbs[0].query(`UPDATE idempotency_keys SET created_at = $1 WHERE scope = $2 AND idempotency_key = $3`, [new Date(Date.now() - ms).toISOString(), keyScope, key]);

  it('forgets a key first used longer ago than the retention window, keeping newer keys and a key still being worked on', async () => {
    const keyScope = scope();
    await first.run({ scope: keyScope, key: 'old', body: { n: 1 }, run: async () => 'old answer' });
    await first.run({ scope: keyScope, key: 'new', body: { n: 1 }, run: async () => 'new answer' });
    const { copy: busy, ends } = await firstCopyRunning(first, { scope: keyScope, key: 'busy', body: {} });
    await firstUsedAgo(keyScope, 'old', RETENTION_MS + 60_000);
    await firstUsedAgo(keyScope, 'new', RETENTION_MS - 60_000);
    await firstUsedAgo(keyScope, 'busy', RETENTION_MS + 60_000);

    await second.purgeExpired();

    await expect(keysOf(keyScope)).resolves.toEqual(['busy', 'new']);
    // Within the window the first answer stands; a forgotten key is new to this service (the command's id is what still makes it one command).
    await expect(second.run({ scope: keyScope, key: 'new', body: { n: 1 }, run: async () => 'ran twice' })).resolves.toEqual({ value: 'new answer', replayed: true });
    await expect(second.run({ scope: keyScope, key: 'old', body: { n: 2 }, run: async () => 'ran anew' })).resolves.toEqual({ value: 'ran anew', replayed: false });
    ends.open('busy answer');
    await expect(busy).resolves.toEqual({ value: 'busy answer', replayed: false });
  });

  it('purges by itself, again and again, while it runs', async () => {
    const retentionMs = 2000;
    const purge = new IdempotencyKeyPurge(new IdempotencyService(dbs[1], { ...settings, idempotencyKeyRetentionMs: retentionMs }), { idempotencyKeyRetentionMs: retentionMs });
    const keyScope = scope();
    purge.start();
    try {
      for (const key of ['first', 'second']) {
        await first.run({ scope: keyScope, key, body: {}, run: async () => key });
        await firstUsedAgo(keyScope, key, RETENTION_MS);
        await eventually(async () => !(await keysOf(keyScope)).includes(key), `the expired key ${key} to be purged`, 30_000, 100);
      }
    } finally {
      await purge.stop();
    }
  });
});
