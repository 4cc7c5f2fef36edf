// The entry point the Temporal bundler loads for the bench's own worker.
export { updateBaseline } from './update-baseline.workflow.js';
export { activityBaseline } from './activity-baseline.workflow.js';
