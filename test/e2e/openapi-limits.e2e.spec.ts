import {
  CALENDAR_DATE_PATTERN,
  DEPARTMENT_CODE_INPUT_PATTERN,
  DomainError,
  ISO_DURATION_PATTERN,
  PERIOD_PATTERN,
  decide,
  decideLedger,
  decideLesson,
  fold,
  initialLessonState,
  poundsToPence,
  type OnboardingCommand,
  type OnboardingEvent,
} from '../../libs/domain/index.js';
import { OPEN_HISTORIES, T0, days, deviationRequested, exampleCommands } from '../../libs/domain/testing/onboarding-history.js';
import { startStack, type Stack } from '../support/stack.js';

// The OpenAPI document is what callers (and the console) build forms from: every limit it
// documents must be the one the domain enforces, or the document promises what the
// service refuses. This walks the document the running API serves, so a DTO decorator
// that restates a limit instead of importing it fails here.

type Body = Record<string, unknown>;

interface Probe {
  /** A valid body for the schema: what the domain accepts. */
  readonly body: Body;
  /** Runs the domain on the body the way the controller maps it: throws a DomainError on refusal. */
  readonly decide: (body: Body) => void;
  /** Fields whose wire unit differs from the domain's (pounds on the wire, pence in the domain). */
  readonly domainUnits?: Record<string, (value: number) => number>;
}

const at = T0;
/** A mandatory lesson, for the change of its status to be decided on. */
const RECORDED_LESSON = { ...initialLessonState, recorded: true, lessonId: 'lesson-1', title: 'Exit clauses', mandatory: true, version: 1 };
const example = exampleCommands(at);

function onboarding(history: readonly OnboardingEvent[], toCommand: (body: Body) => OnboardingCommand) {
  return (body: Body) => void decide(toCommand(body), fold(history));
}

/** LIVE with one savings record, `saving-1`, to correct and verify. */
const LIVE_WITH_SAVING: readonly OnboardingEvent[] = [
  ...OPEN_HISTORIES.LIVE,
  {
    type: 'SavingsRecorded',
    data: { period: '2026-Q1', amountPence: 10_000, attribution: 'programme', evidenceRef: 'ledger/1', savingId: 'saving-1', at: days(200) },
  },
];

/** A cost body as the domain receives it, wherever it is recorded. */
const costFields = (b: Body) => ({
  at,
  period: b.period as string,
  amountPence: poundsToPence(b.amountGbp as number),
  borneBy: b.borneBy as 'programme',
  category: b.category as string,
  evidenceRef: b.evidenceRef as string,
});

const reasonProbe: Probe = {
  body: { reason: 'Department restructuring' },
  decide: onboarding(OPEN_HISTORIES.LESSONS, (b) => ({ type: 'PauseOnboarding', at, reason: b.reason as string })),
};

