// A realistic programme for newcomers to explore: two centres, 26 departments at every
// stage, some overdue, some withdrawn, deviations, costs and savings. Pure data and the
// steps that build it; `demo.ts` sends them through the public API.

export type DemoRole = 'programme' | 'lead' | 'centre';

/** One API call; `key` becomes its Idempotency-Key, so a second run appends nothing. */
export interface DemoStep {
  readonly key: string;
  readonly role: DemoRole;
  readonly path: string | ((results: ReadonlyMap<string, DemoResult>) => string);
  readonly body: object;
}

export interface DemoResult {
  readonly status: number;
  readonly body: { events?: Array<{ eventId: string; data?: { deviationId?: string } }>; lesson?: { id: string } } & Record<string, unknown>;
}

type Target = 'LESSONS' | 'READINESS' | 'MIGRATION' | 'GO_LIVE' | 'LIVE' | 'CLOSED' | 'WITHDRAWN';

interface DemoDepartment {
  readonly code: string;
  readonly name: string;
  readonly centre: 'ISSC1' | 'ISSC2';
  readonly plannedGoLive: string;
  readonly target: Target;
  /** Registered with a stage deadline of seconds: overdue soon after the demo. */
  readonly overdue?: boolean;
  readonly replan?: string;
  readonly pendingDeviation?: boolean;
  readonly exit?: { readonly from: Target; readonly category: 'other-centre' | 'in-house' | 'merged' | 'other'; readonly sunkCostGbp: number };
  /** Annual back-office cost in £; the rest of the figures scale with it. */
  readonly scale: number;
}

export const DEMO_CENTRES = ['ISSC1', 'ISSC2'] as const;

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'DFT', name: 'Department for Transport', centre: 'ISSC1', plannedGoLive: '2025-10-01', target: 'CLOSED', scale: 38_000_000 },
  { code: 'HMT', name: 'HM Treasury', centre: 'ISSC1', plannedGoLive: '2025-11-01', target: 'LIVE', scale: 12_000_000 },
  { code: 'DWP', name: 'Department for Work and Pensions', centre: 'ISSC1', plannedGoLive: '2026-01-01', target: 'LIVE', scale: 95_000_000, replan: '2026-06-01' },
  { code: 'HMRC', name: 'HM Revenue and Customs', centre: 'ISSC2', plannedGoLive: '2026-02-01', target: 'LIVE', scale: 88_000_000 },
  { code: 'MOJ', name: 'Ministry of Justice', centre: 'ISSC2', plannedGoLive: '2025-12-01', target: 'CLOSED', scale: 41_000_000 },
  { code: 'HO', name: 'Home Office', centre: 'ISSC2', plannedGoLive: '2026-03-01', target: 'LIVE', scale: 52_000_000 },
  { code: 'DFE', name: 'Department for Education', centre: 'ISSC1', plannedGoLive: '2026-04-01', target: 'LIVE', scale: 27_000_000 },
  { code: 'DHSC', name: 'Department of Health and Social Care', centre: 'ISSC2', plannedGoLive: '2026-05-01', target: 'LIVE', scale: 33_000_000 },
  { code: 'DEFRA', name: 'Department for Environment, Food and Rural Affairs', centre: 'ISSC1', plannedGoLive: '2026-09-01', target: 'GO_LIVE', scale: 24_000_000 },
  { code: 'DCMS', name: 'Department for Culture, Media and Sport', centre: 'ISSC2', plannedGoLive: '2026-10-01', target: 'GO_LIVE', scale: 9_000_000, replan: '2027-01-15' },
  { code: 'FCDO', name: 'Foreign, Commonwealth and Development Office', centre: 'ISSC1', plannedGoLive: '2026-11-01', target: 'GO_LIVE', scale: 31_000_000 },
  { code: 'MOD', name: 'Ministry of Defence', centre: 'ISSC2', plannedGoLive: '2027-01-01', target: 'MIGRATION', scale: 120_000_000 },
  { code: 'CO', name: 'Cabinet Office', centre: 'ISSC1', plannedGoLive: '2027-02-01', target: 'MIGRATION', scale: 15_000_000, overdue: true },
  { code: 'DESNZ', name: 'Department for Energy Security and Net Zero', centre: 'ISSC2', plannedGoLive: '2027-03-01', target: 'MIGRATION', scale: 11_000_000 },
  { code: 'DSIT', name: 'Department for Science, Innovation and Technology', centre: 'ISSC1', plannedGoLive: '2027-04-01', target: 'MIGRATION', scale: 10_000_000 },
  { code: 'DBT', name: 'Department for Business and Trade', centre: 'ISSC2', plannedGoLive: '2027-05-01', target: 'READINESS', scale: 14_000_000, pendingDeviation: true },
  { code: 'MHCLG', name: 'Ministry of Housing, Communities and Local Government', centre: 'ISSC1', plannedGoLive: '2027-06-01', target: 'READINESS', scale: 13_000_000 },
  { code: 'NIO', name: 'Northern Ireland Office', centre: 'ISSC2', plannedGoLive: '2027-07-01', target: 'READINESS', scale: 2_000_000, overdue: true },
  { code: 'ONS', name: 'Office for National Statistics', centre: 'ISSC1', plannedGoLive: '2027-08-01', target: 'READINESS', scale: 8_000_000, replan: '2027-12-01' },
  { code: 'FSA', name: 'Food Standards Agency', centre: 'ISSC2', plannedGoLive: '2027-09-01', target: 'LESSONS', scale: 3_000_000 },
  { code: 'UKHSA', name: 'UK Health Security Agency', centre: 'ISSC1', plannedGoLive: '2027-10-01', target: 'LESSONS', scale: 18_000_000, overdue: true },
  { code: 'DVLA', name: 'Driver and Vehicle Licensing Agency', centre: 'ISSC2', plannedGoLive: '2027-11-01', target: 'LESSONS', scale: 16_000_000 },
  { code: 'OFSTED', name: 'Ofsted', centre: 'ISSC1', plannedGoLive: '2027-12-01', target: 'LESSONS', scale: 4_000_000 },
  { code: 'WO', name: 'Wales Office', centre: 'ISSC2', plannedGoLive: '2026-08-01', target: 'WITHDRAWN', scale: 1_000_000, exit: { from: 'LESSONS', category: 'merged', sunkCostGbp: 12_500 } },
  { code: 'LR', name: 'HM Land Registry', centre: 'ISSC1', plannedGoLive: '2026-06-01', target: 'WITHDRAWN', scale: 9_000_000, exit: { from: 'READINESS', category: 'in-house', sunkCostGbp: 240_000 } },
  { code: 'CH', name: 'Companies House', centre: 'ISSC2', plannedGoLive: '2026-07-01', target: 'WITHDRAWN', scale: 7_000_000, exit: { from: 'MIGRATION', category: 'other-centre', sunkCostGbp: 1_150_000.5 } },
];

