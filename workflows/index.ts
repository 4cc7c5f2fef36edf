// The entry point the Temporal bundler loads: every workflow the worker serves.
export { onboarding } from './onboarding.workflow.js';