/** Every request body schema of a command, by its name in the document. */
const PROBES: Record<string, Probe> = {
  RegisterDepartmentDto: {
    body: { code: 'DFT', name: 'Department for Transport', centre: 'ISSC1', plannedGoLive: '2027-04-01', deadlines: { LESSONS: 'P45D' } },
    decide: onboarding([], (b) => ({ type: 'RegisterDepartment', at, ...b }) as OnboardingCommand),
  },
  RecordAssessmentDto: {
    body: { sro: 'Sam Ro', score: 4, contractManagementFte: 2, notes: 'fine' },
    decide: onboarding(OPEN_HISTORIES.LESSONS, (b) => ({ type: 'RecordAssessment', at, ...b }) as OnboardingCommand),
  },
  RecordBaselineDto: {
    body: { annualCostGbp: 1000, implementationCostGbp: 500, headcountServed: 10 },
    decide: onboarding(OPEN_HISTORIES.READINESS, (b) => ({
      type: 'RecordBaseline',
      at,
      annualCostPence: poundsToPence(b.annualCostGbp as number),
      implementationCostPence: poundsToPence(b.implementationCostGbp as number),
      headcountServed: b.headcountServed as number,
    })),
    domainUnits: { annualCostGbp: poundsToPence, implementationCostGbp: poundsToPence },
  },
  RequestDeviationDto: {
    body: { area: 'payroll', description: 'Different leave policy', justification: 'Statutory' },
    decide: onboarding(OPEN_HISTORIES.READINESS, (b) => ({ ...example.RequestDeviation, ...b }) as OnboardingCommand),
  },
  DecideDeviationDto: {
    body: { decision: 'approved', reason: 'Within budget' },
    decide: onboarding([...OPEN_HISTORIES.READINESS, deviationRequested('dev-1')], (b) => ({ ...example.DecideDeviation, ...b }) as OnboardingCommand),
  },
  RecordMigrationDto: {
    body: { recordsExtracted: 10, recordsLoaded: 10, evidenceRef: 'sharepoint://recon.xlsx' },
    decide: onboarding(OPEN_HISTORIES.MIGRATION, (b) => ({ ...example.RecordMigration, ...b }) as OnboardingCommand),
  },
  GoLiveDecisionDto: {
    body: { as: 'centre', decision: 'go', reason: 'Ready' },
    decide: onboarding(OPEN_HISTORIES.GO_LIVE, (b) => ({ ...example.RecordGoLiveDecision, ...b }) as OnboardingCommand),
  },
  AdvanceStageDto: {
    body: { from: 'LESSONS' },
    decide: () => undefined, // an enum only: the document lists the domain's STAGES
  },
  RecordSavingsDto: {
    body: { period: '2027-Q3', amountGbp: 10, attribution: 'programme', evidenceRef: 'ledger/1' },
    decide: onboarding(OPEN_HISTORIES.LIVE, (b) => ({
      type: 'RecordSavings',
      at,
      period: b.period as string,
      amountPence: poundsToPence(b.amountGbp as number),
      attribution: b.attribution as 'programme',
      evidenceRef: b.evidenceRef as string,
    })),
    domainUnits: { amountGbp: poundsToPence },
  },
  RecordCostDto: {
    body: { period: '2027-Q1', amountGbp: 10, borneBy: 'programme', category: 'data migration', evidenceRef: 'finance://invoices/1' },
    // The same body records a department's cost and a centre's or the programme's: both deciders must agree with it.
    decide: (b) => {
      onboarding(OPEN_HISTORIES.LESSONS, () => ({ type: 'RecordCost', ...costFields(b) }))(b);
      decideLedger({ type: 'RecordLedgerCost', scope: { kind: 'centre', centre: 'ISSC1' }, ...costFields(b) });
    },
    domainUnits: { amountGbp: poundsToPence },
  },
  CorrectSavingsDto: {
    body: { amountGbp: 50, reason: 'Supplier credit note' },
    decide: onboarding(LIVE_WITH_SAVING, (b) => ({
      type: 'CorrectSavings',
      at,
      savingId: 'saving-1',
      amountPence: poundsToPence(b.amountGbp as number),
      reason: b.reason as string,
    })),
    domainUnits: { amountGbp: poundsToPence },
  },
  VerifySavingsDto: {
    body: { note: 'Checked against the ledger' },
    decide: onboarding(LIVE_WITH_SAVING, (b) => ({ type: 'VerifySavings', at, savingId: 'saving-1', note: b.note as string })),
  },
  ReplanDto: {
    body: { plannedGoLive: '2028-04-01', extendStage: { stage: 'LESSONS', by: 'P14D' }, reason: 'Payroll supplier slipped a quarter' },
    decide: onboarding(OPEN_HISTORIES.LESSONS, (b) => ({ type: 'ReplanOnboarding', at, ...b }) as OnboardingCommand),
  },
  WithdrawDto: {
    body: { reason: 'Moved to another centre', category: 'other-centre', sunkCostGbp: 1000 },
    decide: onboarding(OPEN_HISTORIES.READINESS, (b) => ({
      type: 'WithdrawDepartment',
      at,
      reason: b.reason as string,
      category: b.category as 'other-centre',
      sunkCostPence: poundsToPence(b.sunkCostGbp as number),
    })),
    domainUnits: { sunkCostGbp: poundsToPence },
  },
  ReasonDto: reasonProbe,
  ReassignDto: {
    body: { lead: 'j.smith' },
    decide: onboarding(OPEN_HISTORIES.LESSONS, (b) => ({ type: 'ReassignLead', at, lead: b.lead as string })),
  },
  RecordLessonDto: {
    body: { title: 'Exit clauses', body: 'Write them first', tags: ['contract'], centre: 'ISSC1', mandatory: false, sourceDepartment: 'HMRC' },
    decide: (b) =>
      void decideLesson(
        {
          type: 'RecordLesson',
          at,
          lessonId: 'lesson-1',
          title: b.title as string,
          body: b.body as string,
          tags: b.tags as string[],
          centre: (b.centre as string | undefined) ?? null,
          mandatory: (b.mandatory as boolean | undefined) ?? false,
          sourceDepartment: b.sourceDepartment as string,
        },
        initialLessonState,
      ),
  },
  SetLessonMandatoryDto: {
    body: { mandatory: false, reason: 'Not needed for this centre' },
    decide: (b) =>
      void decideLesson(
        { type: 'SetLessonMandatory', at, lessonId: RECORDED_LESSON.lessonId, mandatory: b.mandatory as boolean, reason: b.reason as string },
        RECORDED_LESSON,
      ),
  },
};

