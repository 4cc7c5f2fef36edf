import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import proto from '@temporalio/proto';
import { openDatabase } from '../../libs/database/index.js';
import { streamIdFor } from '../../libs/domain/index.js';
import { registered } from '../../libs/domain/testing/onboarding-history.js';
import { EventStore } from '../../libs/event-store/index.js';
import { INLINE_PROJECTIONS, LessonReadModel } from '../../libs/projections/index.js';
import { UpdateBaseline, kindOfUpdate } from '../baseline.js';
import { benchCodes, departmentReadyToAdvance, prepareAll, registerDepartment } from '../departments.js';
import { callApi, expectResponse } from '../http.js';
import { rotatedRun } from '../stats.js';
import { benchEvent } from './event-store-database.js';
import { CommandRefused, OnboardingGateway } from '../../libs/temporal/index.js';
import type { CommandContext } from '../../workflows/contract.js';
import type { BreakdownFigure, Figure, FigureContext } from './figure.js';

const { EventType, TaskQueueKind } = proto.temporal.api.enums.v1;
/** The marker the SDK records for each local activity a workflow task ran. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;
const millis = (at: Timestamp) => Number(at?.seconds ?? 0) * 1000 + (at?.nanos ?? 0) / 1e6;
const median = (values: readonly number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] * 100) / 100;

type HistoryEvent = NonNullable<proto.temporal.api.history.v1.IHistory['events']>[number];

/**
 * How long the worker held the workflow task of each accepted baseline Update (started to
 * completed, from the history), by what the Update ran (its id says: see kindOfUpdate).
 */
function taskOnWorkerByUpdate(events: readonly HistoryEvent[]): Map<string, number[]> {
  const byKind = new Map<string, number[]>();
  let started: Timestamp;
  let lastTask: number | undefined;
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) started = event.eventTime;
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) lastTask = millis(event.eventTime) - millis(started);
    if (event.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED || lastTask === undefined) continue;
    const kind = kindOfUpdate(event.workflowExecutionUpdateAcceptedEventAttributes?.protocolInstanceId ?? '');
    if (kind !== null) byKind.set(kind, [...(byKind.get(kind) ?? []), lastTask]);
  }
  return byKind;
}

const ADVANCE = { type: 'AdvanceStage', from: 'LESSONS', mandatoryLessonIds: [] } as const;

/**
 * The refused advance taken apart, every part in one rotation (on the loaded machine the
 * first Update after a call that sent none took up to twice as long, and a series timed in
 * another rotation is slower or faster with what surrounds it): the HTTP call; the two calls
 * the API's command service makes for it (the lookup with the mandatory lessons, then the
 * Update through the gateway) without HTTP; the gateway's Update alone; a bare refused
 * Update; and the API's two floors, which send no Update. One series each, in that order.
 */
async function refusedInOneRotation(
  { env, samples, warmup, signal }: Pick<FigureContext, 'env' | 'samples' | 'warmup' | 'signal'>,
  baseline: UpdateBaseline,
  gateway: OnboardingGateway,
  context: CommandContext,
): Promise<number[][]> {
  const token = env.token('programme');
  const refusedByGateway = (mandatoryLessonIds: string[]) =>
    gateway.execute('BBRKREF', { ...ADVANCE, mandatoryLessonIds }, context).then(
      () => Promise.reject(new Error('the gateway accepted an advance whose gates are unmet')),
      (error: unknown) => {
        // Only the validator's refusal is what this series times; anything else fails the figure.
        if (!(error instanceof CommandRefused && error.code === 'gates-unmet')) throw error;
      },
    );
  const db = await openDatabase({ postgresUrl: env.config.databaseUrl! });
  try {
    const lessons = new LessonReadModel(db);
    return await rotatedRun(
      [
        async () =>
          expectResponse(await callApi(env, 'POST', '/api/departments/BBRKREF/advance', token, { from: 'LESSONS' }), 422, 'a refused advance', 'gates-unmet'),
        async () => {
          const found = await lessons.stageWithMandatoryLessons('BBRKREF');
          await refusedByGateway(found?.mandatoryLessonIds ?? []);
        },
        () => refusedByGateway([]),
        () => baseline.refused(),
        async () => expectResponse(await callApi(env, 'POST', '/api/departments/BBRKNONE/advance', token, { from: 'LESSONS' }), 404, 'an unknown department'),
        // Below that floor: the same request refused by the validation pipe, before any read.
        async () =>
          expectResponse(await callApi(env, 'POST', '/api/departments/BBRKREF/advance', token, { from: 'NOWHERE' }), 400, 'an advance from no stage', 'validation-failed'),
      ],
      { samples, warmup, signal },
    );
  } finally {
    await db.close();
  }
}

