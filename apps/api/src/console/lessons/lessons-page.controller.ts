import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, type AuthenticatedRequest } from '../../auth/access.decorator.js';
import type { Principal } from '../../auth/roles.js';
import { toErrorBody } from '../../common/error-filter.js';
import { createValidationPipe } from '../../common/validation.js';
import { DepartmentQueriesController, type ListDepartmentsQuery } from '../../departments/queries/department-queries.controller.js';
import { LESSON_QUERY_LIMITS, LessonQuery, LessonsController, RecordLessonDto, SetLessonMandatoryDto } from '../../lessons/lessons.controller.js';
import { ApiControllers } from '../api-controllers.js';
import { AccessRules } from '../departments/access-rules.js';
import { ConsoleSession } from '../session/console-session.js';
import { FormCommands, newFormKey, type ChangeShownAt } from '../form-commands.js';
import { lessonBody, lessonProblems, mandatoryProblem, type RefusedChange } from './lesson-form.js';

type ConsoleRequest = Request & AuthenticatedRequest & { principal: Principal };

/** A recorded lesson is listed there. */
const LIBRARY: ChangeShownAt = { href: '/lessons', text: 'the lessons library' };

const SEARCH_FIELDS = ['q', 'tag', 'centre'] as const;
const SEARCH_PROBLEMS: Record<string, string> = {
  q: `Search words must be ${LESSON_QUERY_LIMITS.q} characters or fewer`,
  tag: `Tag must be ${LESSON_QUERY_LIMITS.tag} characters or fewer`,
  centre: `Centre must be ${LESSON_QUERY_LIMITS.centre} characters or fewer`,
};

/** A refusal the person can fix on the form; no access or a fault is its own page. */
function isFormProblem(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 403;
}

/** `/lessons`: search the intelligent-customer lessons library, and record a lesson, through the API's own handlers. */
@ApiExcludeController()
@Controller('lessons')
export class LessonsPageController {
  constructor(
    private readonly api: ApiControllers,
    private readonly rules: AccessRules,
    private readonly sessions: ConsoleSession,
    private readonly once: FormCommands,
  ) {}

  @Get()
  @Access('any')
  async library(@Query() raw: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() response: Response) {
    await this.renderLibrary(raw, request, response);
  }

  /** The library with one lesson's mandatory form shown again with what was wrong. */
  private async renderLibrary(raw: Record<string, unknown>, request: ConsoleRequest, response: Response, refused?: RefusedChange) {
    const posted = Object.fromEntries(SEARCH_FIELDS.filter((name) => typeof raw[name] === 'string' && (raw[name] as string).trim() !== '').map((name) => [name, (raw[name] as string).trim()]));
    const library = this.api.get(LessonsController);
    let query: LessonQuery = {};
    let errors: Record<string, string> = {};
    try {
      query = (await createValidationPipe().transform(posted, { type: 'query', metatype: LessonQuery, data: '' })) as LessonQuery;
    } catch (error) {
      const body = toErrorBody(error);
      if (!isFormProblem(body.statusCode)) throw error;
      const named = (body.details?.fields as Array<{ field: string }> | undefined) ?? [];
      errors = Object.fromEntries(named.map(({ field }) => [field, SEARCH_PROBLEMS[field] ?? body.message]));
      response.status(body.statusCode);
    }
    const [found, everything, departments] = await Promise.all([
      Object.keys(errors).length ? Promise.resolve([]) : library.list(query),
      library.list({}),
      this.api.get(DepartmentQueriesController).list({} as ListDepartmentsQuery, request.principal),
    ]);
    const centres = [...new Set([...departments.map((d) => d.centre), ...everything.flatMap((l) => (l.centre ? [l.centre] : []))])].sort();
    const tags = [...new Set(everything.flatMap((lesson) => lesson.tags))].sort();
    response.render('lessons', {
      title: 'Lessons library',
      lessons: [...found].reverse(),
      total: everything.length,
      searched: Object.keys(posted).length > 0,
      values: posted,
      errors,
      errorList: [
        ...Object.entries(errors).map(([field, text]) => ({ text, href: `#search-${field}` })),
        ...(refused ? [{ text: refused.text, href: `#${refused.field === 'reason' ? `reason-${refused.lessonId}` : `lesson-${refused.lessonId}`}` }] : []),
      ],
      returnTo: Object.keys(posted).length ? `/lessons?${new URLSearchParams(posted as Record<string, string>)}` : '/lessons',
      tagItems: [{ value: '', text: 'Any tag' }, ...tags.map((tag) => ({ value: tag, text: tag, selected: tag === posted.tag }))],
      centreItems: [{ value: '', text: 'Any centre' }, ...centres.map((centre) => ({ value: centre, text: centre, selected: centre === posted.centre }))],
      mayRecord: this.rules.may(request.principal, LessonsController, 'record'),
      mayMark: this.rules.may(request.principal, LessonsController, 'setMandatory'),
      refused,
      newKey: () => newFormKey(),
    });
  }

