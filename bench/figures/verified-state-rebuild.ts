import { verifyChain } from '../../libs/audit/index.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { foldStored } from '../../libs/projections/index.js';
import { pairedRun } from '../stats.js';
import { openEventStoreBench } from './event-store-database.js';
import { pairedFigure, type Figure } from './figure.js';

/** A long-lived department: registration to LIVE, then this many savings records. */
const SAVINGS_RECORDS = 40;

/**
 * What the auditors' time travel costs: reading a department's stream, recomputing its
 * whole hash chain from the genesis hash and folding it with the workflow's evolve,
 * against a bare SELECT of the same rows with the same query.
 */
export const verifiedStateRebuild: Figure = {
  name: 'state-rebuild-verified-vs-select',
  async measure({ env, samples, warmup, signal, log }) {
    const bench = await openEventStoreBench(env);
    try {
      const store = new EventStore(bench.db);
      const code = `BRB${Date.now().toString(36).slice(-6).toUpperCase()}`;
      const streamId = streamIdFor(code);
      const history = departmentHistory(code);
      for (const [index, event] of history.entries()) {
        await store.append(streamId, index, [{ eventId: `${code}-${index}`, type: event.type, data: event.data, metadata: { actor: { sub: 'bench', role: 'lead' } }, recordedAt: event.data.at }]);
      }
      log(`${this.name}: ${history.length} events per rebuild, ${warmup} + ${samples} pairs`);
      const series = await pairedRun(
        async () => {
          const events = await store.readStream(streamId);
          if (!verifyChain(events).valid) throw new Error('the bench stream does not verify');
          if (foldStored(events).version !== history.length) throw new Error('the fold missed events');
        },
        async () => {
          const rows = await bench.db.query(
            `SELECT position, event_id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash FROM events
             WHERE stream_id = $1 AND version >= $2 AND version <= $3 ORDER BY version LIMIT $4`,
            [streamId, 1, 2 ** 31 - 1, 1_000_000],
          );
          if (rows.length !== history.length) throw new Error('the SELECT missed rows');
        },
        { samples, warmup, signal },
      );
      return pairedFigure(
        this.name,
        {
          api: `a ${history.length}-event department stream read, its SHA-256 chain recomputed from genesis and folded with evolve`,
          baseline: 'the same SELECT of the same rows, nothing parsed, hashed or folded',
        },
        series,
      );
    } finally {
      await bench.close();
    }
  },
};

/** Registration to LIVE through every gate, then quarterly savings: what a long-lived stream holds. */
function departmentHistory(code: string): Array<{ type: string; data: { at: string } & Record<string, unknown> }> {
  const day = (n: number) => new Date(Date.parse('2026-01-05T09:00:00Z') + n * 86_400_000).toISOString();
  const advanced = (from: string, to: string, n: number, deadline: number | null) => ({
    type: 'StageAdvanced',
    data: { from, to, at: day(n), mandatoryLessonIds: [], stageDeadlineAt: deadline === null ? null : day(deadline) },
  });
  const deadlines = { LESSONS: 'P30D', READINESS: 'P60D', MIGRATION: 'P120D', GO_LIVE: 'P30D' };
  return [
    { type: 'DepartmentRegistered', data: { code, name: `Bench ${code}`, centre: 'ISSC1', plannedGoLive: '2026-12-01', deadlines, lead: 'bench', stageDeadlineAt: day(30), at: day(0) } },
    { type: 'AssessmentRecorded', data: { sro: 'Bench SRO', score: 4, contractManagementFte: 2, notes: null, at: day(1) } },
    advanced('LESSONS', 'READINESS', 2, 62),
    { type: 'BaselineRecorded', data: { annualCostPence: 125_000_050, implementationCostPence: 30_000_000, headcountServed: 4200, at: day(3) } },
    advanced('READINESS', 'MIGRATION', 5, 125),
    ...['hr', 'finance', 'payroll', 'procurement'].map((workstream, index) => ({
      type: 'MigrationWorkstreamRecorded',
      data: { workstream, recordsExtracted: 1000, recordsLoaded: 1000, evidenceRef: `evidence/${workstream}`, at: day(10 + index) },
    })),
    advanced('MIGRATION', 'GO_LIVE', 125, 155),
    ...['department-sro', 'centre', 'programme'].map((as, index) => ({
      type: 'GoLiveDecisionRecorded',
      data: { as, decision: 'go', reason: 'ready', by: null, at: day(126 + index) },
    })),
    advanced('GO_LIVE', 'LIVE', 131, null),
    ...Array.from({ length: SAVINGS_RECORDS }, (_, index) => ({
      type: 'SavingsRecorded',
      data: {
        period: `${2027 + Math.floor(index / 4)}-Q${(index % 4) + 1}`,
        amountPence: 1_000_000 + index,
        attribution: index % 3 === 0 ? 'spending-constraint' : 'programme',
        evidenceRef: `ledger/${index}`,
        at: day(200 + index * 91),
      },
    })),
  ];
}
