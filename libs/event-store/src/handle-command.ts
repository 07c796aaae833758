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
  /** Folded states to start from, and to keep up to date with what this command appends. */
  cache?: FoldCache;
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

/**
 * Folded states of recently used streams, so that a command reads only the events appended since. Safe because
 * events never change and revisions only grow: whatever was appended meanwhile (by anyone) is read and folded on.
 * States are immutable values (deciders return new states), so sharing them is safe too.
 */
export class FoldCache {
  private readonly entries = new Map<string, { decider: object; folded: Folded<unknown> }>();

  constructor(private readonly capacity = 10_000) {}

  get<State>(stream: string, decider: object): Folded<State> | undefined {
    const entry = this.entries.get(stream);
    if (!entry || entry.decider !== decider) return undefined;
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    return entry.folded as Folded<State>;
  }

  set<State>(stream: string, decider: object, folded: Folded<State>): void {
    const current = this.entries.get(stream);
    if (current && current.decider === decider && isAhead(current.folded.revision, folded.revision)) return;
    this.entries.delete(stream);
    this.entries.set(stream, { decider, folded });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function isAhead(a: bigint | 'no_stream', b: bigint | 'no_stream'): boolean {
  return a !== 'no_stream' && (b === 'no_stream' || a > b);
}

/** Reads a stream and folds it into its decider's state; with a cache, reads only what is new since. */
export async function foldStream<Command, Event extends DomainEvent, State>(
  store: EventStore,
  stream: string,
  decider: Decider<Command, Event, State>,
  cache?: FoldCache,
): Promise<Folded<State>> {
  const cached = cache?.get<State>(stream, decider);
  const from = cached && cached.revision !== 'no_stream' ? cached.revision + 1n : 0n;
  const history = await store.readStream(stream, { from });
  let state = cached ? cached.state : decider.initialState();
  for (const event of history) state = decider.evolve(state, event as unknown as Event);
  const revision = history.length > 0 ? history[history.length - 1].revision : (cached?.revision ?? 'no_stream');
  const folded = { state, revision };
  cache?.set(stream, decider, folded);
  return folded;
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
  const metadata = commandMetadata(context);
  for (let attempt = 0; ; attempt++) {
    const read = attempt === 0 && options.folded ? options.folded : await foldStream(store, stream, decider, options.cache);
    let state = read.state;
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { events: [], state };
    const expectedRevision = read.revision;
    try {
      const result = await store.appendToStream(stream, newEvents(decided, metadata), { expectedRevision });
      for (const event of decided) state = decider.evolve(state, event);
      options.cache?.set(stream, decider, { state, revision: result.nextExpectedRevision });
      return { events: decided, state, appended: result };
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < maxRetries) continue;
      throw error;
    }
  }
}

/** One stream's part of a command that writes several streams: its new events and the revision decided on. */
export interface StreamDecision {
  stream: string;
  events: readonly DomainEvent[];
  revision: bigint | 'no_stream';
}

/**
 * The command path for a command that must write several streams as one (a paragraph number and the decision
 * that takes it): `decide` reads and folds what it needs and returns each stream's events with the revision it
 * read; all of them are appended in one atomic write. On a concurrent append to any of the streams it decides
 * again, at most `maxRetries` times. Only for engines with `capabilities.atomicMultiStreamAppend`.
 */
export async function handleMultiStreamCommand<Decided extends { parts: readonly StreamDecision[] }>(
  store: EventStore,
  decide: (attempt: number) => Promise<Decided>,
  context: CommandContext,
  options: { maxRetries?: number } = {},
): Promise<Decided & { appended: AppendResult[] }> {
  if (!store.capabilities.atomicMultiStreamAppend) throw new Error('This engine cannot append to several streams atomically');
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const metadata = commandMetadata(context);
  for (let attempt = 0; ; attempt++) {
    const decided = await decide(attempt);
    const parts = decided.parts.filter((part) => part.events.length > 0);
    try {
      const appended = await store.appendToStreams(
        parts.map((part) => ({ stream: part.stream, events: newEvents(part.events, metadata), expectedRevision: part.revision })),
      );
      return { ...decided, appended };
    } catch (error) {
      if (error instanceof ConcurrencyError && attempt < maxRetries) continue;
      throw error;
    }
  }
}

/** The metadata every event of one command carries. */
function commandMetadata(context: CommandContext): EventMetadata {
  return {
    occurredAt: context.occurredAt,
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.commandId ?? uuidv7(),
  };
}

function newEvents(decided: readonly DomainEvent[], metadata: EventMetadata) {
  return decided.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata }));
}