  @Post(':lessonId/mandatory')
  @Access('any')
  async setMandatory(@Param('lessonId') lessonId: string, @Body() posted: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() response: Response) {
    request.actingRole = this.rules.admit(request.principal, LessonsController, 'setMandatory');
    const body = { mandatory: posted.mandatory === 'yes' ? true : posted.mandatory === 'no' ? false : posted.mandatory, ...(typeof posted.reason === 'string' && posted.reason.trim() !== '' ? { reason: posted.reason } : {}) };
    const back = typeof posted.returnTo === 'string' && posted.returnTo.startsWith('/lessons') && !posted.returnTo.startsWith('//') ? posted.returnTo : '/lessons';
    try {
      const shownAt = { href: `${back}#lesson-${encodeURIComponent(lessonId)}`, text: 'the lesson in the library' };
      const { value: result } = await this.once.once(request, posted, body, shownAt, async (context) => {
        const dto = (await createValidationPipe().transform(body, { type: 'body', metatype: SetLessonMandatoryDto, data: '' })) as SetLessonMandatoryDto;
        return this.api.get(LessonsController).setMandatory(lessonId, dto, context);
      });
      const lesson = result.lesson;
      const who = lesson?.centre ? `departments joining ${lesson.centre}` : 'departments joining any centre';
      await this.sessions.flash(request, {
        heading: lesson?.mandatory ? 'Lesson made mandatory' : 'Lesson made optional',
        text: lesson?.mandatory ? `${who} must acknowledge “${lesson.title}” before they leave Lessons.` : `${who} no longer need to acknowledge “${lesson?.title ?? ''}”.`,
      });
      response.redirect(303, `${back}#lesson-${encodeURIComponent(lessonId)}`);
    } catch (error) {
      const refusal = toErrorBody(error);
      if (!isFormProblem(refusal.statusCode) || refusal.code === 'lesson-not-found') throw error;
      response.status(refusal.statusCode);
      const query = Object.fromEntries(new URL(back, 'http://console').searchParams);
      await this.renderLibrary(query, request, response, { lessonId, values: posted, ...mandatoryProblem(refusal, body) });
    }
  }

  @Get('new')
  @Access('any')
  recordPage(@Req() request: ConsoleRequest, @Res() response: Response) {
    this.rules.admit(request.principal, LessonsController, 'record');
    const own = request.principal.departments;
    this.renderForm(response, { sourceDepartment: own.length === 1 ? own[0] : undefined }, { fields: {}, form: [] }, newFormKey());
  }

  @Post()
  @Access('any')
  async record(@Body() posted: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() response: Response) {
    request.actingRole = this.rules.admit(request.principal, LessonsController, 'record');
    const body = lessonBody(posted);
    try {
      const { value: result } = await this.once.once(request, posted, body, LIBRARY, async (context) => {
        const dto = (await createValidationPipe().transform(body, { type: 'body', metatype: RecordLessonDto, data: '' })) as RecordLessonDto;
        return this.api.get(LessonsController).record(dto, context);
      });
      const title = result.lesson?.title ?? String(body.title);
      await this.sessions.flash(request, { heading: 'Lesson recorded', text: `“${title}” is in the library for the departments that follow.` });
      response.redirect(303, '/lessons');
    } catch (error) {
      const refusal = toErrorBody(error);
      if (!isFormProblem(refusal.statusCode)) throw error;
      response.status(refusal.statusCode);
      // Nothing was written, so a fresh key costs nothing and lets the corrected form through.
      this.renderForm(response, posted, lessonProblems(refusal, body), newFormKey());
    }
  }

  private renderForm(response: Response, values: Record<string, unknown>, problems: { fields: Record<string, string>; form: string[] }, idempotencyKey: string) {
    response.render('lesson-new', {
      title: 'Record a lesson',
      values,
      errors: problems.fields,
      formErrors: problems.form,
      idempotencyKey,
      errorList: [
        ...problems.form.map((text) => ({ text, href: '#title' })),
        ...Object.entries(problems.fields).map(([field, text]) => ({ text, href: field === 'mandatory' ? '#mandatory' : `#${field}` })),
      ],
    });
  }
}