const ORDER: readonly Target[] = ['LESSONS', 'READINESS', 'MIGRATION', 'GO_LIVE', 'LIVE', 'CLOSED'];
const WORKSTREAMS = ['hr', 'finance', 'payroll', 'procurement'] as const;
const PERIODS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] as const;

/** Whole pence of a fraction of £, so every figure is exact. */
const pounds = (value: number) => Math.round(value * 100) / 100;

function reaches(department: DemoDepartment, stage: Target): boolean {
  const last = department.exit ? department.exit.from : department.target;
  return ORDER.indexOf(last) > ORDER.indexOf(stage);
}

/** The steps that bring one department to where the demo wants it, in order. */
export function departmentSteps(d: DemoDepartment, mandatoryLessonKey: (centre: string) => string | null): DemoStep[] {
  const at = (path: string) => `/api/departments/${d.code}/${path}`;
  const key = (step: string) => `demo-${d.code}-${step}`;
  const steps: DemoStep[] = [
    {
      key: key('register'),
      role: 'programme',
      path: '/api/departments',
      body: { code: d.code, name: d.name, centre: d.centre, plannedGoLive: d.plannedGoLive, ...(d.overdue ? { deadlines: overdueDeadline(d) } : {}) },
    },
    { key: key('cost-discovery'), role: 'lead', path: at('costs'), body: cost('2025-Q4', d.scale * 0.002, 'department', 'discovery and specification') },
  ];
  if (d.replan) steps.push({ key: key('replan'), role: 'programme', path: at('replan'), body: { plannedGoLive: d.replan, reason: 'Payroll supplier capacity moved the cut-over' } });
  const lesson = mandatoryLessonKey(d.centre);
  if (lesson) steps.push({ key: key('acknowledge'), role: 'lead', path: (results) => at(`lessons/${results.get(lesson)?.body.lesson?.id ?? 'missing'}/acknowledge`), body: {} });
  if (d.target === 'LESSONS' && !d.exit) return steps;
  steps.push({ key: key('assessment'), role: 'lead', path: at('assessment'), body: { sro: `SRO of ${d.code}`, score: d.code.length % 2 === 0 ? 4 : 3, contractManagementFte: pounds(d.scale / 10_000_000 + 1) } });
  if (reaches(d, 'LESSONS')) steps.push({ key: key('advance-lessons'), role: 'lead', path: at('advance'), body: { from: 'LESSONS' } });
  if (d.exit?.from === 'LESSONS') return [...steps, withdrawal(d)];
  if (!reaches(d, 'LESSONS')) return steps;
  steps.push({
    key: key('baseline'),
    role: 'lead',
    path: at('baseline'),
    body: { annualCostGbp: d.scale, implementationCostGbp: pounds(d.scale * 0.12), headcountServed: Math.round(d.scale / 4_500), expectedAnnualSavingGbp: pounds(d.scale * 0.18) },
  });
  steps.push({ key: key('deviation'), role: 'lead', path: at('deviations'), body: deviation(d) });
  if (!d.pendingDeviation) {
    steps.push({
      key: key('deviation-decision'),
      role: 'programme',
      path: (results) => at(`deviations/${results.get(key('deviation'))?.body.events?.[0]?.data?.deviationId ?? 'missing'}/decision`),
      body: { decision: d.code.length % 3 === 0 ? 'rejected' : 'approved', reason: 'Costed against the standard operating model' },
    });
  }
  if (reaches(d, 'READINESS')) steps.push({ key: key('advance-readiness'), role: 'lead', path: at('advance'), body: { from: 'READINESS' } });
  if (d.exit?.from === 'READINESS') return [...steps, withdrawal(d)];
  if (!reaches(d, 'READINESS')) return steps;
  steps.push({ key: key('cost-migration'), role: 'centre', path: at('costs'), body: cost('2026-Q1', d.scale * 0.03, 'supplier', 'data migration') });
  for (const workstream of WORKSTREAMS) {
    if (d.target === 'MIGRATION' && workstream === 'procurement') continue;
    const records = Math.round(d.scale / 1_000);
    steps.push({ key: key(`migration-${workstream}`), role: 'centre', path: at(`migration/${workstream}`), body: { recordsExtracted: records, recordsLoaded: records, evidenceRef: `recon://${d.code}/${workstream}` } });
  }
  if (reaches(d, 'MIGRATION')) steps.push({ key: key('advance-migration'), role: 'lead', path: at('advance'), body: { from: 'MIGRATION' } });
  if (d.exit?.from === 'MIGRATION') return [...steps, withdrawal(d)];
  if (!reaches(d, 'MIGRATION')) return steps;
  steps.push({ key: key('go-sro'), role: 'lead', path: at('go-live/decisions'), body: { as: 'department-sro', decision: 'go', reason: 'Payroll parallel run reconciled' } });
  steps.push({ key: key('go-centre'), role: 'centre', path: at('go-live/decisions'), body: { as: 'centre', decision: 'go', reason: 'Capacity in place' } });
  if (!reaches(d, 'GO_LIVE')) return steps;
  steps.push({ key: key('go-programme'), role: 'programme', path: at('go-live/decisions'), body: { as: 'programme', decision: 'go', reason: 'Within the programme plan' } });
  steps.push({ key: key('advance-go-live'), role: 'lead', path: at('advance'), body: { from: 'GO_LIVE' } });
  steps.push(...savingsSteps(d, at, key));
  if (d.target === 'CLOSED') steps.push({ key: key('close'), role: 'programme', path: at('close'), body: { reason: 'Benefits tracked for four quarters' } });
  return steps;
}

