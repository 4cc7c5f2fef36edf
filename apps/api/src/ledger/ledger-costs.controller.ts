import { randomUUID } from 'node:crypto';
import { Body, Param, Req } from '@nestjs/common';
import { LEDGER_CENTRE_PATTERN, decideLedger, ledgerStreamId, type LedgerScope } from '../../../../libs/domain/index.js';
import { EventStore, StreamVersionConflict, commandEventId, type NewEvent, type StoredEvent } from '../../../../libs/event-store/index.js';
import type { CommandContext } from '../../../../workflows/contract.js';
import { type AuthenticatedRequest } from '../auth/access.decorator.js';
import { ApiError } from '../common/api-error.js';
import { CommandCall } from '../common/command-context.js';
import { RecordCostDto, costFrom } from '../departments/commands/costs/cost.dto.js';
import { CommandController, CommandRoute } from '../common/command-route.js';

export interface LedgerCostResponse {
  readonly stream: string;
  readonly events: readonly StoredEvent[];
}

/**
 * Implementation costs that no single department carries: a centre's (stream
 * `centre-<CENTRE>`) and the programme's own (stream `programme`), hash-chained like the rest.
 */
@CommandController('api', 'benefits')
export class LedgerCostsController {
  constructor(private readonly store: EventStore) {}

  @CommandRoute('Record an implementation cost a shared services centre incurred (centre tokens: their own centre)', ['programme', 'centre'], { path: 'centres/:centre/costs' })
  centre(@Param('centre') centre: string, @Body() dto: RecordCostDto, @Req() request: AuthenticatedRequest, @CommandCall() context: CommandContext) {
    if (!LEDGER_CENTRE_PATTERN.test(centre)) throw new ApiError(400, 'invalid-centre', 'a centre is letters, digits and hyphens, starting with a letter');
    if (request.actingRole === 'centre' && !request.principal?.departments.includes(centre.toUpperCase())) {
      throw new ApiError(403, 'out-of-scope', `your token does not cover centre ${centre.toUpperCase()}`);
    }
    return this.record({ kind: 'centre', centre }, dto, context);
  }

  @CommandRoute("Record an implementation cost of the programme's own", ['programme'], { path: 'programme/costs' })
  programme(@Body() dto: RecordCostDto, @CommandCall() context: CommandContext) {
    return this.record({ kind: 'programme' }, dto, context);
  }

  private async record(scope: LedgerScope, dto: RecordCostDto, context: CommandContext): Promise<LedgerCostResponse> {
    const at = new Date().toISOString();
    const [event] = decideLedger({ type: 'RecordLedgerCost', at, scope, ...costFrom(dto) });
    const stream = ledgerStreamId(scope);
    // A keyed cost run again (its answer was lost) appends the same event id, which the store answers as already there.
    const eventId = context.commandId ? commandEventId(stream, context.commandId) : randomUUID();
    return { stream, events: await this.appendAtHead(stream, { eventId, type: event.type, data: event.data, metadata: context, recordedAt: at }) };
  }

  /** Costs stand alone, so a concurrent append only means trying again at the new head. */
  private async appendAtHead(stream: string, event: NewEvent): Promise<StoredEvent[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return [...(await this.store.append(stream, await this.store.streamVersion(stream), [event])).events];
      } catch (error) {
        if (!(error instanceof StreamVersionConflict) || attempt >= 5) throw error;
      }
    }
  }
}
