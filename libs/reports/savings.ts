import { penceToPounds, type Attribution } from '../domain/index.js';
import { sum, type DepartmentHistory, type ReportInput } from './ledger.js';

/** One savings record as the events stood: first claimed, corrected, verified; with the event ids behind each. */
export interface SavingLine {
  readonly savingId: string;
  readonly period: string;
  readonly attribution: Attribution;
  readonly originalPence: number;
  readonly currentPence: number;
  /** The amount verified, while that verification still stands (a later correction voids it). */
  readonly verifiedPence: number | null;
  readonly recordedEventId: string;
  readonly correctionEventIds: readonly string[];
  readonly verificationEventId: string | null;
}

/** Walks a department's events once, keeping every record's standing amount and assurance. */
export function savingLines(history: DepartmentHistory): SavingLine[] {
  const lines = new Map<string, SavingLine>();
  for (const event of history.events) {
    if (event.type === 'SavingsRecorded') {
      const data = event.data as { savingId?: string; period: string; amountPence: number; attribution: Attribution };
      const savingId = data.savingId ?? event.eventId;
      lines.set(savingId, {
        savingId,
        period: data.period,
        attribution: data.attribution,
        originalPence: data.amountPence,
        currentPence: data.amountPence,
        verifiedPence: null,
        recordedEventId: event.eventId,
        correctionEventIds: [],
        verificationEventId: null,
      });
    } else if (event.type === 'SavingsCorrected' || event.type === 'SavingsVerified') {
      const data = event.data as { savingId: string; amountPence: number };
      const line = lines.get(data.savingId);
      if (line === undefined) continue;
      lines.set(
        data.savingId,
        event.type === 'SavingsCorrected'
          ? { ...line, currentPence: data.amountPence, verifiedPence: null, verificationEventId: null, correctionEventIds: [...line.correctionEventIds, event.eventId] }
          : { ...line, verifiedPence: data.amountPence, verificationEventId: event.eventId },
      );
    }
  }
  return [...lines.values()];
}

/** What a department spent, from its own CostIncurred events. */
function departmentCosts(history: DepartmentHistory) {
  const events = history.events.filter((event) => event.type === 'CostIncurred');
  return { pence: sum(events.map((event) => (event.data as { amountPence: number }).amountPence)), eventIds: events.map((event) => event.eventId) };
}

/** The estimate in the latest baseline, and the event it came from. */
function baselineOf(history: DepartmentHistory) {
  const event = history.events.filter((candidate) => candidate.type === 'BaselineRecorded').at(-1);
  if (event === undefined) return null;
  const data = event.data as { annualCostPence: number; implementationCostPence: number; expectedAnnualSavingPence?: number };
  return { ...data, eventId: event.eventId };
}

/** Approved deviations' estimated costs: every departure from the standard model costs money. */
export function approvedDeviationCosts(history: DepartmentHistory) {
  const approved = new Set(
    history.events
      .filter((event) => event.type === 'DeviationDecided' && (event.data as { decision: string }).decision === 'approved')
      .map((event) => (event.data as { deviationId: string }).deviationId),
  );
  const requested = history.events.filter((event) => event.type === 'DeviationRequested' && approved.has((event.data as { deviationId: string }).deviationId));
  const data = requested.map((event) => event.data as { oneOffCostPence?: number; annualCostPence?: number });
  return {
    count: requested.length,
    oneOffPence: sum(data.map((deviation) => deviation.oneOffCostPence ?? 0)),
    annualPence: sum(data.map((deviation) => deviation.annualCostPence ?? 0)),
  };
}

export interface DepartmentSavings {
  readonly code: string;
  readonly name: string;
  readonly centre: string;
  readonly stage: string;
  readonly baselineAnnualCostGbp: number | null;
  readonly estimatedImplementationCostGbp: number | null;
  readonly expectedAnnualSavingGbp: number | null;
  readonly implementationCostGbp: number;
  readonly claimedProgrammeSavingsGbp: number;
  readonly verifiedProgrammeSavingsGbp: number;
  readonly spendingConstraintReductionsGbp: number;
  readonly approvedDeviations: number;
  readonly approvedDeviationOneOffCostGbp: number;
  readonly approvedDeviationAnnualCostGbp: number;
  /** Kept for callers of the first report: claimed programme savings. */
  readonly programmeSavingsGbp: number;
  readonly byPeriod: ReadonlyArray<{ period: string; programmeGbp: number; verifiedProgrammeGbp: number; spendingConstraintGbp: number }>;
  readonly savings: ReadonlyArray<{
    savingId: string;
    period: string;
    attribution: Attribution;
    originalGbp: number;
    claimedGbp: number;
    verifiedGbp: number | null;
    corrections: number;
  }>;
}

