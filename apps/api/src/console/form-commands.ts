import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { CommandContext } from '../../../../workflows/contract.js';
import type { AuthenticatedRequest } from '../auth/access.decorator.js';
import { commandContextOf } from '../common/command-context.js';
import { IdempotencyService, type IdempotentResult } from '../common/idempotency.js';

/** The hidden field that carries the Idempotency-Key of the form rendering a post came from. */
export const FORM_KEY_FIELD = 'idempotencyKey';

/** A new key each time a form is rendered: posting one rendering twice is one command; rendering the form again makes another. */
export function newFormKey(): string {
  return randomUUID();
}

type FormRequest = Request & AuthenticatedRequest;

/** Where a person sees whether a form's change was made (the page its success leads to, or the list it shows on). */
export interface ChangeShownAt {
  readonly href: string;
  /** Words that finish "Check …", such as "the page for DFT". */
  readonly text: string;
}

/** A department's page shows its stage, what its forms recorded and the timeline of who did what. */
export function departmentPage(code: string): ChangeShownAt {
  const upper = code.toUpperCase();
  return { href: `/departments/${encodeURIComponent(upper)}`, text: `the page for ${upper}` };
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set once a form's command has started: a fault from then on may come after the change was made. */
    formChangeShownAt?: import('./form-commands.js').ChangeShownAt;
  }
}

/**
 * Runs a console form's command under the key of the rendering it came from, through the
 * API's own Idempotency-Key handling: a double click or a post resent after a lost answer gets
 * the first result and runs nothing, and the key becomes the command's id downstream (its
 * Update id and its events' `commandId`), as it does for an API call. Should the answer be a
 * fault (a 503 while a dependency is slow or down), the change may have been made all the
 * same: the error page then says where to look, and offers to send the same form again.
 */
@Injectable()
export class FormCommands {
  constructor(private readonly idempotency: IdempotencyService) {}

  once<T>(
    request: FormRequest,
    posted: Record<string, unknown>,
    body: unknown,
    shownAt: ChangeShownAt,
    run: (context: CommandContext) => Promise<T>,
  ): Promise<IdempotentResult<T>> {
    request.formChangeShownAt = shownAt;
    const context = commandContextOf(request);
    const key = posted[FORM_KEY_FIELD];
    return this.idempotency.run({
      scope: `${context.actor.sub}|console ${request.method} ${request.path}`,
      key: typeof key === 'string' && key !== '' ? key : undefined,
      body,
      run: (commandId) => run(commandId ? { ...context, commandId } : context),
    });
  }
}
