import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { csrfSync } from 'csrf-sync';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import session from 'express-session';
import type { HelmetOptions } from 'helmet';
import nunjucks from 'nunjucks';
import type { AppConfig } from '../../../../libs/config/index.js';
import type { SqlClient } from '../../../../libs/database/index.js';
import { ApiError } from '../common/api-error.js';
import { isConsoleRequest } from './console-requests.js';
import { AccessRules } from './departments/access-rules.js';
import { sectionsFor } from './navigation.js';
import { ConsoleSession } from './session/console-session.js';
import { SqlSessionStore, sharedSessionSecret } from './session/sql-session-store.js';
import { addFilters } from './view-filters.js';

const require = createRequire(import.meta.url);
const govukDist = join(dirname(require.resolve('govuk-frontend')), '..');
const mojDist = join(dirname(require.resolve('@ministryofjustice/frontend')), '..');
/** `npm run build` copies views and assets next to the compiled code. */
const here = dirname(fileURLToPath(import.meta.url));

export const SESSION_COOKIE = 'ssc.console';

declare module 'express-serve-static-core' {
  interface Request {
    /** The console user of this request's session, once its absolute expiry is checked. */
    consoleUser?: import('./session/console-session.js').ConsoleUser;
    /** Set on an upload form's post, whose CSRF token the route checks once its body is read (CsrfAfterUpload). */
    csrfTokenValid?: () => boolean;
  }
}

/**
 * The console's one multipart form (a file upload, the digest check): its body is read by the
 * route's upload interceptor, not by the pipeline, so its CSRF token is checked there, after
 * it (CsrfAfterUpload). The token stays a form field, never in the URL, where browser
 * history and access logs would keep it.
 */
const UPLOAD_FORMS: ReadonlySet<string> = new Set(['/audit/digest/check']);

function isUploadPost(request: Request): boolean {
  return request.method === 'POST' && UPLOAD_FORMS.has(request.path) && typeof request.is('multipart/form-data') === 'string';
}

/** Every refused CSRF token, wherever it is checked. */
export function invalidCsrfToken(): ApiError {
  return new ApiError(403, 'invalid-csrf-token', 'the form was out of date or did not come from this service; go back, reload the page and try again');
}

/** A fresh nonce per response lets the GOV.UK template's one inline script run under the CSP. */
export function cspNonce(_request: Request, response: Response, next: NextFunction): void {
  response.locals.cspNonce = randomBytes(16).toString('base64');
  next();
}

export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      scriptSrc: ["'self'", (_request, response) => `'nonce-${(response as Response).locals.cspNonce as string}'`],
    },
  },
};

/** Signing out posts a form whose answer redirects to the identity provider's sign-out, which form-action must allow. */
export function helmetOptions(config: Pick<AppConfig, 'oidc'>): HelmetOptions {
  if (!config.oidc) return HELMET_OPTIONS;
  const csp = HELMET_OPTIONS.contentSecurityPolicy as { directives: Record<string, unknown> };
  return { contentSecurityPolicy: { directives: { ...csp.directives, formAction: ["'self'", new URL(config.oidc.issuerUrl).origin] } } };
}

function onConsole(handler: RequestHandler): RequestHandler {
  return (request, response, next) => (isConsoleRequest(request) ? handler(request, response, next) : next());
}

type RenderCallback = (error: Error | null, html?: string) => void;

/**
 * A page or form still at work when COMMAND_TIMEOUT_MS answered its request 503 goes on, and
 * renders its page or redirects; that late answer is dropped. Sent, a page would throw "headers
 * already sent" out of Nunjucks' callback, where nothing catches it, and stop the API process.
 */
function answerOnlyOnce(request: Request, response: Response, next: NextFunction): void {
  const redirect = response.redirect.bind(response) as (...args: unknown[]) => void;
  response.redirect = ((...args: unknown[]) => {
    if (!response.headersSent) redirect(...args);
  }) as Response['redirect'];
  const render = response.render.bind(response) as (view: string, options: object, callback: RenderCallback) => void;
  response.render = ((view: string, options?: object | RenderCallback, callback?: RenderCallback) => {
    const done = typeof options === 'function' ? options : callback;
    render(view, typeof options === 'function' ? {} : (options ?? {}), (error, html) => {
      if (response.headersSent) return;
      if (done) return done(error, html);
      if (error) return request.next?.(error);
      response.send(html);
    });
  }) as Response['render'];
  next();
}

