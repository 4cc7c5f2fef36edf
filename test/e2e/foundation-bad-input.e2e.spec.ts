import { startStack, uniqueCode, type Stack } from '../support/stack.js';

async function eventCount(stack: Stack): Promise<number> {
  const [row] = await stack.db.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM events');
  return Number(row.count);
}

/** Registration and advance refuse bad input with a stable code, and write nothing. */
describe('bad input on registration and advance', () => {
  let stack: Stack;
  let existing: string;
  const valid = () => ({ code: uniqueCode('B'), name: 'Home Office', centre: 'ISSC1', plannedGoLive: '2027-01-31' });

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite' });
    existing = uniqueCode('E');
    await stack.http
      .post('/api/departments')
      .set('Authorization', `Bearer ${stack.token('programme')}`)
      .send({ ...valid(), code: existing })
      .expect(201);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const register = (body: unknown) =>
    stack.http.post('/api/departments').set('Authorization', `Bearer ${stack.token('programme')}`).send(body as object);

  it.each([
    ['a missing name', () => ({ ...valid(), name: undefined }), 400, 'validation-failed'],
    ['a number for a name', () => ({ ...valid(), name: 42 }), 400, 'validation-failed'],
    ['an unknown field', () => ({ ...valid(), budget: 1 }), 400, 'validation-failed'],
    ['an impossible date', () => ({ ...valid(), plannedGoLive: '2027-02-30' }), 400, 'validation-failed'],
    ['a malformed code', () => ({ ...valid(), code: 'D-F-T' }), 400, 'validation-failed'],
    ['a code that is too long', () => ({ ...valid(), code: 'ABCDEFGHIJKL' }), 400, 'validation-failed'],
    ['a bad deadline duration', () => ({ ...valid(), deadlines: { LESSONS: 'thirty days' } }), 400, 'validation-failed'],
    ['a deadline for an unknown stage', () => ({ ...valid(), deadlines: { LIVE: 'P1D' } }), 400, 'validation-failed'],
    ['a department registered twice', () => ({ ...valid(), code: existing }), 409, 'already-registered'],
    ['the same department in lower case', () => ({ ...valid(), code: existing.toLowerCase() }), 409, 'already-registered'],
  ])('refuses %s', async (_name, body, status, code) => {
    const before = await eventCount(stack);
    const response = await register(body());
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, code });
    expect(typeof response.body.message).toBe('string');
    expect(await eventCount(stack)).toBe(before);
  });

  it('lets a department register after its first registration was refused by the workflow', async () => {
    const code = uniqueCode('Z');
    const refused = await register({ ...valid(), code, deadlines: { LESSONS: 'PT0S' } });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid-command');
    expect(await stack.departments.get(code)).toBeUndefined();

    const accepted = await register({ ...valid(), code });
    expect(accepted.status).toBe(201);
    expect(accepted.body.department).toMatchObject({ code, stage: 'LESSONS', version: 1 });
  });

  it('refuses a body that is not JSON', async () => {
    const response = await stack.http
      .post('/api/departments')
      .set('Authorization', `Bearer ${stack.token('programme')}`)
      .set('Content-Type', 'application/json')
      .send('{"code": "DFT",');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('malformed-json');
  });

  it.each([
    ['an unknown department', () => `/api/departments/${uniqueCode('U')}/advance`, { from: 'LESSONS' }, 404, 'department-not-found'],
    ['a malformed department code', () => '/api/departments/not-a-code!/advance', { from: 'LESSONS' }, 400, 'invalid-department-code'],
    ['an unknown stage', () => `/api/departments/${existing}/advance`, { from: 'SOMEWHERE' }, 400, 'validation-failed'],
    ['a missing from', () => `/api/departments/${existing}/advance`, {}, 400, 'validation-failed'],
    ['an extra field', () => `/api/departments/${existing}/advance`, { from: 'LESSONS', force: true }, 400, 'validation-failed'],
  ])('refuses an advance of %s', async (_name, path, body, status, code) => {
    const before = await eventCount(stack);
    const history = (await stack.temporal.workflow.getHandle(`onboarding-${existing}`).fetchHistory()).events?.length;
    const response = await stack.http.post(path()).set('Authorization', `Bearer ${stack.token('programme')}`).send(body);
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
    expect(await eventCount(stack)).toBe(before);
    expect((await stack.temporal.workflow.getHandle(`onboarding-${existing}`).fetchHistory()).events?.length).toBe(history);
  });

  it('answers an unknown department read with 404', async () => {
    const response = await stack.http.get(`/api/departments/${uniqueCode('N')}`).set('Authorization', `Bearer ${stack.token('auditor')}`);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('department-not-found');
  });
});