export type Band = 'below' | 'within' | 'above';

export interface SavingsTotals {
  /** Programme savings as they stand after corrections: what departments claim. */
  readonly claimedProgrammeSavingsGbp: number;
  /** Of those, what the programme has verified at the amount that stands. */
  readonly verifiedProgrammeSavingsGbp: number;
  readonly unverifiedProgrammeSavingsGbp: number;
  /** Programme savings as first recorded, and what corrections took off (negative) or added. */
  readonly originallyClaimedProgrammeSavingsGbp: number;
  readonly programmeSavingsCorrectionsGbp: number;
  /** Reductions caused by spending constraints: reported, never claimed. */
  readonly spendingConstraintReductionsGbp: number;
  /** Incurred, on every stream: departments', centres' and the programme's. */
  readonly implementationCostGbp: number;
  /** Estimated, from the latest baseline of each department. */
  readonly estimatedImplementationCostGbp: number;
  /** Verified programme savings less implementation cost incurred. */
  readonly netProgrammeSavingsGbp: number;
  /** Verified programme savings over the four quarters ending with the latest verified one. */
  readonly annualRunRateGbp: number;
  readonly runRatePeriods: readonly string[];
  /** Implementation cost incurred over the annual run-rate; null while nothing is verified. */
  readonly paybackYears: number | null;
  readonly expectedAnnualSavingGbp: number;
  readonly approvedDeviationOneOffCostGbp: number;
  readonly approvedDeviationAnnualCostGbp: number;
  readonly target: {
    readonly annualSavingsGbp: readonly [number, number];
    readonly implementationCostGbp: readonly [number, number];
    /** Where the run-rate and the cost incurred stand against the band. */
    readonly annualRunRate: Band;
    readonly implementationCost: Band;
  };
  readonly departmentsReporting: number;
  /** Kept for callers of the first report: the claimed programme savings. */
  readonly programmeSavingsGbp: number;
}

export interface SavingsReport {
  readonly asOf: string;
  readonly departments: readonly DepartmentSavings[];
  readonly costs: {
    readonly byDepartmentGbp: number;
    readonly byCentre: ReadonlyArray<{ centre: string; implementationCostGbp: number }>;
    readonly programmeGbp: number;
  };
  readonly totals: SavingsTotals;
  /** The event ids each total was computed from. */
  readonly provenance: Readonly<Record<string, readonly string[]>>;
}

export interface ProgrammeTargets {
  readonly savingsPence: readonly [number, number];
  readonly costPence: readonly [number, number];
}

/** The band the programme announced: £400m-£600m a year for £44m-£95m. */
export const ANNOUNCED_TARGETS: ProgrammeTargets = { savingsPence: [400_000_000_00, 600_000_000_00], costPence: [44_000_000_00, 95_000_000_00] };

function band(pence: number, [min, max]: readonly [number, number]): Band {
  return pence < min ? 'below' : pence > max ? 'above' : 'within';
}

/**
 * Savings caused by the programme apart from reductions caused by spending constraints;
 * claimed, verified and corrected apart, each record counted once at the amount that
 * stands; cost incurred against the estimate. Every sum is in pence.
 */