/** Forms post URL-encoded (or multipart, for an upload); JSON belongs to the API. */
function formBodiesOnly(request: Request, _response: Response, next: NextFunction): void {
  const hasBody = request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] ?? '0') !== '0';
  if (!hasBody || request.is('application/x-www-form-urlencoded') || request.is('multipart/form-data')) return next();
  next(new ApiError(415, 'unsupported-media-type', 'console forms post application/x-www-form-urlencoded'));
}

/**
 * The console's half of the HTTP pipeline: Nunjucks with the GOV.UK and MOJ templates, their
 * assets, the session (in the database), form bodies and CSRF protection on every post.
 * Requests under /api never see a session: the API only ever trusts bearer tokens.
 */
export async function useConsole(app: NestExpressApplication, config: AppConfig, db: SqlClient): Promise<void> {
  const views = join(here, 'views');
  const env = nunjucks.configure([views, govukDist, mojDist], { autoescape: true, express: app.getHttpAdapter().getInstance() });
  addFilters(env);
  app.setBaseViewsDir(views);
  app.setViewEngine('njk');

  const cached = { maxAge: '1d', immutable: false, index: false } as const;
  app.useStaticAssets(join(govukDist, 'govuk', 'assets'), { prefix: '/assets', ...cached });
  app.useStaticAssets(join(govukDist, 'govuk'), { prefix: '/govuk', ...cached });
  app.useStaticAssets(join(mojDist, 'moj'), { prefix: '/moj', ...cached });
  app.useStaticAssets(join(here, 'assets'), { prefix: '/console', ...cached });
  // Browsers ask for /favicon.ico on their own; answered here, it never reaches (or uses up) a session.
  app.use('/favicon.ico', (_request: Request, response: Response) => response.redirect(301, '/assets/images/favicon.ico'));

  app.use(
    onConsole(
      session({
        name: SESSION_COOKIE,
        secret: config.consoleSessionSecret ?? (await sharedSessionSecret(db)),
        store: new SqlSessionStore(db, config.consoleSessionIdleMs),
        resave: false,
        saveUninitialized: false,
        rolling: true,
        cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.consoleSessionIdleMs, path: '/' },
      }),
    ),
  );
  const sessions = new ConsoleSession(config);
  let rules: AccessRules | undefined;
  app.use(onConsole((request, _response, next) => resolveUser(sessions, request, next)));
  // Before any refusal below, so that its page has the same header.
  app.use(
    onConsole((request, response, next) => {
      rules ??= app.get(AccessRules, { strict: false }) ?? undefined;
      if (!rules) return next(new Error('the console access rules are not provided'));
      response.locals.sections = sectionsFor(rules, request.consoleUser);
      next();
    }),
  );
  app.use(onConsole(answerOnlyOnce));
  app.use(onConsole(formBodiesOnly));
  app.use(onConsole(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 })));
  const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
    getTokenFromRequest: (request) => {
      const fromBody = (request.body as Record<string, unknown> | undefined)?._csrf;
      return typeof fromBody === 'string' ? fromBody : undefined;
    },
    errorConfig: { statusCode: 403, code: 'invalid-csrf-token', message: 'the form was out of date or did not come from this service' },
  });
  app.use(
    onConsole((request, response, next) => {
      if (isUploadPost(request)) {
        request.csrfTokenValid = () => isRequestValid(request);
        return next();
      }
      csrfSynchronisedProtection(request, response, (error?: unknown) => next(error === undefined ? undefined : invalidCsrfToken()));
    }),
  );
  app.use(
    onConsole((request, response, next) => {
      response.locals.csrfToken = generateToken(request);
      response.locals.user = request.consoleUser;
      response.locals.currentPath = request.path;
      // Taken when a page is rendered, not by whatever request comes first.
      let flash: ReturnType<ConsoleSession['takeFlash']> | null = null;
      Object.defineProperty(response.locals, 'flash', { enumerable: true, get: () => (flash ??= sessions.takeFlash(request)) });
      next();
    }),
  );
}

/** A session past its absolute limit is ended here, so nothing downstream can use it. */
function resolveUser(sessions: ConsoleSession, request: Request, next: NextFunction): void {
  const user = sessions.user(request);
  if (user) {
    request.consoleUser = user;
    return next();
  }
  if (!request.session?.user) return next();
  request.session.regenerate((error) => next(error));
}
