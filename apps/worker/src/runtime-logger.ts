import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { JsonLogger, LogLevel } from '../../../libs/operations/index.js';

const SDK_LEVEL: Record<LogLevel, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'> = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' };
const OUR_LEVEL: Record<string, LogLevel> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal SDK's own log lines (worker state, failed activities and workflow tasks,
 * with workflow and activity ids) as the same JSON lines as the rest of the worker.
 */
export function jsonRuntimeLogger(log: JsonLogger, level: LogLevel): DefaultLogger {
  return new DefaultLogger(SDK_LEVEL[level], (entry: LogEntry) => {
    // A task token is an opaque credential for completing the task: it stays out of logs.
    const { taskToken: _taskToken, ...meta } = entry.meta ?? {};
    log.log(OUR_LEVEL[entry.level] ?? 'info', entry.message, { ...meta, source: 'temporal-sdk' });
  });
}
