import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { STAGES } from '../../../../../libs/domain/index.js';
import { MAX_STUCK_PAGE, STUCK_REASONS, type StuckOnboarding } from '../../../../../libs/projections/index.js';
import type { Principal } from '../../auth/roles.js';
import { toErrorBody } from '../../common/error-filter.js';
import { createValidationPipe } from '../../common/validation.js';
import { DepartmentQueriesController, type ListDepartmentsQuery } from '../../departments/queries/department-queries.controller.js';
import { LifecycleController } from '../../departments/commands/lifecycle/lifecycle.controller.js';
import { EscalateController } from '../../operations/escalate/escalate.controller.js';
import { RetryController } from '../../operations/retry/retry.controller.js';
import { StuckController, StuckQuery } from '../../operations/stuck/stuck.controller.js';
import { ApiControllers } from '../api-controllers.js';
import { AccessRules } from '../departments/access-rules.js';
import type { CommandForm, FormField } from '../departments/command-forms.js';
import type { FormProblems } from '../departments/form-submission.js';
import { newFormKey } from '../form-commands.js';
import { stageName } from '../view-filters.js';
import { REASON_WORDS, RETRYABLE, attemptsOf, problemWords } from './stuck-words.js';

type Department = Awaited<ReturnType<DepartmentQueriesController['list']>>[number];

const FILTERS = ['reason', 'stage', 'centre'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const FILTER_ERRORS: Record<(typeof FILTERS)[number], string> = {
  reason: 'Select a reason from the list',
  stage: 'Select a stage from the list',
  centre: 'Select a centre from the list',
};

/** Where a confirmation page goes back to: the Operations page, with the filters it was opened from. */
const RETURN_TO = /^\/operations(\?[A-Za-z0-9=&%_.+-]*)?$/;

export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && RETURN_TO.test(value) ? value : '/operations';
}

/** What each action asks before it is done. */
const CONFIRM: Record<string, { question: (name: string) => string; explanation: string }> = {
  retry: {
    question: (name) => `Retry the failing step for ${name}?`,
    explanation:
      'The failing step runs again at once, with its attempts counted afresh. If it fails again it goes back to retrying on its own and stays on the list.',
  },
  escalate: {
    question: (name) => `Escalate the onboarding of ${name}?`,
    explanation: 'This records an escalation in the department’s history and sends it to the people on call.',
  },
  pause: {
    question: (name) => `Pause the onboarding of ${name}?`,
    explanation: 'While it is paused nothing can change the onboarding except resuming it, and the stage’s deadline clock stops.',
  },
  resume: {
    question: (name) => `Resume the onboarding of ${name}?`,
    explanation: 'The onboarding carries on where it stopped, and the stage’s deadline clock starts again.',
  },
};

export interface Confirmation {
  readonly form: CommandForm;
  readonly code: string;
  readonly returnTo: string;
  readonly values?: Record<string, unknown>;
  readonly problems?: FormProblems;
}

/** The Operations page and its confirmation pages, built from the API's own stuck list and department reads. */
@Injectable()
export class OperationsPage {
  constructor(
    private readonly api: ApiControllers,
    private readonly rules: AccessRules,
  ) {}

  /** The stuck list under the filters asked for; a filter the list does not know is answered with the error summary. */
  async list(principal: Principal, query: Record<string, unknown>, response: Response) {
    const asked: Filters = {};
    for (const name of FILTERS) {
      const value = query[name];
      if (value !== undefined && value !== '') asked[name] = typeof value === 'string' ? value : String(value);
    }
    const errors = await this.filterErrors(query);
    const [departments, stuck] = await Promise.all([
      this.api.get(DepartmentQueriesController).list({} as ListDepartmentsQuery, principal),
      errors ? Promise.resolve([]) : this.api.get(StuckController).list({ ...asked, limit: MAX_STUCK_PAGE } as StuckQuery, response),
    ]);
    const byCode = new Map(departments.map((department) => [department.code, department]));
    const returnTo = safeReturnTo(`/operations${queryString(asked)}`);
    const centres = [...new Set(departments.map((department) => department.centre))].sort();
    const sweptAt = response.getHeader('X-Stuck-Swept-At');
    return {
      title: 'Operations',
      rows: stuck.map((row) => this.row(principal, row, byCode.get(row.code), returnTo)),
      truncated: stuck.length >= MAX_STUCK_PAGE,
      filtered: Object.keys(asked).length > 0,
      sweptAt: typeof sweptAt === 'string' ? sweptAt : undefined,
      errors: errors ?? {},
      errorList: errors ? Object.entries(errors).map(([field, text]) => ({ text, href: `#filter-${field}` })) : [],
      reasonItems: items(asked.reason, 'Any reason', STUCK_REASONS.map((reason) => ({ value: reason, text: REASON_WORDS[reason].text }))),
      stageItems: items(asked.stage, 'Any stage', STAGES.map((stage) => ({ value: stage, text: stageName(stage) }))),
      centreItems: items(asked.centre, 'Any centre', centres.map((centre) => ({ value: centre, text: centre }))),
    };
  }

