import type { Decider, DomainEvent } from '@kansli/event-store';

type ErrorMatcher = (new (...args: never[]) => Error) | RegExp | string | Error;

/**
 * Given events, when a command, then events or an error — the decider's whole behaviour in one line each.
 *
 *   deciderSpec(meetingDecider).given([scheduled, opened]).when(takeDecision).then([decisionTaken]);
 */
export function deciderSpec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: Event[]) {
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, history.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: Event[]): void {
              expect(decide()).toEqual(expected);
            },
            thenThrows(error: ErrorMatcher, details?: Record<string, unknown>): void {
              expect(decide).toThrow(error);
              if (details) {
                try {
                  decide();
                } catch (thrown) {
                  expect(thrown).toMatchObject(details);
                }
              }
            },
          };
        },
      };
    },
  };
}