export function savingsReport(input: ReportInput, targets: ProgrammeTargets = ANNOUNCED_TARGETS): SavingsReport {
  const provenance = {
    claimedProgrammeSavingsGbp: [] as string[],
    verifiedProgrammeSavingsGbp: [] as string[],
    programmeSavingsCorrectionsGbp: [] as string[],
    spendingConstraintReductionsGbp: [] as string[],
    implementationCostGbp: input.ledgerCosts.map((cost) => cost.eventId),
    estimatedImplementationCostGbp: [] as string[],
    annualRunRateGbp: [] as string[],
    expectedAnnualSavingGbp: [] as string[],
  };
  const all = input.departments.map((history) => ({ history, lines: savingLines(history) }));
  const programmeLines = all.flatMap(({ lines }) => lines.filter((line) => line.attribution === 'programme'));
  const runRate = runRateOf(programmeLines);
  provenance.annualRunRateGbp.push(...runRate.eventIds);

  const totals = { claimed: 0, verified: 0, original: 0, constraint: 0, departmentCost: 0, estimated: 0, expected: 0, oneOff: 0, annual: 0 };
  const departments = all.map(({ history, lines }) => {
    const state = history.state;
    const costs = departmentCosts(history);
    const baseline = baselineOf(history);
    const deviations = approvedDeviationCosts(history);
    const own = lines.filter((line) => line.attribution === 'programme');
    const constraint = lines.filter((line) => line.attribution === 'spending-constraint');
    const claimed = sum(own.map((line) => line.currentPence));
    const verified = sum(own.map((line) => line.verifiedPence ?? 0));
    const constrained = sum(constraint.map((line) => line.currentPence));
    totals.claimed += claimed;
    totals.verified += verified;
    totals.original += sum(own.map((line) => line.originalPence));
    totals.constraint += constrained;
    totals.departmentCost += costs.pence;
    totals.estimated += baseline?.implementationCostPence ?? 0;
    totals.expected += baseline?.expectedAnnualSavingPence ?? 0;
    totals.oneOff += deviations.oneOffPence;
    totals.annual += deviations.annualPence;
    provenance.claimedProgrammeSavingsGbp.push(...own.flatMap((line) => [line.recordedEventId, ...line.correctionEventIds.slice(-1)]));
    provenance.verifiedProgrammeSavingsGbp.push(...own.flatMap((line) => (line.verificationEventId ? [line.verificationEventId] : [])));
    provenance.programmeSavingsCorrectionsGbp.push(...own.flatMap((line) => line.correctionEventIds));
    provenance.spendingConstraintReductionsGbp.push(...constraint.flatMap((line) => [line.recordedEventId, ...line.correctionEventIds.slice(-1)]));
    provenance.implementationCostGbp.push(...costs.eventIds);
    if (baseline) provenance.estimatedImplementationCostGbp.push(baseline.eventId);
    if (baseline?.expectedAnnualSavingPence !== undefined) provenance.expectedAnnualSavingGbp.push(baseline.eventId);
    return {
      code: state.code,
      name: state.name,
      centre: state.centre,
      stage: state.stage,
      baselineAnnualCostGbp: baseline ? penceToPounds(baseline.annualCostPence) : null,
      estimatedImplementationCostGbp: baseline ? penceToPounds(baseline.implementationCostPence) : null,
      expectedAnnualSavingGbp: baseline?.expectedAnnualSavingPence === undefined ? null : penceToPounds(baseline.expectedAnnualSavingPence),
      implementationCostGbp: penceToPounds(costs.pence),
      claimedProgrammeSavingsGbp: penceToPounds(claimed),
      verifiedProgrammeSavingsGbp: penceToPounds(verified),
      spendingConstraintReductionsGbp: penceToPounds(constrained),
      approvedDeviations: deviations.count,
      approvedDeviationOneOffCostGbp: penceToPounds(deviations.oneOffPence),
      approvedDeviationAnnualCostGbp: penceToPounds(deviations.annualPence),
      programmeSavingsGbp: penceToPounds(claimed),
      byPeriod: byPeriod(lines),
      savings: lines.map((line) => ({
        savingId: line.savingId,
        period: line.period,
        attribution: line.attribution,
        originalGbp: penceToPounds(line.originalPence),
        claimedGbp: penceToPounds(line.currentPence),
        verifiedGbp: line.verifiedPence === null ? null : penceToPounds(line.verifiedPence),
        corrections: line.correctionEventIds.length,
      })),
    };
  });

  const ledgerPence = sum(input.ledgerCosts.map((cost) => cost.amountPence));
  const incurred = totals.departmentCost + ledgerPence;
  const centres = new Map<string, number>();
  for (const cost of input.ledgerCosts) if (cost.centre !== null) centres.set(cost.centre, (centres.get(cost.centre) ?? 0) + cost.amountPence);
  return {
    asOf: input.asOf,
    departments,
    costs: {
      byDepartmentGbp: penceToPounds(totals.departmentCost),
      byCentre: [...centres.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([centre, pence]) => ({ centre, implementationCostGbp: penceToPounds(pence) })),
      programmeGbp: penceToPounds(sum(input.ledgerCosts.filter((cost) => cost.centre === null).map((cost) => cost.amountPence))),
    },
    totals: {
      claimedProgrammeSavingsGbp: penceToPounds(totals.claimed),
      verifiedProgrammeSavingsGbp: penceToPounds(totals.verified),
      unverifiedProgrammeSavingsGbp: penceToPounds(totals.claimed - totals.verified),
      originallyClaimedProgrammeSavingsGbp: penceToPounds(totals.original),
      programmeSavingsCorrectionsGbp: penceToPounds(totals.claimed - totals.original),
      spendingConstraintReductionsGbp: penceToPounds(totals.constraint),
      implementationCostGbp: penceToPounds(incurred),
      estimatedImplementationCostGbp: penceToPounds(totals.estimated),
      netProgrammeSavingsGbp: penceToPounds(totals.verified - incurred),
      annualRunRateGbp: penceToPounds(runRate.pence),
      runRatePeriods: runRate.periods,
      paybackYears: runRate.pence === 0 ? null : Math.round((incurred / runRate.pence) * 100) / 100,
      expectedAnnualSavingGbp: penceToPounds(totals.expected),
      approvedDeviationOneOffCostGbp: penceToPounds(totals.oneOff),
      approvedDeviationAnnualCostGbp: penceToPounds(totals.annual),
      target: {
        annualSavingsGbp: [penceToPounds(targets.savingsPence[0]), penceToPounds(targets.savingsPence[1])],
        implementationCostGbp: [penceToPounds(targets.costPence[0]), penceToPounds(targets.costPence[1])],
        annualRunRate: band(runRate.pence, targets.savingsPence),
        implementationCost: band(incurred, targets.costPence),
      },
      departmentsReporting: all.filter(({ lines }) => lines.length > 0).length,
      programmeSavingsGbp: penceToPounds(totals.claimed),
    },
    provenance: { ...provenance, netProgrammeSavingsGbp: [...provenance.verifiedProgrammeSavingsGbp, ...provenance.implementationCostGbp] },
  };
}

