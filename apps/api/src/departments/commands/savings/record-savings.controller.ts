import { Body, Param } from '@nestjs/common';
import { type Attribution, ATTRIBUTIONS, MAX_TEXT_LENGTH, poundsToPence } from '../../../../../../libs/domain/index.js';
import { ISSUED_ID_PATTERN } from '../../../../../../libs/event-store/index.js';
import { CommandCall } from '../../../common/command-context.js';
import type { CommandContext } from '../../../../../../workflows/contract.js';
import { ApiError } from '../../../common/api-error.js';
import { OneOf, OptionalText, Period, Text } from '../../../common/text.js';
import { CommandService } from '../../command.service.js';
import { Pounds } from '../money.js';
import { CommandController, CommandRoute } from '../../../common/command-route.js';

export class RecordSavingsDto {
  @Period('Quarter the saving was achieved in', '2027-Q3')
  readonly period!: string;

  @Pounds('Saving in pounds', 0.01)
  readonly amountGbp!: number;

  @OneOf(ATTRIBUTIONS, 'Caused by the programme, or by spending constraints')
  readonly attribution!: Attribution;

  @Text('Reference to the evidence', MAX_TEXT_LENGTH, 'finance://ledger/2027-Q3/savings.pdf')
  readonly evidenceRef!: string;
}

export class CorrectSavingsDto {
  @Pounds('The amount that stands instead, in pounds (0 withdraws the claim)')
  readonly amountGbp!: number;

  @Text('Why the record was wrong; kept beside it', MAX_TEXT_LENGTH, 'Supplier credit note reduced the saving')
  readonly reason!: string;
}

export class VerifySavingsDto {
  @OptionalText('What the programme checked', MAX_TEXT_LENGTH)
  readonly note?: string;
}

/** A savingId is the id of the event that recorded the saving. */
function savingIdFrom(id: string): string {
  if (!ISSUED_ID_PATTERN.test(id)) throw new ApiError(404, 'unknown-saving', 'no savings record with this id');
  return id;
}

@CommandController('api/departments/:code/savings', 'benefits')
export class RecordSavingsController {
  constructor(private readonly commands: CommandService) {}

  @CommandRoute('Record a saving achieved in LIVE, attributed honestly', ['lead'], { departmentScoped: true })
  record(@Param('code') code: string, @Body() dto: RecordSavingsDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      { type: 'RecordSavings', period: dto.period, amountPence: poundsToPence(dto.amountGbp), attribution: dto.attribution, evidenceRef: dto.evidenceRef },
      context,
    );
  }

  @CommandRoute('Correct a savings record: a new event supersedes it, the record is never edited', ['lead', 'programme'], { path: ':savingId/corrections', departmentScoped: true })
  correct(@Param('code') code: string, @Param('savingId') savingId: string, @Body() dto: CorrectSavingsDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      { type: 'CorrectSavings', savingId: savingIdFrom(savingId), amountPence: poundsToPence(dto.amountGbp), reason: dto.reason },
      context,
    );
  }

  @CommandRoute('Verify a savings record as it now stands: claimed becomes verified', ['programme'], { path: ':savingId/verification' })
  verify(@Param('code') code: string, @Param('savingId') savingId: string, @Body() dto: VerifySavingsDto, @CommandCall() context: CommandContext) {
    return this.commands.execute(
      code,
      { type: 'VerifySavings', savingId: savingIdFrom(savingId), ...(dto.note?.trim() ? { note: dto.note } : {}) },
      context,
    );
  }
}
