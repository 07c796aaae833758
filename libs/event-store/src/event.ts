/** JSON as it is stored: what `JSON.parse(JSON.stringify(x))` gives back unchanged. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who, why and when, as the command saw it. The store adds `recordedAt` and `position`. */
export interface EventMetadata {
  /** Business time: when it happened in the world (ISO 8601 with offset), from the command. */
  occurredAt: string;
  /** Who did it: the authenticated subject, or a system name such as `import`. */
  actor?: string;
  /** Ties together every event caused by one request. */
  correlationId?: string;
  /** The command or event that caused this event. */
  causationId?: string;
}

/** An event to append. Without an id the store assigns a UUID (and the append cannot be retried idempotently). */
export interface NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  id?: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

/** An event as the store holds it. Immutable: engines may decode `data` and `metadata` on first access. */
export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly stream: string;
  /** The event's place in its stream: 0, 1, 2, … */
  readonly revision: bigint;
  /** The event's place in the whole log: strictly increasing, not necessarily contiguous. */
  readonly position: bigint;
  /** Record time: when the store committed the event (ISO 8601, UTC). */
  readonly recordedAt: string;
}

/**
 * What the caller believes the stream's state to be:
 * `any` (no check), `no_stream` (must not exist), `stream_exists` (must have at least one event),
 * or the exact revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** The revision a stream actually has: `no_stream` when it has no events. */
export type StreamRevision = 'no_stream' | bigint;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

/** One stream's part of an append to several streams (`appendToStreams`). */
export interface StreamAppend {
  stream: string;
  events: readonly NewEvent[];
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the stream's last event after the append: pass it as the next expectedRevision. */
  nextExpectedRevision: bigint;
  /** The global position of the last event written. */
  position: bigint;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** First revision to read (inclusive); `start` by default forwards, `end` by default backwards. */
  from?: bigint | 'start' | 'end';
  direction?: Direction;
  maxCount?: number;
}

/** Selects events by type (exact names) or by stream name prefix. System events are never delivered. */
export type EventFilter = { eventTypes: readonly string[] } | { streamPrefixes: readonly string[] };

export interface ReadAllOptions {
  /** First position to read (inclusive); `start` by default forwards, `end` by default backwards. */
  fromPosition?: bigint | 'start' | 'end';
  direction?: Direction;
  /** Page size: at most this many events are returned (default 1000, at most 10 000). */
  maxCount?: number;
  filter?: EventFilter;
}

export interface SubscribeToAllOptions {
  /**
   * Where to resume: events *after* this position are delivered (a stored checkpoint is the position of the
   * last event handled). `start` delivers everything, `end` only what is appended from now on.
   */
  fromPosition?: bigint | 'start' | 'end';
  filter?: EventFilter;
}

/** Catches up, then goes live. Delivers in position order, at least once. Iterate it; close it when done. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export function matchesFilter(filter: EventFilter | undefined, event: { type: string; stream: string }): boolean {
  if (!filter) return true;
  if ('eventTypes' in filter) return filter.eventTypes.includes(event.type);
  return filter.streamPrefixes.some((prefix) => event.stream.startsWith(prefix));
}
