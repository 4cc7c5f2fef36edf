import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '../../../../../libs/config/index.js';
import { Public } from '../../auth/access.decorator.js';
import { ROLES } from '../../auth/roles.js';
import { ApiError } from '../../common/api-error.js';
import { APP_CONFIG } from '../../common/tokens.js';
import { errorList } from '../forms.js';
import { ConsoleSession } from '../session/console-session.js';
import { readSignInForm, safeReturnPath, type SignInForm } from './development-sign-in.js';
import { OidcSignIn } from './oidc-sign-in.js';

const ROLE_LABELS: Record<string, string> = {
  lead: 'Department onboarding lead',
  programme: 'Programme office',
  centre: 'Shared services centre',
  operations: 'Operations',
  auditor: 'Auditor',
  admin: 'Platform administrator',
};

function roleItems(selected: unknown) {
  return [
    { value: '', text: 'Choose your role' },
    ...ROLES.map((role) => ({ value: role, text: `${ROLE_LABELS[role]} (${role})`, selected: role === selected })),
  ];
}

/** `/sign-in` and `/sign-out`. The development form is one way in; any other ends in ConsoleSession.signIn too. */
@ApiExcludeController()
@Controller()
export class SignInController {
  constructor(
    private readonly sessions: ConsoleSession,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly oidc: OidcSignIn,
  ) {}

  /** With an identity provider configured, signing in means going there (the development form stays only if turned on). */
  @Get('sign-in')
  @Public()
  async page(@Query('returnTo') returnTo: unknown, @Query('method') method: unknown, @Req() request: Request, @Res() response: Response) {
    if (this.oidc.enabled && !(this.config.consoleDevSignIn && method === 'development')) {
      response.redirect(303, (await this.oidc.start(request, safeReturnPath(returnTo))).href);
      return;
    }
    response.render('sign-in', {
      title: 'Sign in',
      devSignIn: this.config.consoleDevSignIn,
      returnTo: safeReturnPath(returnTo),
      roleItems: roleItems(undefined),
      values: {},
      errors: {},
    });
  }

  @Post('sign-in')
  @Public()
  async signIn(@Body() form: SignInForm & { returnTo?: unknown }, @Req() request: Request, @Res() response: Response) {
    if (!this.config.consoleDevSignIn) throw new ApiError(404, 'not-found', 'development sign-in is turned off');
    const outcome = readSignInForm(form);
    if ('errors' in outcome) {
      response.status(400).render('sign-in', {
        title: 'Sign in',
        devSignIn: true,
        returnTo: safeReturnPath(form.returnTo),
        roleItems: roleItems(form.role),
        values: form,
        errors: outcome.errors,
        errorList: errorList(outcome.errors),
      });
      return;
    }
    await this.sessions.signIn(request, outcome.user);
    response.redirect(303, safeReturnPath(form.returnTo));
  }

  /** Where the identity provider sends people back, with a code for the console to exchange. */
  @Get('sign-in/callback')
  @Public()
  async callback(@Req() request: Request, @Res() response: Response) {
    if (!this.oidc.enabled) throw new ApiError(404, 'not-found', 'sign-in through an identity provider is not set up');
    const outcome = await this.oidc.finish(request);
    if ('noRole' in outcome) {
      await this.sessions.signOut(request);
      response.locals.user = undefined;
      response.status(403).render('no-access', { title: 'You do not have access to this service', person: outcome.noRole });
      return;
    }
    await this.sessions.signIn(request, outcome.user);
    response.redirect(303, outcome.returnTo);
  }

  @Get('sign-out')
  @Public()
  signOutPage(@Res() response: Response) {
    response.render('sign-out', { title: 'Sign out' });
  }

  @Post('sign-out')
  @Public()
  async signOut(@Req() request: Request, @Res() response: Response) {
    const user = await this.sessions.signOut(request);
    response.clearCookie('ssc.console', { path: '/' });
    // Ends the provider's session too, where it supports RP-initiated logout; it sends people back here.
    const atProvider = user ? await this.oidc.endSessionUrl(user, `${request.protocol}://${request.get('host')}/sign-out`) : undefined;
    response.redirect(303, atProvider?.href ?? '/sign-out');
  }
}