function savingsSteps(d: DemoDepartment, at: (path: string) => string, key: (step: string) => string): DemoStep[] {
  const steps: DemoStep[] = [];
  PERIODS.forEach((period, index) => {
    const record = key(`savings-${period}`);
    steps.push({ key: record, role: 'lead', path: at('savings'), body: { period, amountGbp: pounds(d.scale * 0.035 * (index + 1) / 2), attribution: 'programme', evidenceRef: `ledger://${d.code}/${period}` } });
    steps.push({ key: key(`constraint-${period}`), role: 'lead', path: at('savings'), body: { period, amountGbp: pounds(d.scale * 0.004), attribution: 'spending-constraint', evidenceRef: `ledger://${d.code}/${period}/constraint` } });
    const savingPath = (results: ReadonlyMap<string, DemoResult>, action: string) => at(`savings/${results.get(record)?.body.events?.[0]?.eventId ?? 'missing'}/${action}`);
    if (index === 1) {
      steps.push({ key: key(`correct-${period}`), role: 'lead', path: (results) => savingPath(results, 'corrections'), body: { amountGbp: pounds(d.scale * 0.03), reason: 'Agency staff costs had been counted twice' } });
    }
    if (index < 3) steps.push({ key: key(`verify-${period}`), role: 'programme', path: (results) => savingPath(results, 'verification'), body: { note: 'Checked against the ledger' } });
  });
  return steps;
}

