import { IdempotencyService, commandIdFor } from '../../apps/api/src/common/idempotency.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { OnboardingGateway } from '../../libs/temporal/index.js';
import { recordHistoryIfAsked } from '../support/history-recorder.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

describe('the onboarding lifecycle through HTTP, Temporal and the event store', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ database: 'postgres' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const department = async (extra: object = {}) => {
    const driver = new OnboardingDriver(stack, uniqueCode());
    await driver.register(extra);
    return driver;
  };

  it('takes a department from LESSONS to CLOSED, with savings recorded in LIVE', async () => {
    const d = await department();
    await d.passLessons();
    await d.passReadiness();
    await d.passMigration();
    await d.passGoLive();

    const live = await d.get();
    expect(live.body).toMatchObject({ stage: 'LIVE', plannedGoLive: '2027-04-01' });
    expect(live.body.actualGoLive).toMatch(/^\d{4}-\d{2}-\d{2}/);

    const saving = await d.expectOk(
      d.command('savings', d.lead, { period: '2027-Q3', amountGbp: 1234567.89, attribution: 'programme', evidenceRef: 'ledger/2027-Q3' }),
    );
    expect(saving.body.department.savings).toEqual([expect.objectContaining({ period: '2027-Q3', amountGbp: 1234567.89, attribution: 'programme' })]);
    expect(saving.body.events[0].data.amountPence).toBe(123456789);

    const closed = await d.expectOk(d.command('close', d.programme, { reason: 'benefits tracking complete' }));
    expect(closed.body.department.stage).toBe('CLOSED');

    const events = await stack.store.readStream(streamIdFor(d.code));
    expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['StageAdvanced', 'SavingsRecorded', 'OnboardingClosed']));

    const handle = stack.temporal.workflow.getHandle(`onboarding-${d.code}`);
    await expect(handle.result()).resolves.toMatchObject({ stage: 'CLOSED' });
    await recordHistoryIfAsked(stack.temporal, `onboarding-${d.code}`, 'happy-path');

    const after = await d.command('pause', d.programme, { reason: 'too late' });
    expect(after.status).toBe(422);
    expect(after.body.code).toBe('department-finished');
  });

  describe('refuses an advance with every unmet gate named', () => {
    it('LESSONS: no assessment, then a score below 3', async () => {
      const d = await department();
      const none = await d.advance('LESSONS');
      expect(none.status).toBe(422);
      expect(none.body.details.unmetGates).toEqual(['assessment-recorded', 'assessment-score-at-least-3']);

      await d.expectOk(d.command('assessment', d.lead, { sro: 'Sam', score: 2, contractManagementFte: 1 }));
      const weak = await d.advance('LESSONS');
      expect(weak.status).toBe(422);
      expect(weak.body.details.unmetGates).toEqual(['assessment-score-at-least-3']);
    });

    it('LESSONS: a mandatory lesson added after registration blocks the advance until acknowledged', async () => {
      const d = await department({ centre: `C${d0()}` });
      const centre = (await d.get()).body.centre as string;
      await d.expectOk(d.command('assessment', d.lead, { sro: 'Sam', score: 5, contractManagementFte: 2 }));
      const lesson = await d.expectOk(
        d.post('/api/lessons', d.programme, { title: 'Run payroll in parallel', body: 'Two cycles at least.', tags: ['payroll'], centre, mandatory: true, sourceDepartment: 'HMRC' }),
      );
      const lessonId = lesson.body.lesson.id as string;

      const blocked = await d.advance('LESSONS');
      expect(blocked.status).toBe(422);
      expect(blocked.body.details.unmetGates).toEqual(['mandatory-lessons-acknowledged']);

      await d.expectOk(d.command(`lessons/${lessonId}/acknowledge`, d.lead));
      const advanced = await d.expectOk(d.advance('LESSONS'));
      expect(advanced.body.department.stage).toBe('READINESS');
    });

    describe('LESSONS: decided on the library as it stands, whatever lessons the command carries', () => {
      const gateway = () => new OnboardingGateway(stack.temporal, stack.config.temporalTaskQueue, 20_000);
      const programme = { actor: { sub: 'programme-user', role: 'programme' } };
      const advanceCarrying = (code: string, mandatoryLessonIds: string[]) =>
        gateway().execute(code, { type: 'AdvanceStage', from: 'LESSONS', mandatoryLessonIds }, programme);
      const assessedWithLesson = async (mandatory: boolean) => {
        const d = await department({ centre: `C${d0()}` });
        await d.expectOk(d.command('assessment', d.lead, { sro: 'Sam', score: 5, contractManagementFte: 2 }));
        const centre = (await d.get()).body.centre as string;
        const lesson = await d.expectOk(
          d.post('/api/lessons', d.programme, { title: 'Reconcile twice', body: 'Before and after.', tags: ['payroll'], centre, mandatory, sourceDepartment: 'HMRC' }),
        );
        return { d, lessonId: lesson.body.lesson.id as string };
      };

      it('an acknowledged mandatory lesson the command left out is recorded in the advance', async () => {
        const { d, lessonId } = await assessedWithLesson(true);
        await d.expectOk(d.command(`lessons/${lessonId}/acknowledge`, d.lead));

        const result = await advanceCarrying(d.code, []);

        expect(result.department.stage).toBe('READINESS');
        expect(result.events).toEqual([expect.objectContaining({ type: 'StageAdvanced', data: expect.objectContaining({ mandatoryLessonIds: [lessonId] }) })]);
        await recordHistoryIfAsked(stack.temporal, `onboarding-${d.code}`, 'advance-after-the-lessons-moved');
      });

      it('an unacknowledged mandatory lesson the command left out refuses the advance and appends nothing', async () => {
        const { d } = await assessedWithLesson(true);
        const before = await stack.store.readStream(streamIdFor(d.code));

        const refused = await advanceCarrying(d.code, []).then(
          () => undefined,
          (error: unknown) => error,
        );

        expect(refused).toMatchObject({ code: 'gates-unmet', details: expect.objectContaining({ unmetGates: ['mandatory-lessons-acknowledged'] }) });
        expect(await stack.store.readStream(streamIdFor(d.code))).toHaveLength(before.length);
        expect((await d.get()).body.stage).toBe('LESSONS');
      });

      it('a lesson the command calls mandatory that the library does not is no gate', async () => {
        const { d, lessonId } = await assessedWithLesson(false);

        const result = await advanceCarrying(d.code, [lessonId]);

        expect(result.department.stage).toBe('READINESS');
        expect(result.events).toEqual([expect.objectContaining({ type: 'StageAdvanced', data: expect.objectContaining({ mandatoryLessonIds: [] }) })]);
      });
    });

    it('READINESS: no baseline and an undecided deviation', async () => {
      const d = await department();
      await d.passLessons();
      const deviation = await d.expectOk(
        d.command('deviations', d.lead, { area: 'payroll', description: 'keep our payroll calendar', justification: 'union agreement' }),
      );
      const refused = await d.advance('READINESS');
      expect(refused.status).toBe(422);
      expect(refused.body.details.unmetGates).toEqual(['baseline-recorded', 'deviations-decided']);

      const deviationId = deviation.body.department.deviations[0].id as string;
      await d.expectOk(d.command(`deviations/${deviationId}/decision`, d.programme, { decision: 'rejected', reason: 'standard calendar' }));
      await d.passReadiness();
      expect((await d.get()).body.stage).toBe('MIGRATION');
    });

    it('MIGRATION: missing and unreconciled workstreams', async () => {
      const d = await department();
      await d.passLessons();
      await d.passReadiness();
      await d.expectOk(d.command('migration/payroll', d.centre, { recordsExtracted: 100, recordsLoaded: 99, evidenceRef: 'recon/payroll' }));
      const refused = await d.advance('MIGRATION');
      expect(refused.status).toBe(422);
      // Payroll is complete but not reconciled; the other three are neither.
      expect(refused.body.details.unmetGates).toEqual([
        'workstream-hr-complete',
        'workstream-hr-reconciled',
        'workstream-finance-complete',
        'workstream-finance-reconciled',
        'workstream-payroll-reconciled',
        'workstream-procurement-complete',
        'workstream-procurement-reconciled',
      ]);
    });

    it('GO_LIVE: a no-go followed by a go; the latest decision of each role counts', async () => {
      const d = await department();
      await d.passLessons();
      await d.passReadiness();
      await d.passMigration();
      await d.expectOk(d.command('go-live/decisions', d.centre, { as: 'centre', decision: 'no-go', reason: 'helpdesk not staffed' }));
      const refused = await d.advance('GO_LIVE');
      expect(refused.status).toBe(422);
      expect(refused.body.details.unmetGates).toEqual(['go-decision-department-sro', 'go-decision-centre', 'go-decision-programme']);
      await d.passGoLive();
      expect((await d.get()).body.stage).toBe('LIVE');
    });
  });

  it('refuses an advance from a stage the department is not in, with 409', async () => {
    const d = await department();
    const wrong = await d.advance('MIGRATION');
    expect(wrong.status).toBe(409);
    expect(wrong.body.code).toBe('stage-mismatch');
  });

  it('withdraws a department during migration and completes its workflow', async () => {
    const d = await department();
    await d.passLessons();
    await d.passReadiness();
    const withdrawn = await d.expectOk(d.command('withdraw', d.programme, { reason: 'machinery of government change', category: 'merged' }));
    expect(withdrawn.body.department.stage).toBe('WITHDRAWN');
    await expect(stack.temporal.workflow.getHandle(`onboarding-${d.code}`).result()).resolves.toMatchObject({ stage: 'WITHDRAWN' });
    expect((await d.get()).body.stage).toBe('WITHDRAWN');
  });

  it('marks a department overdue when a short stage deadline passes, and it stays in its stage', async () => {
    const d = await department({ deadlines: { LESSONS: 'PT2S' } });
    const overdue = await eventually(async () => {
      const view = await d.get();
      return view.body.overdue === true ? view.body : undefined;
    });
    expect(overdue).toMatchObject({ stage: 'LESSONS', overdue: true });
    expect(overdue.missedDeadlines).toEqual([expect.objectContaining({ stage: 'LESSONS' })]);
    const types = (await stack.store.readStream(streamIdFor(d.code))).map((event) => event.type);
    expect(types).toContain('StageDeadlineMissed');
    await eventually(async () => ((await stack.temporal.workflow.getHandle(`onboarding-${d.code}`).describe()).raw.pendingActivities?.length === 0 ? true : undefined));
    await recordHistoryIfAsked(stack.temporal, `onboarding-${d.code}`, 'deadline-missed');
  });

  it('a pause blocks an advance and stops the clock; resume restarts it', async () => {
    const d = await department();
    await d.expectOk(d.command('assessment', d.lead, { sro: 'Jane', score: 4, contractManagementFte: 1 }));
    const paused = await d.expectOk(d.command('pause', d.operations, { reason: 'data protection review' }));
    expect(paused.body.department).toMatchObject({ paused: true, stageDeadlineAt: null });

    const blocked = await d.advance('LESSONS');
    expect(blocked.status).toBe(422);
    expect(blocked.body.code).toBe('department-paused');

    const resumed = await d.expectOk(d.command('resume', d.operations, { reason: 'review done' }));
    expect(resumed.body.department.paused).toBe(false);
    expect(resumed.body.department.stageDeadlineAt).not.toBeNull();
    await d.expectOk(d.advance('LESSONS'));
  });

  it('gives contiguous versions and a consistent read model under 20 concurrent commands', async () => {
    const d = await department();
    await d.passLessons();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        d.command('deviations', d.lead, { area: `area-${index}`, description: 'local variation', justification: 'legacy contract' }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array(20).fill(200));

    const events = await stack.store.readStream(streamIdFor(d.code));
    expect(events.map((event) => event.version)).toEqual(events.map((_, index) => index + 1));
    expect(events.filter((event) => event.type === 'DeviationRequested')).toHaveLength(20);
    const view = (await d.get()).body;
    expect(view.version).toBe(events.length);
    expect(view.deviations).toHaveLength(20);
  });

  describe('Idempotency-Key', () => {
    it('returns the first result for the same key and appends once', async () => {
      const d = await department();
      await d.passLessons();
      const body = { area: 'hr', description: 'keep local HR system', justification: 'contract runs to 2028' };
      const first = await d.expectOk(d.command('deviations', d.lead, body, { 'Idempotency-Key': `dev-${d.code}` }));
      const again = await d.command('deviations', d.lead, body, { 'Idempotency-Key': `dev-${d.code}` });

      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const requested = (await stack.store.readStream(streamIdFor(d.code))).filter((event) => event.type === 'DeviationRequested');
      expect(requested).toHaveLength(1);
    });

    it('answers a retry with the first result when the first answer was lost after the command went through', async () => {
      const d = await department();
      await d.passLessons();
      await d.passReadiness();
      // The withdrawal reached the workflow, but its HTTP answer never did (a 503 after a crash).
      const commandId = commandIdFor(`programme-user|POST /api/departments/${d.code}/withdraw`, 'withdraw-1');
      await new OnboardingGateway(stack.temporal, stack.config.temporalTaskQueue, 20_000).execute(
        d.code,
        { type: 'WithdrawDepartment', reason: 'spending review', category: 'in-house' },
        { actor: { sub: 'programme-user', role: 'programme' }, commandId },
        commandId,
      );

      const retry = await d.command('withdraw', d.programme, { reason: 'spending review', category: 'in-house' }, { 'Idempotency-Key': 'withdraw-1' });

      expect(retry.status).toBe(200);
      expect(retry.body.department.stage).toBe('WITHDRAWN');
      expect(retry.body.events).toEqual([expect.objectContaining({ type: 'DepartmentWithdrawn', metadata: expect.objectContaining({ commandId }) })]);
      const withdrawals = (await stack.store.readStream(streamIdFor(d.code))).filter((event) => event.type === 'DepartmentWithdrawn');
      expect(withdrawals).toHaveLength(1);
    });

    it('still appends nothing for a command sent again after IDEMPOTENCY_KEY_RETENTION purged its key: its events are found by its id', async () => {
      const d = await department();
      await d.passLessons();
      const body = { area: 'finance', description: 'keep the local ledger', justification: 'year-end close' };
      const key = `late-${d.code}`;
      const first = await d.expectOk(d.command('deviations', d.lead, body, { 'Idempotency-Key': key }));
      const longAgo = new Date(Date.now() - stack.config.idempotencyKeyRetentionMs - 60_000).toISOString();
      await stack.db.query(`UPDATE idempotency_keys SET created_at = $1 WHERE idempotency_key = $2`, [longAgo, key]);
      await stack.app.get(IdempotencyService).purgeExpired();
      await expect(stack.db.query(`SELECT scope FROM idempotency_keys WHERE idempotency_key = $1`, [key])).resolves.toEqual([]);

      const again = await d.command('deviations', d.lead, body, { 'Idempotency-Key': key });

      expect(again.status).toBe(200);
      expect(again.body.events).toEqual(first.body.events);
      expect(again.body.department.version).toBe(first.body.department.version);
      const requested = (await stack.store.readStream(streamIdFor(d.code))).filter((event) => event.type === 'DeviationRequested');
      expect(requested).toHaveLength(1);
    });

    it('refuses the same key with another body with 409', async () => {
      const d = await department();
      await d.passLessons();
      await d.expectOk(d.command('baseline', d.lead, { annualCostGbp: 10, implementationCostGbp: 1, headcountServed: 1 }, { 'Idempotency-Key': 'k1' }));
      const reused = await d.command('baseline', d.lead, { annualCostGbp: 20, implementationCostGbp: 1, headcountServed: 1 }, { 'Idempotency-Key': 'k1' });
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('idempotency-key-reused');
    });
  });
});

let seq = 0;
function d0(): string {
  seq += 1;
  return `${Date.now() % 100000}${seq}`;
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
