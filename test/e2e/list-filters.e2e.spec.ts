import { OnboardingDriver } from '../support/onboarding-driver.js';
import { eventually } from '../support/operations.js';
import { startStack, uniqueCode, type Stack } from '../support/stack.js';

/**
 * Every filter of the department and lesson lists, on a database holding only this file's
 * records, so each answer can be checked as the exact list it must be: the matching
 * records, all of them, and nothing else.
 */
describe('list filters return exactly what matches', () => {
  let stack: Stack;
  let overdue: OnboardingDriver;
  let ready: OnboardingDriver;
  let elsewhere: OnboardingDriver;
  const lessons: Record<'payroll' | 'exit' | 'hr', string> = { payroll: '', exit: '', hr: '' };

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite' });
    overdue = new OnboardingDriver(stack, uniqueCode('FO'));
    ready = new OnboardingDriver(stack, uniqueCode('FR'));
    elsewhere = new OnboardingDriver(stack, uniqueCode('FE'));
    await overdue.register({ centre: 'ISSC1', deadlines: { LESSONS: 'PT1S' } });
    await ready.register({ centre: 'ISSC1' });
    await elsewhere.register({ centre: 'ISSC2' });
    await ready.passLessons();
    await eventually(async () => (await overdue.get()).body.overdue === true, 'the first department to miss its deadline');

    const record = async (lesson: object) => (await ready.expectOk(ready.post('/api/lessons', ready.programme, { sourceDepartment: 'HMRC', ...lesson }))).body.lesson.id as string;
    lessons.payroll = await record({ title: 'Run payroll in parallel', body: 'Two pay cycles at least.', tags: ['payroll'], centre: 'ISSC1' });
    lessons.exit = await record({ title: 'Exit clauses first', body: 'Write them before go-live.', tags: ['contracts'] });
    lessons.hr = await record({ title: 'Cleanse HR data', body: 'Payroll depends on it.', tags: ['hr', 'payroll'], centre: 'ISSC2' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const codes = async (query: string) => {
    const response = await stack.http.get(`/api/departments${query}`).set('Authorization', `Bearer ${stack.token('programme')}`);
    expect(response.status).toBe(200);
    return (response.body as { code: string }[]).map((department) => department.code).sort();
  };
  const lessonIds = async (query: string) => {
    const response = await stack.http.get(`/api/lessons${query}`).set('Authorization', `Bearer ${stack.token('auditor')}`);
    expect(response.status).toBe(200);
    return (response.body as { id: string }[]).map((lesson) => lesson.id).sort();
  };
  const sorted = (...values: string[]) => [...values].sort();

  it('filters departments by stage, centre and overdue, alone and together', async () => {
    expect(await codes('')).toEqual(sorted(overdue.code, ready.code, elsewhere.code));
    expect(await codes('?stage=LESSONS')).toEqual(sorted(overdue.code, elsewhere.code));
    expect(await codes('?stage=READINESS')).toEqual([ready.code]);
    expect(await codes('?centre=ISSC1')).toEqual(sorted(overdue.code, ready.code));
    expect(await codes('?centre=ISSC2')).toEqual([elsewhere.code]);
    expect(await codes('?overdue=true')).toEqual([overdue.code]);
    expect(await codes('?overdue=false')).toEqual(sorted(ready.code, elsewhere.code));
    expect(await codes('?stage=LESSONS&centre=ISSC1')).toEqual([overdue.code]);
    expect(await codes('?stage=LESSONS&overdue=false')).toEqual([elsewhere.code]);
    expect(await codes('?stage=LIVE')).toEqual([]);
  });

  it('filters lessons by words, tag and centre (a lesson for no centre is for every centre)', async () => {
    expect(await lessonIds('')).toEqual(sorted(lessons.payroll, lessons.exit, lessons.hr));
    expect(await lessonIds('?tag=payroll')).toEqual(sorted(lessons.payroll, lessons.hr));
    expect(await lessonIds('?tag=contracts')).toEqual([lessons.exit]);
    expect(await lessonIds('?centre=ISSC1')).toEqual(sorted(lessons.payroll, lessons.exit));
    expect(await lessonIds('?centre=ISSC2')).toEqual(sorted(lessons.exit, lessons.hr));
    expect(await lessonIds('?q=PAYROLL')).toEqual(sorted(lessons.payroll, lessons.hr));
    expect(await lessonIds('?q=go-live')).toEqual([lessons.exit]);
    expect(await lessonIds('?q=payroll&centre=ISSC2&tag=hr')).toEqual([lessons.hr]);
    expect(await lessonIds('?tag=procurement')).toEqual([]);
  });
});