/** Request bodies that document limits but reach no decider, and why: the API's limit is the only one. */
const NO_DECIDER: Record<string, string> = {
  RetryDto: 'a retry resets Temporal activities; its reason is recorded in the operations stream as given',
  ReplayRequest: 'how many histories one request replays is the API\'s own bound',
};

interface SchemaProperty {
  readonly type?: string;
  readonly pattern?: string;
  readonly $ref?: string;
  readonly allOf?: readonly SchemaProperty[];
  readonly properties?: Record<string, SchemaProperty>;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: SchemaProperty;
}

function documentsLimit(property: SchemaProperty): boolean {
  return [property.maxLength, property.maxItems, property.minimum, property.maximum].some((bound) => bound !== undefined) ||
    (property.items !== undefined && documentsLimit(property.items));
}

function refusal(run: () => void): DomainError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

/** The patterns a request body may document: the domain's own, never a DTO's restatement. */
const DOMAIN_PATTERNS = [DEPARTMENT_CODE_INPUT_PATTERN, ISO_DURATION_PATTERN, PERIOD_PATTERN, CALENDAR_DATE_PATTERN].map((pattern) => pattern.source);
/** A value no documented pattern admits. */
const OFF_PATTERN = '?';

type Schemas = Record<string, SchemaProperty>;

/** Every property, nested ones included, that documents a pattern, by its path in the body. */
function patternedFields(schema: SchemaProperty | undefined, schemas: Schemas, path: readonly string[] = []): Array<{ path: string[]; pattern: string }> {
  const ref = schema?.$ref ?? schema?.allOf?.[0]?.$ref;
  const resolved = ref === undefined ? schema : schemas[ref.replace('#/components/schemas/', '')];
  if (resolved?.pattern !== undefined) return [{ path: [...path], pattern: resolved.pattern }];
  return Object.entries(resolved?.properties ?? {}).flatMap(([field, property]) => patternedFields(property, schemas, [...path, field]));
}

function valueAt(body: Body, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, field) => (value as Body | undefined)?.[field], body);
}

function withValueAt(body: Body, [field, ...rest]: readonly string[], value: unknown): Body {
  return { ...body, [field]: rest.length === 0 ? value : withValueAt((body[field] ?? {}) as Body, rest, value) };
}

function distinctTags(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `tag-${i}`);
}

