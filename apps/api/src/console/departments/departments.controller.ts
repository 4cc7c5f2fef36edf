import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access } from '../../auth/access.decorator.js';
import type { AuthenticatedRequest } from '../../auth/access.decorator.js';
import type { Principal } from '../../auth/roles.js';
import { ApiError } from '../../common/api-error.js';
import { toErrorBody } from '../../common/error-filter.js';
import { RegisterDepartmentController, RegisterDepartmentDto } from '../../departments/register-department/register-department.controller.js';
import { createValidationPipe } from '../../common/validation.js';
import { ApiControllers } from '../api-controllers.js';
import { FormCommands, departmentPage, newFormKey, type ChangeShownAt } from '../form-commands.js';
import { errorList } from '../forms.js';
import { ConsoleSession } from '../session/console-session.js';
import { AccessRules } from './access-rules.js';
import { commandForm } from './command-forms.js';
import { DepartmentPage } from './department-page.js';
import { bodyFrom, isFormProblem, pathFrom, problemsOf, validated } from './form-submission.js';
import { REGISTER_FIELDS, registerBody, registerProblems } from './register-form.js';

type ConsoleRequest = Request & AuthenticatedRequest & { principal: Principal };

/** A registered department is listed there. */
const OVERVIEW: ChangeShownAt = { href: '/', text: 'the programme overview' };

/** `/departments/new` and `/departments/:code`: a department's stages, gates, deadline, forms and timeline. */
@ApiExcludeController()
@Controller('departments')
export class DepartmentsConsoleController {
  constructor(
    private readonly page: DepartmentPage,
    private readonly api: ApiControllers,
    private readonly rules: AccessRules,
    private readonly sessions: ConsoleSession,
    private readonly once: FormCommands,
  ) {}

  @Get('new')
  @Access(['programme'])
  registerPage(@Res() response: Response) {
    response.render('register', { title: 'Register a department', fields: REGISTER_FIELDS, values: {}, errors: {}, formKey: newFormKey() });
  }

  @Post()
  @Access(['programme'])
  async register(@Body() posted: Record<string, unknown>, @Req() request: ConsoleRequest, @Res() response: Response) {
    try {
      const body = registerBody(posted);
      const dto = (await createValidationPipe().transform(body, { type: 'body', metatype: RegisterDepartmentDto, data: '' })) as RegisterDepartmentDto;
      const { value: result } = await this.once.once(request, posted, body, OVERVIEW, (context) => this.api.get(RegisterDepartmentController).register(dto, context));
      await this.sessions.flash(request, { heading: `${result.department.name} registered`, text: `Its onboarding has started in Lessons.` });
      response.redirect(303, `/departments/${result.department.code}`);
    } catch (error) {
      const body = toErrorBody(error);
      if (!isFormProblem(body.statusCode, body.code)) throw error;
      const errors = registerProblems(body, registerBody(posted));
      response
        .status(body.statusCode)
        .render('register', { title: 'Register a department', fields: REGISTER_FIELDS, values: posted, errors, errorList: errorList(errors), formKey: newFormKey() });
    }
  }

  @Get(':code')
  @Access('any', { departmentScoped: true })
  async show(@Param('code') code: string, @Req() request: ConsoleRequest, @Res() response: Response) {
    response.render('department', await this.page.view(request.principal, code));
  }

  @Post(':code/commands/:form')
  @Access('any', { departmentScoped: true })
  async submit(
    @Param('code') code: string,
    @Param('form') formId: string,
    @Body() posted: Record<string, unknown>,
    @Req() request: ConsoleRequest,
    @Res() response: Response,
  ) {
    const form = commandForm(formId);
    if (!form) throw new ApiError(404, 'not-found', 'there is no such form');
    request.actingRole = this.rules.admit(request.principal, form.controller, form.method, code);
    const target = typeof posted.target === 'string' ? posted.target : '';
    try {
      const body = bodyFrom(form, posted);
      const dto = await validated(form, body);
      await this.once.once(request, posted, { target, ...body }, departmentPage(code), (context) =>
        form.run({ api: this.api, code, dto, path: pathFrom(form, body), context, principal: request.principal, target }),
      );
    } catch (error) {
      const body = toErrorBody(error);
      if (!isFormProblem(body.statusCode, body.code)) throw error;
      const view = await this.page.view(request.principal, code, { formId, target, values: posted, problems: problemsOf(form, body, posted) });
      response.status(body.statusCode).render('department', view);
      return;
    }
    await this.sessions.flash(request, { heading: form.done });
    response.redirect(303, `/departments/${code.toUpperCase()}`);
  }
}
