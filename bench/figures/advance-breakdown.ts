import { performance } from 'node:perf_hooks';
import proto from '@temporalio/proto';
import { openDatabase } from '../../libs/database/index.js';
import { EventStore } from '../../libs/event-store/index.js';
import { INLINE_PROJECTIONS, LessonReadModel } from '../../libs/projections/index.js';
import { UpdateBaseline } from '../baseline.js';
import { benchCodes, departmentReadyToAdvance, prepareAll } from '../departments.js';
import { callApi, expectResponse } from '../http.js';
import { benchEvent } from './event-store-database.js';
import type { Figure, FigureResult } from './figure.js';

const { EventType } = proto.temporal.api.enums.v1;

type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;
const millis = (at: Timestamp) => Number(at?.seconds ?? 0) * 1000 + (at?.nanos ?? 0) / 1e6;
const median = (values: readonly number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] * 100) / 100;

/**
 * Where an accepted advance's time goes, measured piece by piece on the same run:
 * the whole HTTP call; from the Temporal history of each advanced workflow, how long its
 * workflow task waited for the worker and how long the worker held it (validator,
 * handler, local activities); the two database calls the handler makes, timed directly on
 * the same database (the lesson-library read; the append with its inline projections); and
 * a bare accepted Update on the same server. What is left is the API's own share
 * (authentication, read-model lookups, idempotency, JSON) and the gRPC hops.
 */
export const advanceBreakdown: Figure = {
  name: 'advance-accepted-breakdown',
  async measure({ env, samples, log }): Promise<FigureResult> {
    const count = Math.max(10, Math.min(samples, 100));
    const codes = benchCodes('BBRK', count);
    log(`${this.name}: preparing ${count} departments`);
    await prepareAll(codes, (code) => departmentReadyToAdvance(env, code));
    const token = env.token('programme');
    const http: number[] = [];
    for (const code of codes) {
      const started = performance.now();
      expectResponse(await callApi(env, 'POST', `/api/departments/${code}/advance`, token, { from: 'LESSONS' }), 200, 'an accepted advance');
      http.push(performance.now() - started);
    }
    const taskWait: number[] = [];
    const taskOnWorker: number[] = [];
    const workflowTasks: number[] = [];
    const activityTasks: number[] = [];
    for (const code of codes) {
      const history = await env.temporal.workflow.getHandle(`onboarding-${code}`).fetchHistory();
      const events = history.events ?? [];
      const lastIndex = (type: number, before: number) => {
        for (let index = before - 1; index >= 0; index -= 1) if (events[index].eventType === type) return index;
        return -1;
      };
      const accepted = lastIndex(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, events.length);
      // The Update is accepted when its own workflow task completes; the advance starts after the task before it.
      const ownCompleted = lastIndex(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, accepted);
      const previousCompleted = lastIndex(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, ownCompleted);
      const advance = events.slice(previousCompleted + 1);
      const of = (type: number) => advance.filter((event) => event.eventType === type);
      const scheduled = of(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
      const started = of(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
      const completed = of(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      workflowTasks.push(completed.length);
      activityTasks.push(of(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length);
      if (scheduled[0] && started[0]) taskWait.push(millis(started[0].eventTime) - millis(scheduled[0].eventTime));
      if (started.length && completed.length) taskOnWorker.push(millis(completed.at(-1)?.eventTime) - millis(started[0].eventTime));
    }

    const db = await openDatabase({ postgresUrl: env.config.databaseUrl! });
    const lessonsRead: number[] = [];
    const append: number[] = [];
    try {
      const store = new EventStore(db, INLINE_PROJECTIONS);
      const lessons = new LessonReadModel(db);
      for (let index = 0; index < count; index += 1) {
        let started = performance.now();
        await lessons.mandatoryLessonIds('BENCH');
        lessonsRead.push(performance.now() - started);
        started = performance.now();
        await store.append(`department-BBRKDB${index}`, 0, [benchEvent(index)]);
        append.push(performance.now() - started);
      }
    } finally {
      await db.close();
    }

    const baseline = await UpdateBaseline.start(env);
    const bare: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const started = performance.now();
      await baseline.accepted();
      bare.push(performance.now() - started);
    }
    await baseline.finish();

    const p50 = {
      httpAdvance: median(http),
      workflowTaskWaitForWorker: median(taskWait),
      workflowTaskOnWorker: median(taskOnWorker),
      lessonLibraryRead: median(lessonsRead),
      appendWithInlineProjections: median(append),
      bareAcceptedUpdate: median(bare),
    };
    return {
      name: this.name,
      unit: 'ms',
      samples: count,
      p50,
      apiAndGrpcShare: Math.round((p50.httpAdvance - p50.bareAcceptedUpdate - p50.lessonLibraryRead - p50.appendWithInlineProjections) * 100) / 100,
      roundTrips: { workflowTasksPerAdvance: median(workflowTasks), activityTasksPerAdvance: median(activityTasks) },
      operations: {
        api: 'POST /advance LESSONS -> READINESS, timed whole; its workflow task read back from the history; the two database calls timed directly',
        baseline: 'executeUpdate of a no-op Update, accepted and completed (bench/workflows)',
      },
    } as unknown as FigureResult;
  },
};
