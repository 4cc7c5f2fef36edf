import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Access } from '../../auth/access.decorator.js';
import { CommandCall } from '../../common/command-context.js';
import { CommandController } from '../../common/command-route.js';
import type { CommandContext } from '../../../../../workflows/contract.js';
import { OptionalText } from '../../common/text.js';
import { RetryService } from './retry.service.js';

export class RetryDto {
  @OptionalText('Why the step is retried now (e.g. the database is back); kept in the audit trail')
  readonly reason?: string;
}

@CommandController('api/operations/departments/:code', 'operations')
export class RetryController {
  constructor(private readonly retries: RetryService) {}

  @Post('retry')
  @HttpCode(200)
  @Access(['operations'])
  @ApiOperation({
    summary: 'Run the failing step again now',
    description:
      'A failing activity is reset (Temporal ResetActivity): its attempts start again and a retry waiting out its backoff ' +
      'runs at once. A failing workflow task has its sticky queue reset so that the next attempt goes to any healthy worker. ' +
      'Recorded as RetryRequested in the stream operations-<CODE>. 409 nothing-to-retry when nothing is failing. ' +
      'With an Idempotency-Key, copies sent again (or at once) get the first answer and record nothing more.',
  })
  retry(@Param('code') code: string, @Body() dto: RetryDto, @CommandCall() context: CommandContext) {
    return this.retries.retry(code, dto.reason, context);
  }
}
