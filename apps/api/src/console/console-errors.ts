import type { Request, Response } from 'express';
import type { ErrorBody } from '../common/api-error.js';

const TITLES: Record<number, string> = {
  400: 'There is a problem with your request',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That has already been done',
  413: 'What you sent is too large',
  415: 'There is a problem with your request',
  422: 'That cannot be done now',
  429: 'Too many requests',
  503: 'Sorry, the service is unavailable',
};

/** The form's answers, to be sent again as they were (its Idempotency-Key among them); the CSRF token is the page's own. */
function resendFields(posted: unknown): Array<{ name: string; value: string }> {
  if (typeof posted !== 'object' || posted === null) return [];
  return Object.entries(posted as Record<string, unknown>).flatMap(([name, value]) =>
    name === '_csrf' ? [] : (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').map((item) => ({ name, value: item })),
  );
}

/**
 * A fault after a form's command started (the database or Temporal slow or down) may have
 * come after the change was made: the page says so in words, where to look, and offers the
 * same form again, which records the change once whether or not it was made.
 */
function unsureChange(request: Request, error: ErrorBody) {
  const shownAt = request.formChangeShownAt;
  if (error.statusCode < 500 || request.method !== 'POST' || !shownAt) return undefined;
  return { shownAt, action: request.originalUrl, fields: resendFields(request.body) };
}

/**
 * A console request that fails gets a GOV.UK page, never JSON: no session sends the user to
 * sign in (and back); anything else says what went wrong in words, with the same status.
 */
export function renderConsoleError(request: Request, response: Response, error: ErrorBody): void {
  if (error.statusCode === 401) {
    const back = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.originalUrl)}` : '';
    response.redirect(303, `/sign-in${back}`);
    return;
  }
  const unsure = unsureChange(request, error);
  const title = unsure ? 'Your change may not have been saved' : (TITLES[error.statusCode] ?? 'Sorry, there is a problem with the service');
  const view = {
    title,
    status: error.statusCode,
    code: error.code,
    // A 4xx message says what the rule was; a 5xx one is for the API's callers (retry, keys), and the page says it in words.
    message: error.statusCode < 500 ? error.message : undefined,
    unsure,
    cspNonce: response.locals.cspNonce,
    user: response.locals.user ?? request.consoleUser,
    csrfToken: response.locals.csrfToken,
  };
  response.status(error.statusCode);
  response.render('error', view, (renderError: Error | null, html?: string) => {
    // Nunjucks calls back a second time when something throws after the first answer went out.
    if (response.headersSent) return;
    if (renderError || html === undefined) {
      response.type('text/plain').send(`${title}\n\n${error.message}`);
      return;
    }
    response.type('html').send(html);
  });
}
