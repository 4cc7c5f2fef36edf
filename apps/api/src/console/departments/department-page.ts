import { Injectable } from '@nestjs/common';
import { STAGES, nextStage, type GoLiveRole, type Stage } from '../../../../../libs/domain/index.js';
import type { Principal } from '../../auth/roles.js';
import { DepartmentStateController } from '../../audit/time-travel/department-state.controller.js';
import { maySpeakAs } from '../../departments/commands/go-live/go-live-decision.controller.js';
import { DepartmentQueriesController } from '../../departments/queries/department-queries.controller.js';
import { appliesToCentre } from '../../../../../libs/projections/index.js';
import { LessonsController, type LessonQuery } from '../../lessons/lessons.controller.js';
import { normaliseCode } from '../../departments/command.service.js';
import { ApiControllers } from '../api-controllers.js';
import { newFormKey } from '../form-commands.js';
import { formatDate, stageName } from '../view-filters.js';
import { AccessRules } from './access-rules.js';
import { COMMAND_FORMS, advanceButton, type CommandForm } from './command-forms.js';
import type { FormProblems } from './form-submission.js';
import { gateLabel } from './gate-labels.js';
import { timelineEntry } from './event-words.js';

/** What the person last sent, to show again with what was wrong. */
export interface Submitted {
  readonly formId: string;
  readonly target: string;
  readonly values: Record<string, unknown>;
  readonly problems: FormProblems;
}

/** The lifecycle as a task list: every stage but the exit from it. */
const TASK_STAGES: readonly Stage[] = STAGES.filter((stage) => stage !== 'WITHDRAWN');
const DAY_MS = 86_400_000;

interface FormInstance {
  readonly form: CommandForm;
  readonly htmlId: string;
  readonly heading: string;
  readonly button: string;
  readonly target: string;
  readonly hidden: Record<string, string>;
  /** This rendering's Idempotency-Key: sending it twice records one command. */
  readonly idempotencyKey: string;
  readonly values: Record<string, unknown>;
  readonly errors: Record<string, string>;
  readonly formErrors: string[];
  readonly intro?: string;
}

/** Builds the department page's view from the API's own reads; shared by the page and a refused form. */
@Injectable()
export class DepartmentPage {
  constructor(
    private readonly api: ApiControllers,
    private readonly rules: AccessRules,
  ) {}

  async view(principal: Principal, rawCode: string, submitted?: Submitted) {
    const code = normaliseCode(rawCode);
    const mayReadEvents = this.rules.may(principal, DepartmentQueriesController, 'events', code);
    // One round of reads, all at once: the department's row, its stream and the whole library,
    // from which the gates are decided and the centre's lessons picked. A page is as slow as its
    // longest chain of reads, and each read costs the machine a round trip.
    const library = this.api.get(LessonsController).list({} as LessonQuery);
    const { department, gates, events } = await this.api.get(DepartmentQueriesController).withGates(code, library, mayReadEvents);
    // The centre's lessons: the forms to acknowledge them in Lessons, and their titles in the timeline after.
    const lessons = (await library).filter((lesson) => appliesToCentre(lesson, department.centre));
    const titles = new Map(lessons.map((lesson) => [lesson.id, lesson.title]));
    const forms = this.forms(principal, department, department.stage === 'LESSONS' ? lessons : [], submitted);
    return {
      title: `${department.name} (${department.code})`,
      department,
      facts: [
        { key: { text: 'Code' }, value: { text: department.code } },
        { key: { text: 'Centre' }, value: { text: department.centre } },
        { key: { text: 'Onboarding lead' }, value: { text: department.lead ?? 'Not assigned' } },
        { key: { text: 'Planned go-live' }, value: { text: formatDate(department.plannedGoLive) } },
        { key: { text: 'Actual go-live' }, value: { text: department.actualGoLive ? formatDate(department.actualGoLive) : 'Not live yet' } },
      ],
      tasks: this.tasks(department.stage, department.paused, department.overdue),
      deadline: this.deadline(department),
      gates: { ...gates, stageName: stageName(gates.stage), items: gates.gates.map((gate) => ({ ...gate, label: gateLabel(gate.gate) })) },
      timeline: events ? [...events].reverse().map((event) => timelineEntry(event, titles)) : undefined,
      lessons: (department.stage === 'LESSONS' ? lessons : []).map((lesson) => ({ ...lesson, acknowledged: department.acknowledgedLessons.includes(lesson.id) })),
      forms,
      errorList: forms.flatMap((instance) => [
        ...Object.entries(instance.errors).map(([field, text]) => ({ text, href: `#${instance.htmlId}-${field}` })),
        ...instance.formErrors.map((text) => ({ text, href: `#${instance.htmlId}` })),
      ]),
      mayAudit: this.rules.may(principal, DepartmentStateController, 'state', code),
    };
  }

