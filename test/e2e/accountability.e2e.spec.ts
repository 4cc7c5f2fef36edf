import { streamIdFor } from '../../libs/domain/index.js';
import { recordHistoryIfAsked } from '../support/history-recorder.js';
import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

/**
 * The cost and benefit ledger, re-planning, exits and escalation through HTTP, Temporal and
 * the event store: each new endpoint accepts what it should, refuses what it should with
 * nothing written, and leaves the facts in hash-chained streams.
 */
describe('programme accountability through the API', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { ESCALATION_REPEAT: 'PT2S' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const department = async (extra: object = {}) => {
    const d = new OnboardingDriver(stack, uniqueCode('ACC'));
    await d.register(extra);
    return d;
  };
  const types = async (code: string) => (await stack.store.readStream(streamIdFor(code))).map((event) => event.type);
  const cost = { period: '2027-Q1', amountGbp: 12_500.75, borneBy: 'supplier', category: 'data migration', evidenceRef: 'invoices/42' };

  describe('costs', () => {
    it("records a department's cost in its stream, in pounds on the wire and pence in the event", async () => {
      const d = await department();
      const response = await d.expectOk(d.command('costs', d.lead, cost));
      expect(response.body.events).toEqual([
        expect.objectContaining({ type: 'CostIncurred', data: expect.objectContaining({ amountPence: 12_500_75, borneBy: 'supplier', period: '2027-Q1' }) }),
      ]);
      expect(response.body.department.costs).toEqual([expect.objectContaining({ amountGbp: 12_500.75, category: 'data migration' })]);
      const centre = await d.expectOk(d.command('costs', d.centre, { ...cost, borneBy: 'centre', amountGbp: 1 }));
      expect(centre.body.events[0].data.borneBy).toBe('centre');
    });

    it('records centre and programme costs in their own hash-chained streams', async () => {
      const centreName = uniqueCode('C');
      const centreToken = stack.token('centre', [centreName]);
      const first = await stack.http.post(`/api/centres/${centreName.toLowerCase()}/costs`).set('Authorization', `Bearer ${centreToken}`).send({ ...cost, borneBy: 'centre' });
      expect(first.status).toBe(200);
      const second = await stack.http
        .post(`/api/centres/${centreName}/costs`)
        .set('Authorization', `Bearer ${stack.token('programme')}`)
        .send({ ...cost, amountGbp: 99.99 });
      expect(second.status).toBe(200);
      expect(second.body.stream).toBe(`centre-${centreName}`);
      const [a, b] = await stack.store.readStream(`centre-${centreName}`);
      expect([a.version, b.version, b.prevHash]).toEqual([1, 2, a.hash]);
      expect(b.data).toMatchObject({ amountPence: 99_99 });

      const before = (await stack.store.readStream('programme')).length;
      const programme = await stack.http.post('/api/programme/costs').set('Authorization', `Bearer ${stack.token('programme')}`).send({ ...cost, borneBy: 'programme', category: 'programme office' });
      expect(programme.status).toBe(200);
      expect(await stack.store.readStream('programme')).toHaveLength(before + 1);
    });

    it("refuses a centre token on another centre's ledger, and bad input, writing nothing", async () => {
      const centreName = uniqueCode('C');
      const other = await stack.http.post(`/api/centres/${centreName}/costs`).set('Authorization', `Bearer ${stack.token('centre', ['ISSC9'])}`).send(cost);
      expect([other.status, other.body.code]).toEqual([403, 'out-of-scope']);
      const programme = `Bearer ${stack.token('programme')}`;
      for (const body of [{ ...cost, period: '2027-Q5' }, { ...cost, amountGbp: 0 }, { ...cost, borneBy: 'taxpayer' }, { ...cost, amountGbp: 1.234 }]) {
        const refused = await stack.http.post(`/api/centres/${centreName}/costs`).set('Authorization', programme).send(body);
        expect([refused.status, refused.body.code]).toEqual([400, 'validation-failed']);
      }
      expect(await stack.store.readStream(`centre-${centreName}`)).toEqual([]);
    });
  });

  describe('savings assurance', () => {
    let d: OnboardingDriver;
    let savingId: string;

    beforeAll(async () => {
      d = await department();
      await d.passLessons();
      await d.passReadiness();
      await d.passMigration();
      await d.passGoLive();
      const recorded = await d.expectOk(d.command('savings', d.lead, { period: '2027-Q3', amountGbp: 1_000, attribution: 'programme', evidenceRef: 'ledger/q3' }));
      savingId = recorded.body.events[0].eventId;
    });

    it('names a savings record by the id of the event that recorded it', async () => {
      const events = await stack.store.readStream(streamIdFor(d.code));
      const recorded = events.find((event) => event.type === 'SavingsRecorded')!;
      expect(recorded.eventId).toBe(savingId);
      expect(recorded.data).toMatchObject({ savingId });
    });

    it('corrects by superseding, then verifies the amount that stands; a later correction needs verifying again', async () => {
      const corrected = await d.expectOk(d.command(`savings/${savingId}/corrections`, d.lead, { amountGbp: 850.5, reason: 'Supplier credit note' }));
      expect(corrected.body.events[0]).toMatchObject({ type: 'SavingsCorrected', data: { savingId, previousAmountPence: 1_000_00, amountPence: 850_50 } });
      expect(corrected.body.department.savings[0]).toMatchObject({ amountGbp: 850.5, originalAmountGbp: 1_000, verification: null });

      const verified = await d.expectOk(d.command(`savings/${savingId}/verification`, d.programme, { note: 'Matched to the ledger' }));
      expect(verified.body.department.savings[0].verification).toMatchObject({ amountGbp: 850.5, note: 'Matched to the ledger' });
      const again = await d.expectOk(d.command(`savings/${savingId}/verification`, d.programme, {}));
      expect(again.body.events).toEqual([]);

      const recorrected = await d.expectOk(d.command(`savings/${savingId}/corrections`, d.programme, { amountGbp: 800, reason: 'Audit adjustment' }));
      expect(recorrected.body.department.savings[0]).toMatchObject({ amountGbp: 800, verification: null });
      const recorded = (await stack.store.readStream(streamIdFor(d.code))).filter((event) => event.type === 'SavingsRecorded');
      expect(recorded.map((event) => event.data)).toEqual([expect.objectContaining({ amountPence: 1_000_00 })]);
    });

    it('refuses an unknown saving, a lead verifying, and bad corrections, writing nothing', async () => {
      const before = await types(d.code);
      const unknown = await d.command('savings/no-such-saving/corrections', d.lead, { amountGbp: 1, reason: 'x' });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown-saving']);
      const lead = await d.command(`savings/${savingId}/verification`, d.lead, {});
      expect([lead.status, lead.body.code]).toEqual([403, 'forbidden-role']);
      const negative = await d.command(`savings/${savingId}/corrections`, d.lead, { amountGbp: -1, reason: 'x' });
      expect([negative.status, negative.body.code]).toEqual([400, 'validation-failed']);
      const noReason = await d.command(`savings/${savingId}/corrections`, d.lead, { amountGbp: 1 });
      expect(noReason.status).toBe(400);
      expect(await types(d.code)).toEqual(before);
    });

    it('closes with the ledger intact (and records the history for the replay test)', async () => {
      await d.expectOk(d.command('costs', d.programme, { ...cost, borneBy: 'programme' }));
      await d.expectOk(d.command('close', d.programme, { reason: 'Benefits tracked' }));
      await stack.temporal.workflow.getHandle(`onboarding-${d.code}`).result();
      await recordHistoryIfAsked(stack.temporal, `onboarding-${d.code}`, 'savings-assurance');
    });
  });

  describe('deviation cost, expected saving, re-planning and exits', () => {
    it('records the cost of a deviation and the expected annual saving', async () => {
      const d = await department();
      await d.passLessons();
      await d.expectOk(d.command('baseline', d.lead, { annualCostGbp: 1_000_000, implementationCostGbp: 200_000, headcountServed: 900, expectedAnnualSavingGbp: 150_000.5 }));
      const deviation = await d.expectOk(
        d.command('deviations', d.lead, { area: 'payroll', description: 'Weekly pay run', justification: 'Union agreement', oneOffCostGbp: 40_000, annualCostGbp: 5_000.25 }),
      );
      expect(deviation.body.events[0].data).toMatchObject({ oneOffCostPence: 40_000_00, annualCostPence: 5_000_25 });
      expect(deviation.body.department.deviations[0]).toMatchObject({ oneOffCostGbp: 40_000, annualCostGbp: 5_000.25 });
      expect(deviation.body.department.baseline.expectedAnnualSavingGbp).toBe(150_000.5);
    });

    it('moves the planned go-live and extends the current stage, keeping the original plan', async () => {
      const d = await department({ plannedGoLive: '2027-04-01' });
      const before = (await d.get()).body;
      const replanned = await d.expectOk(d.command('replan', d.programme, { plannedGoLive: '2027-09-30', extendStage: { stage: 'LESSONS', by: 'P14D' }, reason: 'Supplier slipped' }));
      expect(replanned.body.department).toMatchObject({ plannedGoLive: '2027-09-30', originalPlannedGoLive: '2027-04-01' });
      expect(Date.parse(replanned.body.department.stageDeadlineAt) - Date.parse(before.stageDeadlineAt)).toBe(14 * 86_400_000);
      expect(replanned.body.events[0]).toMatchObject({ type: 'OnboardingReplanned', data: { plannedGoLive: { from: '2027-04-01', to: '2027-09-30' } } });
    });

    it('refuses a re-plan that moves nothing, extends a stage already left, or comes from a lead', async () => {
      const d = await department();
      await d.passLessons();
      const eventsBefore = await types(d.code);
      const nothing = await d.command('replan', d.programme, { reason: 'just because' });
      expect([nothing.status, nothing.body.code]).toEqual([400, 'invalid-command']);
      const behind = await d.command('replan', d.programme, { extendStage: { stage: 'LESSONS', by: 'P1D' }, reason: 'late' });
      expect([behind.status, behind.body.code]).toEqual([422, 'wrong-stage']);
      const badDuration = await d.command('replan', d.programme, { extendStage: { stage: 'READINESS', by: 'a fortnight' }, reason: 'late' });
      expect([badDuration.status, badDuration.body.code]).toEqual([400, 'validation-failed']);
      const pastTheLongestDeadline = await d.command('replan', d.programme, { extendStage: { stage: 'READINESS', by: 'P10YT1S' }, reason: 'late' });
      expect([pastTheLongestDeadline.status, pastTheLongestDeadline.body.code]).toEqual([400, 'validation-failed']);
      const lead = await d.command('replan', d.lead, { plannedGoLive: '2028-01-01', reason: 'late' });
      expect(lead.status).toBe(403);
      expect(await types(d.code)).toEqual(eventsBefore);
    });

    it('withdraws with a category and the cost already sunk; refuses a withdrawal without a category', async () => {
      const d = await department();
      const missing = await d.command('withdraw', d.programme, { reason: 'Stayed in-house' });
      expect([missing.status, missing.body.code]).toEqual([400, 'validation-failed']);
      expect(await types(d.code)).toEqual(['DepartmentRegistered']);
      const withdrawn = await d.expectOk(d.command('withdraw', d.programme, { reason: 'Stayed in-house', category: 'in-house', sunkCostGbp: 75_000 }));
      expect(withdrawn.body.department).toMatchObject({ stage: 'WITHDRAWN', withdrawal: { category: 'in-house', sunkCostGbp: 75_000 } });
      expect(withdrawn.body.events[0].data).toMatchObject({ category: 'in-house', sunkCostPence: 75_000_00 });
    });
  });

  describe('missed deadlines', () => {
    it('append OnboardingEscalated, again every ESCALATION_REPEAT while overdue, and stop once re-planned', async () => {
      const d = await department({ deadlines: { LESSONS: 'PT1S' } });
      await eventually(async () => (await types(d.code)).filter((type) => type === 'OnboardingEscalated').length >= 2, 'a repeated escalation', 30_000);
      const events = await stack.store.readStream(streamIdFor(d.code));
      const escalations = events.filter((event) => event.type === 'OnboardingEscalated');
      expect(events.findIndex((event) => event.type === 'StageDeadlineMissed')).toBeLessThan(events.indexOf(escalations[0]));
      expect(escalations[0].metadata).toMatchObject({ actor: { sub: 'workflow', role: 'system' } });
      expect(Date.parse(escalations[1].recordedAt) - Date.parse(escalations[0].recordedAt)).toBeGreaterThanOrEqual(2000);

      await d.expectOk(d.command('replan', d.programme, { extendStage: { stage: 'LESSONS', by: 'P30D' }, reason: 'Given a month' }));
      expect((await d.get()).body.overdue).toBe(false);
      const settled = (await types(d.code)).length;
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(await types(d.code)).toHaveLength(settled);

      await d.expectOk(d.command('withdraw', d.programme, { reason: 'Merged', category: 'merged', sunkCostGbp: 10 }));
      await stack.temporal.workflow.getHandle(`onboarding-${d.code}`).result();
      await recordHistoryIfAsked(stack.temporal, `onboarding-${d.code}`, 'overdue-escalation-replan');
    });
  });
});
