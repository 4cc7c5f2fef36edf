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

/**
 * Runs a console form's command under the key of the rendering it came from, through the
 * API's own Idempotency-Key handling: a double click or a post resent after a lost answer gets
 * the first result and runs nothing, and the key becomes the command's id downstream (its
 * Update id and its events' `commandId`), as it does for an API call.
 */
@Injectable()
export class FormCommands {
  constructor(private readonly idempotency: IdempotencyService) {}

  once<T>(request: FormRequest, posted: Record<string, unknown>, body: unknown, run: (context: CommandContext) => Promise<T>): Promise<IdempotentResult<T>> {
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
