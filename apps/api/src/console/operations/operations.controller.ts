import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { RetryResponse } from '../../operations/retry/retry.service.js';
import { StuckController } from '../../operations/stuck/stuck.controller.js';
import { Access, type AuthenticatedRequest } from '../../auth/access.decorator.js';
import type { Principal } from '../../auth/roles.js';
import { ApiError } from '../../common/api-error.js';
import { toErrorBody } from '../../common/error-filter.js';
import { ApiControllers } from '../api-controllers.js';
import { AccessRules } from '../departments/access-rules.js';
import type { CommandForm } from '../departments/command-forms.js';
import { bodyFrom, isFormProblem, pathFrom, problemsOf, validated } from '../departments/form-submission.js';
import { FormCommands, departmentPage } from '../form-commands.js';
import { ConsoleSession } from '../session/console-session.js';
import { operationForm } from './operation-forms.js';
import { OperationsPage, safeReturnTo } from './operations-page.js';
import { retriedWords } from './stuck-words.js';

type ConsoleRequest = Request & AuthenticatedRequest & { principal: Principal };

/**
 * `/operations`: the stuck list with its filters, and retry, escalate, pause and resume, each
 * behind a confirmation page. Who may see and do what is read from the API routes themselves.
 */
@ApiExcludeController()
@Controller('operations')
export class OperationsConsoleController {
  constructor(
    private readonly page: OperationsPage,
    private readonly api: ApiControllers,
    private readonly rules: AccessRules,
    private readonly sessions: ConsoleSession,
    private readonly commands: FormCommands,
  ) {}

  @Get()
  @Access('any')
  async list(@Query() query: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() response: Response) {
    this.rules.admit(request.principal, StuckController, 'list');
    const view = await this.page.list(request.principal, query, response);
    response.status(view.errorList.length ? 400 : 200).render('operations', view);
  }

  @Get('departments/:code/:action')
  @Access('any')
  async confirm(
    @Param('code') code: string,
    @Param('action') action: string,
    @Query('returnTo') returnTo: unknown,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const form = this.formFor(action, request, code);
    response.render('operations-confirm', await this.page.confirmation({ form, code, returnTo: safeReturnTo(returnTo) }, response));
  }

  @Post('departments/:code/:action')
  @Access('any')
  async submit(
    @Param('code') code: string,
    @Param('action') action: string,
    @Body() posted: Record<string, unknown>,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const form = this.formFor(action, request, code);
    request.actingRole = this.rules.admit(request.principal, form.controller, form.method, code);
    const returnTo = safeReturnTo(posted.returnTo);
    let result: unknown;
    try {
      const body = bodyFrom(form, posted);
      const dto = await validated(form, body);
      const run = (context: Parameters<CommandForm['run']>[0]['context']) =>
        form.run({ api: this.api, code, dto, path: pathFrom(form, body), context, principal: request.principal, target: '' });
      // A retry shows on the stuck list (its attempts start again); the others in the department's timeline.
      const shownAt = form.id === 'retry' ? { href: returnTo, text: 'the Operations page' } : departmentPage(code);
      result = (await this.commands.once(request, posted, body, shownAt, run)).value;
    } catch (error) {
      const body = toErrorBody(error);
      if (!isFormProblem(body.statusCode, body.code)) throw error;
      const view = await this.page.confirmation({ form, code, returnTo, values: posted, problems: problemsOf(form, body) }, response);
      response.status(body.statusCode).render('operations-confirm', view);
      return;
    }
    await this.sessions.flash(request, this.done(form, code, result));
    response.redirect(303, returnTo);
  }

  /** The action's form, refused as its API route would refuse the person. */
  private formFor(action: string, request: ConsoleRequest, code: string): CommandForm {
    const form = operationForm(action);
    if (!form) throw new ApiError(404, 'not-found', 'there is no such page');
    this.rules.admit(request.principal, form.controller, form.method, code);
    return form;
  }

  private done(form: CommandForm, code: string, result: unknown): { heading: string; text?: string } {
    const department = code.toUpperCase();
    if (form.id === 'retry') return { heading: `${form.done} for ${department}`, text: retriedWords((result as RetryResponse).retried) };
    return { heading: `${form.done}: ${department}` };
  }
}
