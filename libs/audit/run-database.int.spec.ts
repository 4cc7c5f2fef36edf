import { DEPARTMENT_STREAM_PREFIX, DepartmentReadModel } from '../projections/index.js';
import { streamIdFor } from '../domain/index.js';
import { OnboardingDriver } from '../../test/support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../../test/support/stack.js';
import { departmentStateAt, IntegrityChecker } from './index.js';

/**
 * Over the run's shared PostgreSQL database, as every integration test before this one
 * left it (tests that tamper use databases of their own): every stream's chain verifies,
 * and every department folded at its head with the workflow's evolve is exactly its read
 * model. So that the checks can never pass by finding nothing, this file first drives
 * departments of its own through the product (one live, one withdrawn, one just
 * registered) and requires the checks to have looked at them.
 */
describe("the integration run's own event store", () => {
  let stack: Stack;
  let seeded: OnboardingDriver[];

  beforeAll(async () => {
    stack = await startStack({ database: 'postgres' });
    const [live, withdrawn, registered] = [uniqueCode('RD'), uniqueCode('RD'), uniqueCode('RD')].map((code) => new OnboardingDriver(stack, code));
    seeded = [live, withdrawn, registered];
    for (const department of seeded) await department.register();
    await live.passLessons();
    await live.passReadiness();
    await live.passMigration();
    await live.passGoLive();
    await live.expectOk(live.command('savings', live.lead, { period: '2027-Q2', amountGbp: 99.99, attribution: 'programme', evidenceRef: 'ledger' }));
    await withdrawn.passLessons();
    await withdrawn.expectOk(withdrawn.command('withdraw', withdrawn.programme, { reason: 'moving in-house', category: 'in-house' }));
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('holds only streams whose hash chain verifies, the seeded ones among them', async () => {
    const results = await new IntegrityChecker(stack.db).verifyAll();

    expect(results.filter((result) => !result.valid)).toEqual([]);
    const checked = new Map(results.map((result) => [result.streamId, result.checkedEvents]));
    const expected = await Promise.all(seeded.map(async (department) => [streamIdFor(department.code), (await stack.store.readStream(streamIdFor(department.code))).length]));
    expect(expected.map(([streamId]) => [streamId, checked.get(streamId as string)])).toEqual(expected);
    expect(expected.map(([, length]) => (length as number) > 0)).toEqual([true, true, true]);
  });

  it('folds every department, at its head, to exactly its read model', async () => {
    const departments = await new DepartmentReadModel(stack.db).list();
    const mismatches: string[] = [];
    for (const department of departments) {
      const head = await departmentStateAt(stack.db, department.code, {});
      if (!head?.matchesReadModel) mismatches.push(`${department.code} at version ${head?.version}`);
    }

    expect(mismatches).toEqual([]);
    const stages = new Map(departments.map((department) => [department.code, department.stage]));
    expect(seeded.map((department) => stages.get(department.code))).toEqual(['LIVE', 'WITHDRAWN', 'LESSONS']);
  });

  it('has a read model row for every stream that registers a department', async () => {
    // Event store tests append bare events under department- ids; only registrations make departments.
    const registered = await stack.db.query<{ stream_id: string }>(
      `SELECT stream_id FROM events WHERE stream_id LIKE $1 AND version = 1 AND type = 'DepartmentRegistered'`,
      [`${DEPARTMENT_STREAM_PREFIX}%`],
    );
    const registeredCodes = registered.map((row) => row.stream_id.slice(DEPARTMENT_STREAM_PREFIX.length));
    const codes = new Set((await new DepartmentReadModel(stack.db).list()).map((department) => department.code));

    expect(registeredCodes.filter((code) => !codes.has(code))).toEqual([]);
    expect(seeded.map((department) => registeredCodes.includes(department.code))).toEqual([true, true, true]);
  });
});