  /** A confirmation page: the department, why it is listed, and the form that does the action. */
  async confirmation(confirmation: Confirmation, response: Response) {
    const { form, code, returnTo } = confirmation;
    const all = await this.api.get(StuckController).list({ limit: MAX_STUCK_PAGE } as StuckQuery, response);
    const department = await this.department(code, all);
    const rows = all.filter((row) => row.code === department.code);
    const name = department.known ? `${department.name} (${department.code})` : department.code;
    const problems = confirmation.problems ?? { fields: {}, form: [] };
    const formId = `${form.id}-form`;
    return {
      title: CONFIRM[form.id].question(name),
      explanation: CONFIRM[form.id].explanation,
      department,
      form,
      fields: form.fields.map((field) => this.field(field, confirmation.values, problems.fields)),
      action: `/operations/departments/${department.code}/${form.id}`,
      formId,
      formErrors: problems.form,
      errorList: [
        ...Object.entries(problems.fields).map(([field, text]) => ({ text, href: `#${field}` })),
        ...problems.form.map((text) => ({ text, href: `#${formId}` })),
      ],
      problems: rows.map((row) => ({ reason: REASON_WORDS[row.reason], since: row.since, attempts: attemptsOf(row), text: problemWords(row) })),
      idempotencyKey: newFormKey(),
      returnTo,
      warning: form.id === 'pause' || form.id === 'escalate',
    };
  }

  /**
   * The department as the read model has it; or, when its registration is the step that keeps
   * failing (so there is no row yet), what the stuck list knows, so that it can be retried.
   */
  private async department(code: string, stuck: readonly StuckOnboarding[]) {
    try {
      return { ...(await this.api.get(DepartmentQueriesController).get(code)), known: true };
    } catch (error) {
      const listed = stuck.find((row) => row.code === code.toUpperCase());
      if (!listed || toErrorBody(error).code !== 'department-not-found') throw error;
      return { code: listed.code, name: listed.code, centre: listed.centre ?? '', stage: listed.stage, paused: false, known: false };
    }
  }

  private field(field: FormField, values: Record<string, unknown> | undefined, errors: Record<string, string>) {
    const value = values?.[field.name];
    return { ...field, value: typeof value === 'string' ? value : '', error: errors[field.name] };
  }

  private async filterErrors(query: Record<string, unknown>): Promise<Record<string, string> | undefined> {
    const given = Object.fromEntries(FILTERS.filter((name) => query[name] !== undefined && query[name] !== '').map((name) => [name, query[name]]));
    try {
      await createValidationPipe().transform(given, { type: 'query', metatype: StuckQuery, data: '' });
      return undefined;
    } catch (error) {
      const body = toErrorBody(error);
      if (body.code !== 'validation-failed') throw error;
      const named = (body.details?.fields as Array<{ field: string }> | undefined) ?? [];
      const errors: Record<string, string> = {};
      for (const { field } of named) {
        const name = FILTERS.find((candidate) => candidate === field.split('.')[0]);
        if (name) errors[name] = FILTER_ERRORS[name];
      }
      return Object.keys(errors).length ? errors : { reason: FILTER_ERRORS.reason };
    }
  }

  private row(principal: Principal, row: StuckOnboarding, department: Department | undefined, returnTo: string) {
    const code = row.code;
    const may = (controller: Parameters<AccessRules['may']>[1], method: string) => this.rules.may(principal, controller, method, code);
    const link = (id: string, text: string, purpose: string) => ({
      text,
      purpose,
      href: `/operations/departments/${code}/${id}?${new URLSearchParams({ returnTo })}`,
    });
    const actions = [
      RETRYABLE.includes(row.reason) && may(RetryController, 'retry') ? link('retry', 'Retry', `the failing step for ${code}`) : undefined,
      department && may(EscalateController, 'escalate') ? link('escalate', 'Escalate', code) : undefined,
      department && !department.paused && may(LifecycleController, 'pause') ? link('pause', 'Pause', code) : undefined,
      department?.paused && may(LifecycleController, 'resume') ? link('resume', 'Resume', code) : undefined,
    ].filter((action) => action !== undefined);
    return {
      code,
      name: department?.name,
      known: department !== undefined,
      paused: department?.paused ?? false,
      stage: row.stage,
      centre: row.centre,
      reason: REASON_WORDS[row.reason],
      since: row.since,
      attempts: attemptsOf(row),
      problem: problemWords(row),
      actions,
    };
  }
}

function items(selected: string | undefined, any: string, options: ReadonlyArray<{ value: string; text: string }>) {
  return [{ value: '', text: any }, ...options.map((option) => ({ ...option, selected: option.value === selected }))];
}

function queryString(filters: Filters): string {
  const search = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
  return search ? `?${search}` : '';
}
