import type { DepartmentState, Stage } from '../domain/index.js';
import type { SqlExecutor } from '../database/index.js';

export interface DepartmentFilter {
  readonly stage?: string;
  readonly centre?: string;
  readonly overdue?: boolean;
  readonly codes?: readonly string[];
}

export class DepartmentReadModel {
  constructor(private readonly db: SqlExecutor) {}

  async get(code: string): Promise<DepartmentState | undefined> {
    const [row] = await this.db.query<{ state: string }>(`SELECT state FROM departments WHERE code = $1`, [code]);
    return row ? (JSON.parse(row.state) as DepartmentState) : undefined;
  }

  /**
   * The department's stage alone, or undefined when it is not registered: what a command
   * checks before its Update, without reading and parsing the whole state.
   */
  async stage(code: string): Promise<Stage | undefined> {
    const [row] = await this.db.query<{ stage: Stage }>(`SELECT stage FROM departments WHERE code = $1`, [code]);
    return row?.stage;
  }

  async list(filter: DepartmentFilter = {}): Promise<DepartmentState[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (filter.stage) add((p) => `stage = ${p}`, filter.stage);
    if (filter.centre) add((p) => `centre = ${p}`, filter.centre);
    if (filter.overdue !== undefined) add((p) => `overdue = ${p}`, filter.overdue);
    if (filter.codes) {
      if (filter.codes.length === 0) return [];
      const placeholders = filter.codes.map((code) => {
        params.push(code);
        return `$${params.length}`;
      });
      conditions.push(`code IN (${placeholders.join(', ')})`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.db.query<{ state: string }>(`SELECT state FROM departments ${where} ORDER BY code`, params);
    return rows.map((row) => JSON.parse(row.state) as DepartmentState);
  }
}

export interface LessonView {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly tags: string[];
  readonly centre: string | null;
  readonly mandatory: boolean;
  readonly sourceDepartment: string;
  readonly recordedAt: string;
}

interface LessonRow {
  id: string;
  title: string;
  body: string;
  tags: string;
  centre: string | null;
  mandatory: boolean | number;
  source_department: string;
  recorded_at: string;
}

export interface LessonFilter {
  readonly q?: string;
  readonly tag?: string;
  readonly centre?: string;
}

export class LessonReadModel {
  constructor(private readonly db: SqlExecutor) {}

  async get(id: string): Promise<LessonView | undefined> {
    const [row] = await this.db.query<LessonRow>(`SELECT * FROM lessons WHERE id = $1`, [id]);
    return row ? toLessonView(row) : undefined;
  }

  /** Lessons shared by every department, or by the given centre's departments. */
  async list(filter: LessonFilter = {}): Promise<LessonView[]> {
    const rows = await this.db.query<LessonRow>(`SELECT * FROM lessons ORDER BY recorded_at, id`);
    const needle = filter.q?.toLowerCase();
    return rows
      .map(toLessonView)
      .filter((lesson) => !filter.centre || appliesToCentre(lesson, filter.centre))
      .filter((lesson) => !filter.tag || lesson.tags.includes(filter.tag))
      .filter((lesson) => !needle || `${lesson.title}\n${lesson.body}`.toLowerCase().includes(needle));
  }

  /** The lessons a department of this centre must acknowledge before leaving LESSONS, as of now. */
  async mandatoryLessonIds(centre: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM lessons WHERE mandatory = $1 AND (centre IS NULL OR centre = $2) ORDER BY id`,
      [true, centre],
    );
    return rows.map((row) => row.id);
  }

  /**
   * A department's stage and the mandatory lessons of its centre, in one statement: what an
   * advance out of LESSONS asks before its Update. Undefined for an unknown department.
   */
  async stageWithMandatoryLessons(code: string): Promise<{ stage: Stage; mandatoryLessonIds: string[] } | undefined> {
    const rows = await this.db.query<{ stage: Stage; id: string | null }>(
      `SELECT departments.stage, lessons.id FROM departments
         LEFT JOIN lessons ON lessons.mandatory = $1 AND (lessons.centre IS NULL OR lessons.centre = departments.centre)
        WHERE departments.code = $2 ORDER BY lessons.id`,
      [true, code],
    );
    if (rows.length === 0) return undefined;
    return { stage: rows[0].stage, mandatoryLessonIds: rows.flatMap((row) => (row.id === null ? [] : [row.id])) };
  }
}

/** A lesson shared by every centre, or the centre's own: what its departments are shown and held to. */
export function appliesToCentre(lesson: Pick<LessonView, 'centre'>, centre: string): boolean {
  return lesson.centre === null || lesson.centre === centre;
}

/** What `mandatoryLessonIds` reads, picked from lessons already read (the whole library, or more of it than the centre's). */
export function mandatoryLessonIdsIn(lessons: readonly LessonView[], centre: string): string[] {
  return lessons
    .filter((lesson) => lesson.mandatory && appliesToCentre(lesson, centre))
    .map((lesson) => lesson.id)
    .sort();
}

function toLessonView(row: LessonRow): LessonView {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    tags: JSON.parse(row.tags) as string[],
    centre: row.centre,
    mandatory: row.mandatory === true || row.mandatory === 1,
    sourceDepartment: row.source_department,
    recordedAt: row.recorded_at,
  };
}
