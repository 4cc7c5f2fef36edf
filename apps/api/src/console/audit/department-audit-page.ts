import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Principal } from '../../auth/roles.js';
import { ApiError } from '../../common/api-error.js';
import { toErrorBody } from '../../common/error-filter.js';
import { createValidationPipe } from '../../common/validation.js';
import { EvidenceController } from '../../audit/evidence/evidence.controller.js';
import { WorkflowHistoryController, type HistoryQuery } from '../../audit/history/workflow-history.controller.js';
import { VerifyStreamController } from '../../audit/integrity/verify-stream.controller.js';
import { ReplayController } from '../../audit/replay/replay.controller.js';
import { DepartmentStateController, PointInTimeQuery } from '../../audit/time-travel/department-state.controller.js';
import { DepartmentQueriesController, type EventsQuery } from '../../departments/queries/department-queries.controller.js';
import { ApiControllers } from '../api-controllers.js';
import { AccessRules } from '../departments/access-rules.js';
import { timelineEntry } from '../departments/event-words.js';
import { formatDate, formatDateTime, formatPounds, stageName } from '../view-filters.js';
import { chainProblemText, historyEventName, replayFailureText } from './audit-words.js';
import { pointInTimeFrom, type PointInTimeAnswers } from './point-in-time-form.js';

type DepartmentView = Awaited<ReturnType<DepartmentQueriesController['get']>>;
type HistoricalView = Awaited<ReturnType<DepartmentStateController['state']>>;
type SummaryRow = { key: { text: string }; value: { text?: string; html?: string } };

const CLOSING_EVENTS: Record<string, string> = {
  EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: 'Completed',
  EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: 'Continued as new',
  EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: 'Failed',
  EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: 'Terminated',
  EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT: 'Timed out',
  EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED: 'Cancelled',
};

/** As many as the API's events route gives at once; later versions are still one form away. */
const EVENTS_SHOWN = 1000;

interface HistoryEvent {
  readonly eventTime?: string;
  readonly eventType?: string;
}

export interface DepartmentAuditRequest {
  readonly answers: PointInTimeAnswers;
  readonly replay: boolean;
}

/**
 * `/departments/:code/audit`, built from the auditors' API routes: each section is shown
 * only to a role the route itself admits (the programme may look at past states, say,
 * but only auditors verify and replay).
 */
@Injectable()
export class DepartmentAuditPage {
  constructor(
    private readonly api: ApiControllers,
    private readonly rules: AccessRules,
  ) {}

  /** The view, and the status to answer with: 400 when a "state as of" form was filled in wrongly. */
  async view(principal: Principal, rawCode: string, request: DepartmentAuditRequest, response: Response) {
    const department = await this.api.get(DepartmentQueriesController).get(rawCode);
    const code = department.code;
    const may = {
      verify: this.rules.may(principal, VerifyStreamController, 'verify', code),
      state: this.rules.may(principal, DepartmentStateController, 'state', code),
      history: this.rules.may(principal, WorkflowHistoryController, 'history', code),
      replay: this.rules.may(principal, ReplayController, 'replay', code),
      evidence: this.rules.may(principal, EvidenceController, 'evidence', code),
      events: this.rules.may(principal, DepartmentQueriesController, 'events', code),
    };
    const [verification, state, history, replay, events] = await Promise.all([
      may.verify ? this.verification(code) : undefined,
      may.state ? this.pastState(code, department, request.answers) : undefined,
      may.history ? this.history(code, response) : undefined,
      may.replay && request.replay ? this.replay(code) : undefined,
      may.events ? this.events(code) : undefined,
    ]);
    const errors = state?.errors ?? {};
    return {
      status: Object.keys(errors).length > 0 ? 400 : 200,
      view: {
        title: `Audit: ${department.name} (${code})`,
        department,
        may,
        verification,
        state,
        history,
        replay,
        events,
        errors,
        errorList: Object.entries(errors).map(([field, text]) => ({ text, href: field === 'date' ? '#date-day' : `#${field}` })),
      },
    };
  }

  private async verification(code: string) {
    const result = await this.api.get(VerifyStreamController).verify(code);
    return { ...result, problemText: result.valid ? undefined : chainProblemText(result.problem) };
  }

  /** Each version in words with its hash, so an auditor can choose the version to fold to. */
  private async events(code: string) {
    const stored = await this.api.get(DepartmentQueriesController).events(code, { limit: EVENTS_SHOWN } as EventsQuery);
    return {
      shown: stored.length,
      rows: stored.map((event) => {
        const entry = timelineEntry(event);
        return { version: entry.version, text: entry.text, who: entry.who, at: formatDateTime(entry.at), hash: event.hash };
      }),
    };
  }

