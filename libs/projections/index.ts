export { projectDepartments, foldStored, toDomainEvent, saveDepartment } from './department-projection.js';
export { DEPARTMENT_STREAM_PREFIX } from '../domain/index.js';
export { projectLessons, LESSON_STREAM_PREFIX } from './lesson-projection.js';
export { DepartmentReadModel, LessonReadModel, appliesToCentre, mandatoryLessonIdsIn } from './read-models.js';
export type { DepartmentFilter, LessonFilter, LessonView } from './read-models.js';
export {
  STUCK_REASONS,
  OBSERVED_STUCK_REASONS,
  RECORDED_STUCK_REASONS,
  pendingDecisions,
  recordedStuckFacts,
  saveRecordedStuckFacts,
} from './stuck-projection.js';
export type { PendingDecision, StuckFact, StuckReason } from './stuck-projection.js';
export { StuckReadModel, MAX_STUCK_PAGE } from './stuck-read-model.js';
export type { StuckFilter, StuckOnboarding, StuckPage } from './stuck-read-model.js';

import type { InlineProjection } from '../event-store/index.js';
import { projectDepartments } from './department-projection.js';
import { projectLessons } from './lesson-projection.js';

/** Every read model that is kept inline with appends (the department projection also keeps its recorded stuck facts). */
export const INLINE_PROJECTIONS: readonly InlineProjection[] = [projectDepartments, projectLessons];
