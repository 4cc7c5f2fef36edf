import { invalidCommand } from '../errors.js';
import { costIncurred } from '../onboarding/accountability.js';
import type { RecordCost } from '../onboarding/commands.js';
import type { CostIncurred } from '../onboarding/events.js';
import { requireInstant } from '../time.js';

// Costs that no single department carries (a centre's new payroll platform, the programme
// office) go to their own streams, `centre-<CENTRE>` and `programme`, chained like the rest.
// Every such record stands alone, so the decider needs no state.

export type LedgerScope = { readonly kind: 'programme' } | { readonly kind: 'centre'; readonly centre: string };

export interface RecordLedgerCost extends Omit<RecordCost, 'type'> {
  readonly type: 'RecordLedgerCost';
  readonly scope: LedgerScope;
}

/** Centre names as they appear in a path: letters, digits and hyphens, starting with a letter. */
export const LEDGER_CENTRE_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,49}$/;

export function ledgerStreamId(scope: LedgerScope): string {
  if (scope.kind === 'programme') return 'programme';
  if (typeof scope.centre !== 'string' || !LEDGER_CENTRE_PATTERN.test(scope.centre)) {
    throw invalidCommand(`'${String(scope.centre)}' is not a centre name`, { field: 'centre' });
  }
  return `centre-${scope.centre.toUpperCase()}`;
}

export function isLedgerStream(streamId: string): boolean {
  return streamId === 'programme' || streamId.startsWith('centre-');
}

export function decideLedger(command: RecordLedgerCost): CostIncurred[] {
  const at = requireInstant(command.at);
  ledgerStreamId(command.scope);
  return [costIncurred(command, at)];
}
