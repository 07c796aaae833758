import type { JsonObject } from './event';

/** A domain event as a decider sees it: a stable type name and JSON data. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  type: Type;
  data: Data;
}

/**
 * Domain logic as pure functions over plain data. `decide` throws a domain error for a broken rule;
 * `evolve` never throws and never reads a clock: time and outside facts arrive inside the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}
