import type { LatencyWindow } from './figures.js';
import type { SoakResult } from './soak.js';

const seconds = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
const window = (latency: LatencyWindow | null) => (latency ? `${latency.p50Ms} / ${latency.p99Ms}` : '—');

/** The soak's results as a Markdown table, as printed and as pasted into docs/scaling.md. */
export function soakTable(result: SoakResult): string {
  const header = [
    'drill',
    'depts (LIVE)',
    'attempted',
    'acked',
    'refused',
    '503s',
    'no conn.',
    'lost',
    'dup.',
    '5xx ≠ 503',
    'reads (503s)',
    'back after',
    'recovered after',
    'p50 / p99 ms before',
    'during',
    'after',
    'checks',
  ];
  const rows = result.drills.map((drill) => {
    const { commands, invariants } = drill;
    const latency = drill.fault ? commands.latency : { before: commands.latency.overall, during: null, after: null };
    return [
      drill.title,
      `${drill.departments} (${drill.journeysCompleted})`,
      commands.attempted,
      commands.acknowledged,
      commands.refused,
      commands.http503,
      commands.connectionErrors,
      invariants.lost.length,
      invariants.duplicated.length,
      commands.otherServerErrors + drill.reads.otherServerErrors,
      `${drill.reads.attempted} (${drill.reads.http503})`,
      seconds(drill.fault?.repairedAfterMs),
      seconds(drill.fault?.recoveredAfterMs),
      window(latency.before),
      window(latency.during),
      window(latency.after),
      [drill.passed ? 'pass' : `FAIL: ${drill.problems.join('; ')}`, ...(drill.cutShort ? ['cut short by the time limit'] : [])].join('; '),
    ].map(String);
  });
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const detection = result.failingWorkflowTask;
  if (detection) {
    lines.push(
      '',
      `Failing workflow task listed by GET /api/operations/stuck after ${seconds(detection.detectionMs)} ` +
        `(the rotating scan lists it when a sweep reaches its page: ${detection.runningWorkflows} running onboardings, ${detection.sweepBatch} per sweep every ${seconds(detection.sweepIntervalMs)}, ` +
        `so at most a full pass of ${seconds(detection.fullPassMs)}). ` +
        `TemporalReportedProblems visibility query: ${detection.reportedProblemsQuery.offered ? 'offered' : 'not offered'} by the server (${detection.reportedProblemsQuery.answer.split('\n')[0]}).`,
    );
  }
  const cut = result.drills.filter((drill) => drill.cutShort !== null || drill.faultNotStruck !== undefined);
  if (cut.length > 0) {
    lines.push('', 'Cut short by the time limit (what was sent is checked above; none of it counts as lost):');
    for (const drill of cut) {
      const parts = [
        ...(drill.faultNotStruck ? [`fault not struck (${drill.faultNotStruck})`] : []),
        ...(drill.cutShort
          ? [
              `${drill.cutShort.departmentsNotStarted} departments not started`,
              `${drill.cutShort.journeysStopped} journeys stopped between commands`,
              `${drill.cutShort.commandsAbandoned} commands given up unanswered (perhaps recorded, never acknowledged)`,
            ]
          : []),
      ];
      lines.push(`- ${drill.title}: ${parts.join(', ')}.`);
    }
  }
  if (result.detectionSkipped) lines.push('', `Failing workflow task detection not measured: ${result.detectionSkipped}.`);
  if (result.skipped.length > 0) lines.push('', `Not run (time limit): ${result.skipped.join(', ')}.`);
  return lines.join('\n');
}