  private forms(
    principal: Principal,
    department: Awaited<ReturnType<DepartmentQueriesController['get']>>,
    lessons: ReadonlyArray<{ id: string; title: string }>,
    submitted: Submitted | undefined,
  ): FormInstance[] {
    const instances: FormInstance[] = [];
    const add = (form: CommandForm, target = '', extra: Partial<FormInstance> = {}) => {
      const mine = submitted && submitted.formId === form.id && submitted.target === target ? submitted : undefined;
      instances.push({
        form,
        htmlId: target ? `${form.id}-${target}` : form.id,
        heading: form.heading,
        button: form.button,
        target,
        hidden: {},
        idempotencyKey: newFormKey(),
        values: mine?.values ?? {},
        errors: mine?.problems.fields ?? {},
        formErrors: mine?.problems.form ?? [],
        ...extra,
      });
    };
    for (const form of COMMAND_FORMS) {
      if (!form.shownIn(department.stage, department.paused)) continue;
      if (!this.rules.may(principal, form.controller, form.method, department.code)) continue;
      if (form.id === 'acknowledge') {
        for (const lesson of lessons) {
          if (department.acknowledgedLessons.includes(lesson.id)) continue;
          add(form, lesson.id, { heading: `Acknowledge “${lesson.title}”`, button: 'Acknowledge lesson' });
        }
      } else if (form.id === 'deviation-decision') {
        for (const deviation of department.deviations.filter((candidate) => candidate.status === 'pending')) {
          add(form, deviation.id, { heading: `Decide the deviation: ${deviation.area}`, intro: `${deviation.description}. Justification: ${deviation.justification}` });
        }
      } else if (form.id === 'go-live') {
        // Only the voices this person speaks for: choosing another would answer a 403 page and lose the form.
        const fields = form.fields.map((field) =>
          field.name === 'as' ? { ...field, options: field.options?.filter((option) => maySpeakAs(principal.roles, option.value as GoLiveRole)) } : field,
        );
        add(form, '', { form: { ...form, fields } });
      } else if (form.id === 'advance') {
        add(form, '', { heading: `Advance to ${stageName(nextStage(department.stage) ?? '')}`, button: advanceButton(department.stage), hidden: { from: department.stage } });
      } else {
        add(form);
      }
    }
    return instances;
  }

  private tasks(stage: Stage, paused: boolean, overdue: boolean) {
    const current = TASK_STAGES.indexOf(stage);
    return TASK_STAGES.map((task, index) => {
      let status: { tag?: { text: string; classes: string }; text?: string; classes?: string };
      if (stage === 'WITHDRAWN') status = { tag: { text: 'Withdrawn', classes: 'govuk-tag--red' } };
      else if (index < current || (index === current && stage === 'CLOSED')) status = { text: 'Completed' };
      else if (index === current && paused) status = { tag: { text: 'Paused', classes: 'govuk-tag--yellow' } };
      else if (index === current && overdue) status = { tag: { text: 'Overdue', classes: 'govuk-tag--red' } };
      else if (index === current) status = { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } };
      else status = { text: 'Not yet started', classes: 'govuk-task-list__status--cannot-start-yet' };
      return { title: { text: stageName(task) }, status };
    });
  }

  private deadline(department: { stage: Stage; overdue: boolean; paused: boolean; stageDeadlineAt: string | null; deadlineRemainingMs: number | null; pauseReason: string | null }) {
    if (department.paused) {
      const left = department.deadlineRemainingMs === null ? '' : ` ${Math.ceil(department.deadlineRemainingMs / DAY_MS)} days will be left when it resumes.`;
      return { kind: 'paused', text: `Paused: ${department.pauseReason ?? 'no reason given'}. The stage clock is stopped.${left}` };
    }
    if (!department.stageDeadlineAt) return undefined;
    const days = Math.ceil((Date.parse(department.stageDeadlineAt) - Date.now()) / DAY_MS);
    if (department.overdue || days < 0) {
      return { kind: 'overdue', text: `Overdue: the ${stageName(department.stage)} deadline was ${formatDate(department.stageDeadlineAt)}.` };
    }
    return { kind: 'due', text: `${stageName(department.stage)} is due by ${formatDate(department.stageDeadlineAt)}: ${days} day${days === 1 ? '' : 's'} left.` };
  }
}

