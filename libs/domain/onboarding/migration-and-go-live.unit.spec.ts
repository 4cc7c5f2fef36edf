import { decide, evolve, initialState, STAGE_GATES, WORKSTREAMS } from '../index.js';
import type { AdvanceStage, GoLiveRole, RecordGoLiveDecision, RecordMigration, Workstream } from '../index.js';
import { deciderSpecification } from '../testing/decider-specification.js';
import { days, goLiveDecided, inGoLive, inMigration, workstreamRecorded } from '../testing/onboarding-history.js';

const spec = deciderSpecification({ decide, evolve, initialState });

const migrate = (overrides: Partial<RecordMigration> = {}): RecordMigration => ({
  type: 'RecordMigration',
  at: days(10),
  workstream: 'payroll',
  recordsExtracted: 100,
  recordsLoaded: 100,
  evidenceRef: 'evidence/payroll',
  ...overrides,
});

const goLive = (as: GoLiveRole, decision: 'go' | 'no-go' = 'go', at = days(130)): RecordGoLiveDecision => ({
  type: 'RecordGoLiveDecision',
  at,
  as,
  decision,
  reason: `${as} says ${decision}`,
});

const advanceFrom = (from: AdvanceStage['from'], at: string): AdvanceStage => ({
  type: 'AdvanceStage',
  at,
  from,
  mandatoryLessonIds: [],
});

const all = (except: Workstream[] = []) => WORKSTREAMS.filter((ws) => !except.includes(ws)).map((ws) => workstreamRecorded(ws));

describe('MIGRATION', () => {
  describe('recording a workstream', () => {
    it('records it', () => {
      spec.given(inMigration).when(migrate()).then([workstreamRecorded('payroll')]);
    });

    it('marks it reconciled when every extracted record was loaded', () => {
      spec
        .given(inMigration)
        .when(migrate())
        .thenState((state) =>
          expect(state.workstreams.payroll).toEqual({
            recordsExtracted: 100,
            recordsLoaded: 100,
            evidenceRef: 'evidence/payroll',
            reconciled: true,
            recordedAt: days(10),
          }),
        );
    });

    it('marks it unreconciled when records went missing (or were duplicated)', () => {
      spec.given(inMigration).when(migrate({ recordsLoaded: 99 })).thenState((s) => expect(s.workstreams.payroll?.reconciled).toBe(false));
      spec.given(inMigration).when(migrate({ recordsLoaded: 101 })).thenState((s) => expect(s.workstreams.payroll?.reconciled).toBe(false));
    });

    it('replaces an earlier record of the same workstream (a re-run after a fix)', () => {
      spec
        .given([...inMigration, workstreamRecorded('payroll', 100, 90)])
        .when(migrate({ at: days(11) }))
        .thenState((state) => expect(state.workstreams.payroll).toMatchObject({ reconciled: true, recordedAt: days(11) }));
    });

    spec.given(inMigration).refusesInvalid(migrate, [
      ['workstream', { workstream: 'pensions' as Workstream }],
      ['recordsExtracted', { recordsExtracted: -1 }],
      ['recordsLoaded', { recordsLoaded: 1.5 }],
      ['evidenceRef', { evidenceRef: '' }],
    ]);
  });

  describe('advancing', () => {
    it('moves to GO_LIVE when all four workstreams are complete and reconciled', () => {
      spec
        .given([...inMigration, ...all()])
        .when(advanceFrom('MIGRATION', days(125)))
        .then([
          {
            type: 'StageAdvanced',
            data: { from: 'MIGRATION', to: 'GO_LIVE', at: days(125), mandatoryLessonIds: [], stageDeadlineAt: days(155) },
          },
        ]);
    });

    it('refuses with both gates of every workstream when nothing was migrated', () => {
      spec
        .given(inMigration)
        .when(advanceFrom('MIGRATION', days(20)))
        .thenThrows('gates-unmet', {
          stage: 'MIGRATION',
          // Every one of them (their names are pinned in gates.unit.spec.ts).
          unmetGates: STAGE_GATES.MIGRATION,
        });
    });

    it('refuses when payroll is complete but not reconciled', () => {
      spec
        .given([...inMigration, ...all(['payroll']), workstreamRecorded('payroll', 5000, 4999)])
        .when(advanceFrom('MIGRATION', days(20)))
        .thenThrows('gates-unmet', { unmetGates: ['workstream-payroll-reconciled'] });
    });

    it('refuses when one workstream is missing', () => {
      spec
        .given([...inMigration, ...all(['procurement'])])
        .when(advanceFrom('MIGRATION', days(20)))
        .thenThrows('gates-unmet', { unmetGates: ['workstream-procurement-complete', 'workstream-procurement-reconciled'] });
    });
  });
});