describe('the OpenAPI document and the domain', () => {
  let stack: Stack;
  let schemas: Schemas;
  let commandBodies: string[];

  beforeAll(async () => {
    stack = await startStack({ database: 'sqlite', withoutWorker: true });
    const response = await stack.http.get('/docs/openapi.json').expect(200);
    schemas = response.body.components.schemas;
    commandBodies = [];
    for (const operations of Object.values(response.body.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>)) {
      for (const operation of Object.values(operations)) {
        const ref = operation.requestBody?.content['application/json']?.schema.$ref;
        if (ref) commandBodies.push(ref.replace('#/components/schemas/', ''));
      }
    }
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('documents a request body for every command probed here (a renamed DTO is not silently skipped)', () => {
    expect([...new Set(commandBodies)]).toEqual(expect.arrayContaining([...Object.keys(PROBES), ...Object.keys(NO_DECIDER)]));
  });

  it('probes every request body that documents a limit, or says why no decider checks it', () => {
    const limited = [...new Set(commandBodies)].filter((name) => Object.values(schemas[name]?.properties ?? {}).some(documentsLimit));

    expect(limited.filter((name) => !(name in PROBES) && !(name in NO_DECIDER))).toEqual([]);
  });

  it('documents exactly the text lengths and list sizes the domain enforces', () => {
    const checked: string[] = [];
    for (const [name, probe] of Object.entries(PROBES)) {
      expect(refusal(() => probe.decide(probe.body))).toBeUndefined();
      for (const [field, property] of Object.entries(schemas[name]?.properties ?? {})) {
        if (property.maxLength !== undefined) {
          const max = property.maxLength;
          expect({ field: `${name}.${field}`, refused: refusal(() => probe.decide({ ...probe.body, [field]: 'x'.repeat(max) }))?.message }).toEqual({
            field: `${name}.${field}`,
            refused: undefined,
          });
          const over = refusal(() => probe.decide({ ...probe.body, [field]: 'x'.repeat(max + 1) }));
          expect({ field: `${name}.${field}`, code: over?.code, details: over?.details }).toEqual({
            field: `${name}.${field}`,
            code: 'invalid-command',
            details: expect.objectContaining({ field, max }),
          });
          checked.push(`${name}.${field}`);
        }
        if (property.maxItems !== undefined) {
          const max = property.maxItems;
          expect(refusal(() => probe.decide({ ...probe.body, [field]: distinctTags(max) }))).toBeUndefined();
          const over = refusal(() => probe.decide({ ...probe.body, [field]: distinctTags(max + 1) }));
          expect({ field: `${name}.${field}`, details: over?.details }).toEqual({ field: `${name}.${field}`, details: expect.objectContaining({ field, max }) });
          checked.push(`${name}.${field}[]`);
        }
      }
    }
    // The limits the issue found drifting are among those checked.
    expect(checked).toEqual(expect.arrayContaining(['RecordLessonDto.body', 'RecordLessonDto.tags[]', 'RecordLessonDto.centre', 'RegisterDepartmentDto.centre']));
  });

  it('documents numeric bounds the domain accepts, and where the domain states a bound, the same one', () => {
    const checked: string[] = [];
    for (const [name, probe] of Object.entries(PROBES)) {
      for (const [field, property] of Object.entries(schemas[name]?.properties ?? {})) {
        for (const [bound, beyond, key] of [
          [property.minimum, -1, 'min'],
          [property.maximum, 1, 'max'],
        ] as const) {
          if (bound === undefined) continue;
          expect({ field: `${name}.${field}`, bound, refused: refusal(() => probe.decide({ ...probe.body, [field]: bound }))?.message }).toEqual({
            field: `${name}.${field}`,
            bound,
            refused: undefined,
          });
          const over = refusal(() => probe.decide({ ...probe.body, [field]: bound + beyond }));
          if (over?.details && key in over.details) {
            const inDomainUnits = probe.domainUnits?.[field]?.(bound) ?? bound;
            expect({ field: `${name}.${field}`, [key]: over.details[key] }).toEqual({ field: `${name}.${field}`, [key]: inDomainUnits });
          }
          checked.push(`${name}.${field}.${key}`);
        }
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['RecordAssessmentDto.score.min', 'RecordAssessmentDto.score.max']));
  });

  it('documents only the domain\'s own patterns, and the domain refuses what they refuse', () => {
    const checked: string[] = [];
    for (const [name, probe] of Object.entries(PROBES)) {
      for (const { path, pattern } of patternedFields(schemas[name], schemas)) {
        const field = path.join('.');
        const valid = valueAt(probe.body, path);
        expect({ field: `${name}.${field}`, pattern, domains: DOMAIN_PATTERNS.includes(pattern) }).toEqual({ field: `${name}.${field}`, pattern, domains: true });
        expect({ field: `${name}.${field}`, matches: valid === undefined || new RegExp(pattern).test(String(valid)) }).toEqual({ field: `${name}.${field}`, matches: true });
        expect(new RegExp(pattern).test(OFF_PATTERN)).toBe(false);
        const off = refusal(() => probe.decide(withValueAt(probe.body, path, OFF_PATTERN)));
        expect({ field: `${name}.${field}`, code: off?.code, details: off?.details }).toEqual({
          field: `${name}.${field}`,
          code: 'invalid-command',
          details: expect.objectContaining({ field }),
        });
        checked.push(`${name}.${field}`);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'RegisterDepartmentDto.code',
        'RegisterDepartmentDto.plannedGoLive',
        'RegisterDepartmentDto.deadlines.LESSONS',
        'ReplanDto.plannedGoLive',
        'ReplanDto.extendStage.by',
        'RecordSavingsDto.period',
        'RecordCostDto.period',
      ]),
    );
  });
});