  private async pastState(code: string, department: DepartmentView, answers: PointInTimeAnswers) {
    const values = { ...answers };
    const point = pointInTimeFrom(answers, new Date());
    if (point.kind === 'none') return { values, errors: {} };
    if (point.kind === 'invalid') return { values, errors: point.errors };
    const raw = point.kind === 'date' ? { asOf: point.asOf } : { version: point.version };
    try {
      const query = (await createValidationPipe().transform(raw, { type: 'query', metatype: PointInTimeQuery, data: '' })) as PointInTimeQuery;
      const historical = await this.api.get(DepartmentStateController).state(code, query);
      const asked = point.kind === 'date' ? `As it stood at ${point.description}` : `As it stood after version ${historical.version}`;
      return { values, errors: {}, asked, result: historical, rows: historicalRows(historical) };
    } catch (error) {
      const body = toErrorBody(error);
      if (point.kind === 'version' && (body.code === 'validation-failed' || body.code === 'version-not-found')) {
        return { values, errors: { version: `Enter a version from 1 to ${department.version}, the number of events recorded for ${code}` } };
      }
      throw error;
    }
  }

  /** The latest run of the workflow in figures; Temporal being out of reach is said here, not as an error page. */
  private async history(code: string, response: Response) {
    try {
      const { events } = (await this.api.get(WorkflowHistoryController).history(code, {} as HistoryQuery, response)) as { events: HistoryEvent[] };
      const counts = new Map<string, number>();
      for (const event of events) counts.set(event.eventType ?? 'unknown', (counts.get(event.eventType ?? 'unknown') ?? 0) + 1);
      const last = events.at(-1);
      return {
        available: true as const,
        runId: String(response.getHeader('x-workflow-run-id') ?? ''),
        workflowId: String(response.getHeader('x-workflow-id') ?? ''),
        status: CLOSING_EVENTS[last?.eventType ?? ''] ?? 'Running',
        startedAt: events[0]?.eventTime,
        lastEventAt: last?.eventTime,
        eventCount: events.length,
        failedActivities: counts.get('EVENT_TYPE_ACTIVITY_TASK_FAILED') ?? 0,
        rows: [...counts.entries()]
          .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
          .map(([type, count]) => [{ text: historyEventName(type) }, { text: String(count), format: 'numeric' }]),
      };
    } catch (error) {
      return { available: false as const, message: unavailableText(error) };
    }
  }

  private async replay(code: string) {
    try {
      const outcome = await this.api.get(ReplayController).replay({ departments: [code] });
      return {
        available: true as const,
        ok: outcome.failed === 0,
        replayed: outcome.replayed,
        runs: outcome.results.map((result) => ({ runId: result.runId ?? 'none', ok: result.ok, text: result.ok ? 'Same decisions' : replayFailureText(result.error) })),
      };
    } catch (error) {
      return { available: false as const, message: unavailableText(error) };
    }
  }
}

/** Why a section that needs Temporal could not be shown; a fault that is not Temporal's still goes to the error page. */
function unavailableText(error: unknown): string {
  if (!(error instanceof ApiError)) throw error;
  if (error.code === 'workflow-not-found') return 'Temporal holds no workflow for this department (its history may have passed the retention period).';
  if (error.code === 'temporal-unavailable') return 'Temporal could not be reached. Try again in a moment.';
  throw error;
}

function historicalRows(historical: HistoricalView): SummaryRow[] {
  const row = (key: string, text: string): SummaryRow => ({ key: { text: key }, value: { text } });
  const rows = [
    row('Version', `${historical.version} of ${historical.headVersion}${historical.atHead ? ' (the latest)' : ''}`),
    row('Last event recorded', historical.recordedAt ? formatDateTime(historical.recordedAt) : 'None'),
    row('Hash chain up to here', historical.integrity.valid ? `Intact (${historical.integrity.checkedEvents} events)` : `Broken at version ${historical.integrity.firstInvalidVersion}`),
  ];
  if (historical.atHead && historical.matchesReadModel !== undefined) {
    rows.push(row('Read model', historical.matchesReadModel ? 'Matches the events' : 'Differs from the events: rebuild the projections'));
  }
  const department = historical.department;
  if (!department) return [...rows, row('Department', 'Not registered yet')];
  const workstreams = Object.entries(department.workstreams).filter(([, workstream]) => workstream && workstream.recordsLoaded === workstream.recordsExtracted);
  const decisions = Object.entries(department.goLiveDecisions)
    .filter(([, decision]) => decision)
    .map(([voice, decision]) => `${voice}: ${decision!.decision}`);
  const claimed = department.savings.reduce((sum, saving) => sum + saving.amountGbp, 0);
  const status = [department.paused ? 'paused' : '', department.overdue ? 'overdue' : ''].filter(Boolean).join(', ');
  return [
    ...rows,
    row('Stage', `${stageName(department.stage)}${status ? ` (${status})` : ''}`),
    row('Onboarding lead', department.lead ?? 'Not assigned'),
    row('Planned go-live', formatDate(department.plannedGoLive)),
    row('Assessment', department.assessment ? `Score ${department.assessment.score} of 5, senior responsible owner ${department.assessment.sro}` : 'Not recorded'),
    row('Cost baseline', department.baseline ? `${formatPounds(department.baseline.annualCostGbp)} a year` : 'Not recorded'),
    row('Deviations', department.deviations.length ? department.deviations.map((deviation) => `${deviation.area}: ${deviation.status}`).join('; ') : 'None'),
    row('Workstreams complete', `${workstreams.length} of 4`),
    row('Go-live decisions', decisions.length ? decisions.join('; ') : 'None'),
    row('Savings claimed', department.savings.length ? formatPounds(claimed) : 'None'),
  ];
}