describe('GO_LIVE', () => {
  describe('recording a go-live decision', () => {
    it('records it, with no signatory when none is named', () => {
      spec.given(inGoLive).when(goLive('centre')).then([goLiveDecided('centre')]);
    });

    it('records the signatory when named', () => {
      spec
        .given(inGoLive)
        .when({ ...goLive('programme'), by: ' Pat Office ' })
        .thenState((state) => expect(state.goLiveDecisions.programme).toMatchObject({ decision: 'go', by: 'Pat Office' }));
    });

    it('keeps only the latest decision per role', () => {
      spec
        .given([...inGoLive, goLiveDecided('centre', 'go', days(126))])
        .when(goLive('centre', 'no-go', days(127)))
        .thenState((state) =>
          expect(state.goLiveDecisions.centre).toEqual({ decision: 'no-go', reason: 'centre says no-go', by: null, at: days(127) }),
        );
    });

    spec.given(inGoLive).refusesInvalid((overrides) => ({ ...goLive('centre'), ...overrides }), [
      ['as', { as: 'minister' as GoLiveRole }],
      ['decision', { decision: 'yes' as 'go' }],
      ['reason', { reason: '' }],
      ['by', { by: 'x'.repeat(201) }],
    ]);
  });

  describe('advancing', () => {
    it('goes LIVE when all three latest decisions are go, recording the actual go-live date', () => {
      spec
        .given([...inGoLive, goLiveDecided('department-sro'), goLiveDecided('centre'), goLiveDecided('programme')])
        .when(advanceFrom('GO_LIVE', '2025-05-17T23:30:00.000Z'))
        .thenState((state, events) => {
          expect(events).toEqual([
            {
              type: 'StageAdvanced',
              data: { from: 'GO_LIVE', to: 'LIVE', at: '2025-05-17T23:30:00.000Z', mandatoryLessonIds: [], stageDeadlineAt: null },
            },
          ]);
          expect(state).toMatchObject({
            stage: 'LIVE',
            actualGoLive: '2025-05-17',
            plannedGoLive: '2025-12-01',
            stageDeadlineAt: null,
            overdue: false,
          });
        });
    });

    it('counts a go that follows a no-go', () => {
      spec
        .given([
          ...inGoLive,
          goLiveDecided('department-sro'),
          goLiveDecided('centre', 'no-go', days(126)),
          goLiveDecided('centre', 'go', days(128)),
          goLiveDecided('programme'),
        ])
        .when(advanceFrom('GO_LIVE', days(131)))
        .thenState((state) => expect(state.stage).toBe('LIVE'));
    });

    it('refuses when a go was later withdrawn by a no-go', () => {
      spec
        .given([
          ...inGoLive,
          goLiveDecided('department-sro'),
          goLiveDecided('centre'),
          goLiveDecided('programme', 'go', days(126)),
          goLiveDecided('programme', 'no-go', days(128)),
        ])
        .when(advanceFrom('GO_LIVE', days(131)))
        .thenThrows('gates-unmet', { unmetGates: ['go-decision-programme'] });
    });

    it('refuses with every missing decision', () => {
      spec
        .given([...inGoLive, goLiveDecided('centre')])
        .when(advanceFrom('GO_LIVE', days(131)))
        .thenThrows('gates-unmet', { stage: 'GO_LIVE', unmetGates: ['go-decision-department-sro', 'go-decision-programme'] });
    });

    it('refuses a caller who believes the department is still migrating', () => {
      spec
        .given(inGoLive)
        .when(advanceFrom('MIGRATION', days(131)))
        .thenThrows('stage-mismatch', { expected: 'MIGRATION', actual: 'GO_LIVE' });
    });
  });
});
