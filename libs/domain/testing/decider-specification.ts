import { DomainError, type DomainErrorCode } from '../errors.js';

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

export interface WhenClause<Event, State> {
  /** The command produced exactly these events. */
  then(expected: readonly Event[]): void;
  /** The command was accepted and changed nothing. */
  thenNothingHappens(): void;
  /** The command was refused with this code (and details containing these). */
  thenThrows(code: DomainErrorCode, details?: Record<string, unknown>): DomainError;
  /** The state after the produced events satisfies the check. */
  thenState(check: (state: State, events: readonly Event[]) => void): void;
}

/**
 * Given these events, when this command, then these events or this error: decider tests
 * that read as specifications (after emmett's DeciderSpecification).
 */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: readonly Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      const when = (command: Command): WhenClause<Event, State> => {
        const run = (): Event[] => decider.decide(command, state);
        return {
          then(expected) {
            expect(run()).toEqual(expected);
          },
          thenNothingHappens() {
            expect(run()).toEqual([]);
          },
          thenThrows(code, details) {
            const error = captureError(run);
            expect(error).toBeInstanceOf(DomainError);
            const domainError = error as DomainError;
            expect({ code: domainError.code, message: domainError.message }).toEqual({
              code,
              message: expect.any(String),
            });
            if (details !== undefined) expect(domainError.details).toMatchObject(details);
            return domainError;
          },
          thenState(check) {
            const events = run();
            check(events.reduce(decider.evolve, state), events);
          },
        };
      };
      return {
        when,
        /**
         * One test a case: the command built from the case's overrides is refused as
         * invalid, naming the case's field.
         */
        refusesInvalid<Overrides>(command: (overrides: Overrides) => Command, cases: ReadonlyArray<readonly [field: string, overrides: Overrides]>): void {
          it.each(cases.map(([field, overrides]): [string, Overrides] => [field, overrides]))('refuses a bad %s (%p)', (field, overrides) => {
            when(command(overrides)).thenThrows('invalid-command', { field });
          });
        },
      };
    },
  };
}

function captureError(run: () => unknown): unknown {
  try {
    const result = run();
    return new Error(`expected a DomainError, but the command produced ${JSON.stringify(result)}`);
  } catch (error) {
    return error;
  }
}
