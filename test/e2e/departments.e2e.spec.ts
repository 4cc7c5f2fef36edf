import { MAX_NAME_LENGTH, streamIdFor } from '../../libs/domain/index.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

describe.each(['postgres', 'sqlite'] as const)('registering and advancing a department on %s', (database) => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ database });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const programme = () => stack.token('programme');

  it('registers a department, starts its workflow and answers from the read model', async () => {
    const code = uniqueCode();
    const response = await stack.http
      .post('/api/departments')
      .set('Authorization', `Bearer ${programme()}`)
      .send({ code: code.toLowerCase(), name: 'Department for Transport', centre: 'ISSC1', plannedGoLive: '2027-04-01' });

    expect(response.status).toBe(201);
    expect(response.body.department).toMatchObject({ code, stage: 'LESSONS', centre: 'ISSC1', version: 1 });
    expect(response.body.events).toHaveLength(1);
    expect(response.body.events[0]).toMatchObject({ type: 'DepartmentRegistered', streamId: streamIdFor(code), version: 1 });

    const description = await stack.temporal.workflow.getHandle(`onboarding-${code}`).describe();
    expect(description.status.name).toBe('RUNNING');

    const read = await stack.http.get(`/api/departments/${code}`).set('Authorization', `Bearer ${programme()}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ code, stage: 'LESSONS', workflowId: `onboarding-${code}` });

    const list = await stack.http.get('/api/departments?stage=LESSONS').set('Authorization', `Bearer ${programme()}`);
    expect(list.body.map((department: { code: string }) => department.code)).toContain(code);
  });

  it('names the onboarding lead at registration when the programme gives one, and refuses one too long', async () => {
    const code = uniqueCode();
    const register = (body: Record<string, unknown>) =>
      stack.http.post('/api/departments').set('Authorization', `Bearer ${programme()}`).send({ code, name: 'Home Office', centre: 'ISSC1', plannedGoLive: '2027-04-01', ...body });

    const tooLong = await register({ lead: 'x'.repeat(MAX_NAME_LENGTH + 1) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe('validation-failed');
    expect((await stack.http.get(`/api/departments/${code}`).set('Authorization', `Bearer ${programme()}`)).status).toBe(404);

    const response = await register({ lead: '  jo.lead  ' });
    expect(response.status).toBe(201);
    expect(response.body.department).toMatchObject({ code, lead: 'jo.lead' });
    expect(response.body.events[0].data).toMatchObject({ lead: 'jo.lead' });
    const read = await stack.http.get(`/api/departments/${code}`).set('Authorization', `Bearer ${programme()}`);
    expect(read.body.lead).toBe('jo.lead');
  });

  it('refuses an impossible advance in the validator, before anything reaches history', async () => {
    const code = uniqueCode();
    await stack.http
      .post('/api/departments')
      .set('Authorization', `Bearer ${programme()}`)
      .send({ code, name: 'HM Treasury', centre: 'ISSC2', plannedGoLive: '2027-06-01' })
      .expect(201);
    const historyBefore = await historyLength(stack, code);

    const refused = await stack.http
      .post(`/api/departments/${code}/advance`)
      .set('Authorization', `Bearer ${programme()}`)
      .send({ from: 'LESSONS' });

    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ statusCode: 422, code: 'gates-unmet' });
    expect(refused.body.details.unmetGates).toEqual(['assessment-recorded', 'assessment-score-at-least-3']);
    expect(await historyLength(stack, code)).toBe(historyBefore);
    expect(await stack.store.readStream(streamIdFor(code))).toHaveLength(1);
  });

  it('advances once the gate holds, appending contiguous versions', async () => {
    const code = uniqueCode();
    const lead = stack.token('lead', [code]);
    await stack.http
      .post('/api/departments')
      .set('Authorization', `Bearer ${programme()}`)
      .send({ code, name: 'Department for Work and Pensions', centre: 'ISSC1', plannedGoLive: '2027-06-01' })
      .expect(201);
    await stack.http
      .post(`/api/departments/${code}/assessment`)
      .set('Authorization', `Bearer ${lead}`)
      .send({ sro: 'Jane Smith', score: 4, contractManagementFte: 3.5 })
      .expect(200);

    const advanced = await stack.http.post(`/api/departments/${code}/advance`).set('Authorization', `Bearer ${lead}`).send({ from: 'LESSONS' });

    expect(advanced.status).toBe(200);
    expect(advanced.body.department.stage).toBe('READINESS');
    expect(advanced.body.events.map((event: { type: string }) => event.type)).toEqual(['StageAdvanced']);
    const events = await stack.store.readStream(streamIdFor(code));
    expect(events.map((event) => event.version)).toEqual([1, 2, 3]);
    expect(events[2].metadata).toMatchObject({ actor: { sub: 'lead-user', role: 'lead' }, workflowId: `onboarding-${code}` });
    expect((await stack.departments.get(code))?.stage).toBe('READINESS');
  });
});

async function historyLength(stack: Stack, code: string): Promise<number> {
  const history = await stack.temporal.workflow.getHandle(`onboarding-${code}`).fetchHistory();
  return history.events?.length ?? 0;
}