/**
 * Where an advance's time goes, measured piece by piece on the same run.
 *
 * Accepted: the whole HTTP call; the same Update sent straight through the API's gateway
 * (no HTTP, no Nest, no read-model lookup); from the Temporal history of each advanced
 * workflow, how long its workflow task waited for the worker and how long the worker held
 * it (validator, handler, local activities) and how many local activities it ran; the two
 * database calls the handler makes (in one local activity),
 * timed directly on the same database (the lesson-library read; the append with its inline
 * projections); and a bare accepted Update on the same server.
 *
 * Refused (see refusedInOneRotation): the HTTP call; the command service's lookup and
 * Update without HTTP; the same refused Update through the gateway alone; a bare refused
 * Update; and the API's floor, an advance of an unknown department (HTTP, token, one
 * read-model lookup, a 404), which sends no Update at all.
 *
 * The floor under both: a bare accepted Update whose handler runs one no-op local activity,
 * and one that runs two, each beside the bare accepted Update (`oneNoopLocalActivityRatio`,
 * `twoNoopLocalActivitiesRatio`): what running anything at all inside the Update's workflow
 * task costs before any database is touched.
 */
export const advanceBreakdown: Figure = {
  name: 'advance-accepted-breakdown',
  async measure({ env, samples, warmup, signal, log }): Promise<BreakdownFigure> {
    const count = Math.max(10, Math.min(samples, 100));
    const codes = benchCodes('BBRK', count);
    const direct = benchCodes('BBRG', count);
    log(`${this.name}: preparing ${2 * count} departments`);
    await prepareAll([...codes, ...direct], (code) => departmentReadyToAdvance(env, code));
    await registerDepartment(env, 'BBRKREF');
    const token = env.token('programme');
    const gateway = new OnboardingGateway(env.temporal, env.config.temporalTaskQueue, env.config.commandTimeoutMs);
    const context: CommandContext = { actor: { sub: 'bench-programme', role: 'programme' }, requestId: 'bench-breakdown', correlationId: 'bench-breakdown' };

    const http: number[] = [];
    const throughGateway: number[] = [];
    for (const [index, code] of codes.entries()) {
      let started = performance.now();
      expectResponse(await callApi(env, 'POST', `/api/departments/${code}/advance`, token, { from: 'LESSONS' }), 200, 'an accepted advance');
      http.push(performance.now() - started);
      started = performance.now();
      await gateway.execute(direct[index], ADVANCE, context);
      throughGateway.push(performance.now() - started);
    }

    const baseline = await UpdateBaseline.start(env);
    const [refusedHttp, refusedServiceCalls, refusedGateway, bareRefused, apiFloor, apiFloorNoDatabase] = await refusedInOneRotation(
      { env, samples: count, warmup, signal },
      baseline,
      gateway,
      context,
    );

    const taskWait: number[] = [];
    const taskOnWorker: number[] = [];
    const workflowTasks: number[] = [];
    const activityTasks: number[] = [];
    const localActivities: number[] = [];
    const stickyTasks: number[] = [];
    for (const code of codes) {
      const history = await env.temporal.workflow.getHandle(`onboarding-${code}`).fetchHistory();
      const events = history.events ?? [];
      const lastIndex = (type: number, before: number) => {
        for (let index = before - 1; index >= 0; index -= 1) if (events[index].eventType === type) return index;
        return -1;
      };
      const accepted = lastIndex(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, events.length);
      // The Update is accepted when its own workflow task completes; the advance starts with the
      // first task scheduled after the task before it (whose own markers follow its completion).
      const ownCompleted = lastIndex(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, accepted);
      const previousCompleted = lastIndex(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, ownCompleted);
      const firstScheduled = events.findIndex((event, index) => index > previousCompleted && event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      const advanced = events.slice(firstScheduled);
      const of = (type: number) => advanced.filter((event) => event.eventType === type);
      const scheduled = of(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      const started = of(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
      const completed = of(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      workflowTasks.push(completed.length);
      activityTasks.push(of(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length);
      localActivities.push(of(EventType.EVENT_TYPE_MARKER_RECORDED).filter((event) => event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER).length);
      stickyTasks.push(scheduled.filter((event) => event.workflowTaskScheduledEventAttributes?.taskQueue?.kind === TaskQueueKind.TASK_QUEUE_KIND_STICKY).length);
      if (scheduled[0] && started[0]) taskWait.push(millis(started[0].eventTime) - millis(scheduled[0].eventTime));
      if (started.length && completed.length) taskOnWorker.push(millis(completed.at(-1)?.eventTime) - millis(started[0].eventTime));
    }

    const db = await openDatabase({ postgresUrl: env.config.databaseUrl! });
    const lessonsRead: number[] = [];
    const append: number[] = [];
    try {
      const store = new EventStore(db, INLINE_PROJECTIONS);
      const lessons = new LessonReadModel(db);
      // The worker's appends go to a registered department's stream, whose row the projection folds onto.
      const streamId = streamIdFor('BBRKDB');
      const at = new Date().toISOString();
      await store.append(streamId, 0, [
        {
          eventId: randomUUID(),
          type: 'DepartmentRegistered',
          data: { ...registered.data, code: 'BBRKDB', name: 'Bench department BBRKDB', at },
          metadata: { actor: { sub: 'bench-programme', role: 'programme' } },
          recordedAt: at,
        },
      ]);
      for (let index = 0; index < count; index += 1) {
        let started = performance.now();
        await lessons.mandatoryLessonIds('BENCH');
        lessonsRead.push(performance.now() - started);
        started = performance.now();
        await store.append(streamId, index + 1, [benchEvent(index)]);
        append.push(performance.now() - started);
      }
    } finally {
      await db.close();
    }

    // The floor of an Update that does anything inside its workflow task: the bare accepted
    // Update and the same with one and with two no-op local activities in its handler, in
    // rotation so that drift lands on every series alike.
    const [bare, oneLocalActivity, twoLocalActivities] = await rotatedRun(
      [() => baseline.accepted(), () => baseline.withLocalActivities(1), () => baseline.withLocalActivities(2)],
      { samples: count, warmup, signal },
    );
    await baseline.finish();
    const baselineTasks = taskOnWorkerByUpdate((await baseline.fetchHistory()).events ?? []);

    const p50 = {
      httpAdvance: median(http),
      gatewayAcceptedUpdate: median(throughGateway),
      workflowTaskWaitForWorker: median(taskWait),
      workflowTaskOnWorker: median(taskOnWorker),
      lessonLibraryRead: median(lessonsRead),
      appendWithInlineProjections: median(append),
      bareAcceptedUpdate: median(bare),
      bareUpdateOneNoopLocalActivity: median(oneLocalActivity),
      bareUpdateTwoNoopLocalActivities: median(twoLocalActivities),
      bareUpdateTaskOnWorker: median(baselineTasks.get('accepted') ?? []),
      oneNoopLocalActivityTaskOnWorker: median(baselineTasks.get('local-activities-1') ?? []),
      twoNoopLocalActivitiesTaskOnWorker: median(baselineTasks.get('local-activities-2') ?? []),
      httpRefusedAdvance: median(refusedHttp),
      lookupThenGatewayRefusedUpdate: median(refusedServiceCalls),
      gatewayRefusedUpdate: median(refusedGateway),
      bareRefusedUpdate: median(bareRefused),
      apiFloorUnknownDepartment404: median(apiFloor),
      apiFloorValidation400: median(apiFloorNoDatabase),
    };
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      name: this.name,
      unit: 'ms',
      samples: count,
      p50,
      derived: {
        // What HTTP, Nest, the token and the read-model lookup add to the Update, accepted and refused.
        acceptedApiShare: round(p50.httpAdvance - p50.gatewayAcceptedUpdate),
        refusedApiShare: round(p50.httpRefusedAdvance - p50.gatewayRefusedUpdate),
        // The API's floors over the bare refused Update, which the goal allows 0.3 in all: HTTP,
        // Nest, the token and one lookup (404); and the same without the lookup (400, no read).
        apiFloorOverBareRefused: round(p50.apiFloorUnknownDepartment404 / p50.bareRefusedUpdate),
        apiFloorWithoutReadOverBareRefused: round(p50.apiFloorValidation400 / p50.bareRefusedUpdate),
        // What the onboarding workflow's Update costs beyond a bare one on the same server.
        acceptedWorkflowShare: round(p50.gatewayAcceptedUpdate - p50.bareAcceptedUpdate),
        refusedWorkflowShare: round(p50.gatewayRefusedUpdate - p50.bareRefusedUpdate),
        // The refused advance, all in one rotation, as shares of the bare refused Update (the goal
        // allows 0.3 in all): the figure's ratio; HTTP, Express, Nest, the token, the pipe and the
        // 422's answer (the call less the command service's two calls); the lookup; the onboarding
        // workflow's refusal beyond the bare one. The last three sum to the ratio less 1.
        refusedOverBareRefused: round(p50.httpRefusedAdvance / p50.bareRefusedUpdate),
        refusedHttpShareOverBareRefused: round((p50.httpRefusedAdvance - p50.lookupThenGatewayRefusedUpdate) / p50.bareRefusedUpdate),
        refusedLookupShareOverBareRefused: round((p50.lookupThenGatewayRefusedUpdate - p50.gatewayRefusedUpdate) / p50.bareRefusedUpdate),
        refusedWorkflowShareOverBareRefused: round((p50.gatewayRefusedUpdate - p50.bareRefusedUpdate) / p50.bareRefusedUpdate),
        // The least a refused advance through the API could take, over the bare refused Update:
        // the onboarding workflow's refusal and the least the API does for any request (HTTP,
        // Nest, the token, the pipe, a 4xx answer: the 400), with no lookup at all. Above 1.3,
        // the goal is out of reach for this command whatever the lookup costs.
        refusedCommandFloorRatio: round((p50.gatewayRefusedUpdate + p50.apiFloorValidation400) / p50.bareRefusedUpdate),
        // The worker's task time not spent in the two database calls: activations and local-activity dispatch.
        workerTaskBesideDatabase: round(p50.workflowTaskOnWorker - p50.lessonLibraryRead - p50.appendWithInlineProjections),
        // The floor under any durable write inside an Update: what one and two local activities
        // that do nothing cost, over the bare accepted Update (the goal allows the advance 1.3).
        oneNoopLocalActivityRatio: round(p50.bareUpdateOneNoopLocalActivity / p50.bareAcceptedUpdate),
        twoNoopLocalActivitiesRatio: round(p50.bareUpdateTwoNoopLocalActivities / p50.bareAcceptedUpdate),
        // The least any accepted command through the API could take, over the bare accepted Update:
        // one no-op local activity, the append's own database time and the API's 404 floor, with
        // nothing of the workflow's own. Above 1.3, the goal is out of reach for every such command.
        acceptedCommandFloorRatio: round(
          (p50.bareUpdateOneNoopLocalActivity + p50.appendWithInlineProjections + p50.apiFloorUnknownDepartment404) / p50.bareAcceptedUpdate,
        ),
        // The same read from the histories: what each no-op local activity adds to the worker's task.
        workerTaskPerNoopLocalActivity: round((p50.twoNoopLocalActivitiesTaskOnWorker - p50.bareUpdateTaskOnWorker) / 2),
        // The advance's task beyond a task running one no-op local activity (as many as the advance runs) and its two database calls.
        advanceTaskBesideFloor: round(
          p50.workflowTaskOnWorker - p50.oneNoopLocalActivityTaskOnWorker - p50.lessonLibraryRead - p50.appendWithInlineProjections,
        ),
      },
      roundTrips: {
        workflowTasksPerAdvance: median(workflowTasks),
        activityTasksPerAdvance: median(activityTasks),
        localActivitiesPerAdvance: median(localActivities),
        // 1: the task went to the worker that had the workflow cached (0: it was replayed from its history).
        stickyWorkflowTasksPerAdvance: median(stickyTasks),
      },
      operations: {
        api: 'POST /advance LESSONS -> READINESS and refused, timed whole and through the gateway alone; the workflow task read back from the history; the two database calls timed directly; an unknown department (404) and an invalid body (400, no read) as the API floors',
        baseline:
          'executeUpdate of a no-op Update, accepted and refused, and accepted with one and with two no-op local activities in its handler (bench/workflows); the four in rotation',
      },
    };
  },
};
