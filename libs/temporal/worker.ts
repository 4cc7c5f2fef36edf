import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkerOptions } from '@temporalio/worker';
import { createOnboardingActivities, type OnboardingActivityDependencies } from './activities.js';

/** The workflows entry point, compiled (`dist/`) or as TypeScript source (tests). */
export function workflowsPath(): string {
  for (const name of ['../../workflows/index.js', '../../workflows/index.ts']) {
    const candidate = fileURLToPath(new URL(name, import.meta.url));
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('cannot find workflows/index next to libs/temporal');
}

/**
 * How the workflow code is bundled, wherever it is (worker, audit replay, bench). The SDK
 * gives every cached workflow its own copy of each bundled module, with a getter per export;
 * webpack's module concatenation makes our modules one scope, so a cached onboarding holds
 * one module of ours instead of twenty. The code that runs is the same.
 */
export const WORKFLOW_BUNDLER_OPTIONS: NonNullable<WorkerOptions['bundlerOptions']> = {
  webpackConfigHook: (config) => ({
    ...config,
    optimization: { ...config.optimization, concatenateModules: true, usedExports: true, providedExports: true },
  }),
};

export interface OnboardingWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly dependencies: OnboardingActivityDependencies;
  /** Tests pass a pre-built bundle to skip bundling; production bundles at start. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
  readonly identity?: string;
  /** Observers of activity attempts (structured logs, the stuck sweep's suspects). */
  readonly activityInterceptors?: readonly ActivityInterceptorsFactory[];
}

export async function createOnboardingWorker(options: OnboardingWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createOnboardingActivities(options.dependencies),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: workflowsPath(), bundlerOptions: WORKFLOW_BUNDLER_OPTIONS }),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.activityInterceptors ? { interceptors: { activity: [...options.activityInterceptors] } } : {}),
  });
}
