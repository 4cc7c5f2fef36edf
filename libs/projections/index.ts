export { projectDepartments, foldStored, toDomainEvent, saveDepartment, DEPARTMENT_STREAM_PREFIX } from './department-projection.js';
export { projectLessons, LESSON_STREAM_PREFIX } from './lesson-projection.js';
export { DepartmentReadModel, LessonReadModel } from './read-models.js';
export type { DepartmentFilter, LessonFilter, LessonView } from './read-models.js';

import type { InlineProjection } from '../event-store/index.js';
import { projectDepartments } from './department-projection.js';
import { projectLessons } from './lesson-projection.js';

/** Every read model that is kept inline with appends. */
export const INLINE_PROJECTIONS: readonly InlineProjection[] = [projectDepartments, projectLessons];