/**
 * A year's worth of verified programme savings: the four quarters ending with the latest
 * quarter that has any verified (a quarter without savings counts as nothing saved).
 */
function runRateOf(lines: readonly SavingLine[]): { pence: number; periods: string[]; eventIds: string[] } {
  const verified = lines.filter((line) => line.verifiedPence !== null && line.verificationEventId !== null);
  const latest = verified.map((line) => line.period).sort().at(-1);
  const periods = latest === undefined ? [] : trailingYear(latest);
  const counted = verified.filter((line) => periods.includes(line.period));
  return { pence: sum(counted.map((line) => line.verifiedPence ?? 0)), periods, eventIds: counted.map((line) => line.verificationEventId!) };
}

/** `2027-Q2` → `2026-Q3`, `2026-Q4`, `2027-Q1`, `2027-Q2`. */
function trailingYear(period: string): string[] {
  const [year, quarter] = [Number(period.slice(0, 4)), Number(period.slice(6))];
  const index = year * 4 + quarter - 1;
  return [3, 2, 1, 0].map((back) => `${Math.floor((index - back) / 4)}-Q${((index - back) % 4) + 1}`);
}

function byPeriod(lines: readonly SavingLine[]) {
  const periods = new Map<string, { programme: number; verified: number; constraint: number }>();
  for (const line of lines) {
    const entry = periods.get(line.period) ?? { programme: 0, verified: 0, constraint: 0 };
    if (line.attribution === 'programme') {
      entry.programme += line.currentPence;
      entry.verified += line.verifiedPence ?? 0;
    } else {
      entry.constraint += line.currentPence;
    }
    periods.set(line.period, entry);
  }
  return [...periods.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, sums]) => ({
      period,
      programmeGbp: penceToPounds(sums.programme),
      verifiedProgrammeGbp: penceToPounds(sums.verified),
      spendingConstraintGbp: penceToPounds(sums.constraint),
    }));
}
