import { v7 as uuidv7 } from 'uuid';
import type { AppendResult, EventMetadata } from './event';
import type { Decider, DomainEvent } from './decider';
import type { EventStore } from './event-store';
import { ConcurrencyError } from './event-store.errors';

/** Who sends a command, when it happened, and what it belongs to. Becomes every resulting event's metadata. */
export interface CommandContext {
  /** Business time of the command (ISO 8601 with offset). */
  occurredAt: string;
  actor?: string;
  correlationId?: string;
  /** Id of the command itself: the events' causation id. A fresh UUID when omitted. */
  commandId?: string;
}

export interface HandleCommandOptions<State = unknown> {
  /** How many times to re-read and re-decide after a concurrent append to the same stream. */
  maxRetries?: number;
  /** The stream as the caller just folded it: the first attempt decides on it instead of reading again. */
  folded?: Folded<State>;
}

/** A stream folded into its decider's state, with the revision it was read at. */
export interface Folded<State> {
  state: State;
  revision: bigint | 'no_stream';
}

export interface CommandResult<Event extends DomainEvent, State> {
  /** The events the decision produced, in order (empty when the decision changed nothing). */
  events: Event[];
  /** The state after the new events. */
  state: State;
  /** Where the append left the stream; absent when nothing was appended. */
  appended?: AppendResult;
}

const DEFAULT_MAX_RETRIES = 3;

/** Reads a stream and folds it into its decider's state. */
export async function foldStream<Command, Event extends DomainEvent, State>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State>,
): Promise<Folded<State>> {
  const history = await store.readStream(stream);
  const state = history.reduce((folded, event) => decider.evolve(folded, event as unknown as Event), decider.initialState());
  return { state, revision: history.length === 0 ? 'no_stream' : history[history.length - 1].revision };
}

/**
 * The command path: read the stream, fold it with `evolve`, `decide`, append with the revision that was read.
 * On a concurrent append (ConcurrencyError) it starts again, at most `maxRetries` times.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: CommandContext,
  options: HandleCommandOptions<State> = {},
): Promise<CommandResult<Event, State>> {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const metadata: EventMetadata = {
    occurredAt: context.occurredAt,
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.commandId ?? uuidv7(),
  };
  for (let attempt = 0; ; attempt++) {
    const read = attempt === 0 && options.folded ? options.folded : await foldStream(store, stream, decider);
    let state = read.state;
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { events: [], state };
    const expectedRevision = read.revision;
    const newEvents = decided.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata }));
    try {
      const result = await store.appendToStream(stream, newEvents, { expectedRevision });
      for (const event of decided) state = decider.evolve(state, event);
      return { events: decided, state, appended: result };
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < maxRetries) continue;
      throw error;
    }
  }
}