function overdueDeadline(d: DemoDepartment): Record<string, string> {
  return { [d.target]: 'PT20S' };
}

function deviation(d: DemoDepartment) {
  return {
    area: 'payroll',
    description: `${d.name} keeps its own pay calendar`,
    justification: 'Agreed with the unions before the programme began',
    oneOffCostGbp: pounds(d.scale * 0.004),
    annualCostGbp: pounds(d.scale * 0.001),
  };
}

function cost(period: string, amount: number, borneBy: string, category: string) {
  return { period, amountGbp: pounds(amount), borneBy, category, evidenceRef: `finance://invoices/${period}/${category.replace(/\W+/g, '-')}` };
}

function withdrawal(d: DemoDepartment): DemoStep {
  const reasons = { merged: 'Merged into another department by a machinery of government change', 'in-house': 'Decided to keep its back office in-house', 'other-centre': 'Left for another centre' } as const;
  const exit = d.exit!;
  return {
    key: `demo-${d.code}-withdraw`,
    role: 'programme',
    path: `/api/departments/${d.code}/withdraw`,
    body: { reason: reasons[exit.category as keyof typeof reasons] ?? 'Left the programme', category: exit.category, sunkCostGbp: exit.sunkCostGbp },
  };
}

/** Steps that no single department carries: lessons for the centres, centre and programme costs. */
export const LIBRARY_STEPS: readonly DemoStep[] = [
  {
    key: 'demo-lesson-payroll',
    role: 'programme',
    path: '/api/lessons',
    body: {
      title: 'Run payroll in parallel for two cycles before cut-over',
      body: 'Staff must be paid. Two parallel runs reconciled to the penny caught every error the first department met.',
      tags: ['payroll', 'cut-over'],
      centre: 'ISSC2',
      mandatory: true,
      sourceDepartment: 'MOJ',
    },
  },
  {
    key: 'demo-lesson-contract',
    role: 'programme',
    path: '/api/lessons',
    body: {
      title: 'Write exit clauses before signing the service contract',
      body: 'Intelligent customers specified how to leave before they joined; those who did not paid for it later.',
      tags: ['contract', 'intelligent-customer'],
      sourceDepartment: 'DFT',
    },
  },
  { key: 'demo-cost-issc1-platform', role: 'programme', path: '/api/centres/ISSC1/costs', body: cost('2025-Q4', 4_250_000, 'centre', 'ERP platform') },
  { key: 'demo-cost-issc2-platform', role: 'programme', path: '/api/centres/ISSC2/costs', body: cost('2025-Q4', 3_875_000.5, 'centre', 'ERP platform') },
  { key: 'demo-cost-issc1-training', role: 'centre', path: '/api/centres/ISSC1/costs', body: cost('2026-Q2', 310_000, 'centre', 'staff training') },
  { key: 'demo-cost-programme-office', role: 'programme', path: '/api/programme/costs', body: cost('2026-Q1', 1_800_000, 'programme', 'programme office') },
  { key: 'demo-cost-programme-assurance', role: 'programme', path: '/api/programme/costs', body: cost('2026-Q3', 420_000.75, 'programme', 'independent assurance') },
];

/** The key of the mandatory lesson a centre's departments must acknowledge, if any. */
export function mandatoryLessonFor(centre: string): string | null {
  return centre === 'ISSC2' ? 'demo-lesson-payroll' : null;
}
