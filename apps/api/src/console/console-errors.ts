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
  const title = TITLES[error.statusCode] ?? 'Sorry, there is a problem with the service';
  const view = {
    title,
    status: error.statusCode,
    code: error.code,
    // Messages of 5xx answers are generic by construction; others say what the rule was.
    message: error.message,
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
