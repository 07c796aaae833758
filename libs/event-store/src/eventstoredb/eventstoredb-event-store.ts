import type * as Esdb from '@eventstore/db-client';
import type { AllStreamResolvedEvent, EventStoreDBClient, Filter, Position, ReadPosition, ResolvedEvent } from '@eventstore/db-client';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventSubscription,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event';
import { matchesFilter } from '../event';
import { EventStore, type EventStoreCapabilities } from '../event-store';
import { ConcurrencyError, EventStoreClosedError, EventStoreUnavailableError, InvalidReadError } from '../event-store.errors';
import {
  assertFilter,
  assertPosition,
  normalizeReadAll,
  normalizeReadStream,
  prepareAppend,
} from '../validation';

/**
 * The client library, loaded when the first adapter is made: the embedded default never loads it, nor gRPC and
 * protobuf with it (a spec checks that the embedded server's modules leave it out).
 */
let library: typeof Esdb | undefined;
function esdb(): typeof Esdb {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose (above)
  return (library ??= require('@eventstore/db-client') as typeof Esdb);
}

export interface EventStoreDbOptions {
  /** `esdb://host:2113?tls=false`, or `esdb+discover://…` for a cluster. */
  connectionString: string;
  /**
   * Consecutive failed reconnections after which a subscription gives up and throws (default 10). Not counted:
   * failures because the server cannot be reached, which are retried for as long as it takes.
   */
  maxReconnectAttempts?: number;
  /** First pause before reconnecting a dropped subscription; doubles each time up to 5 s. */
  reconnectDelayMs?: number;
}

const SHIFT = 64n;
const LOW_MASK = (1n << SHIFT) - 1n;

/**
 * EventStoreDB orders $all by (commit, prepare) position. Our position packs both into one bigint,
 * `commit × 2^64 + prepare`: it orders like $all, increases strictly, and unpacks exactly to resume.
 */
export function toPosition(position: Position): bigint {
  return (position.commit << SHIFT) | position.prepare;
}

export function fromPosition(position: bigint): Position {
  return { commit: position >> SHIFT, prepare: position & LOW_MASK };
}

/**
 * The scale-out adapter on `@eventstore/db-client` (works with KurrentDB servers too).
 * Differences from the embedded engine, by design: idempotent re-append is EventStoreDB's own, best effort;
 * projections cannot share the append's transaction, so read models follow a checkpointed subscription.
 */
export class EventStoreDbEventStore extends EventStore {
  readonly capabilities: EventStoreCapabilities = { inlineProjections: false, deterministicIdempotency: false, atomicMultiStreamAppend: false };
  private readonly client: EventStoreDBClient;
  private readonly maxReconnectAttempts: number;
  private readonly reconnectDelayMs: number;
  private readonly subscriptions = new Set<EventSubscription>();
  private closed = false;

  constructor(options: EventStoreDbOptions) {
    super();
    this.client = esdb().EventStoreDBClient.connectionString(options.connectionString);
    this.maxReconnectAttempts = options.maxReconnectAttempts ?? 10;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
  }

  async appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expectedRevision = options.expectedRevision === undefined ? 'any' : options.expectedRevision;
    const prepared = prepareAppend(stream, events, expectedRevision);
    const proposed = prepared.map((event, index) =>
      esdb().jsonEvent({
        id: event.id,
        type: event.type,
        data: events[index].data,
        metadata: toEsdbMetadata(events[index].metadata),
      }),
    );
    try {
      const result = await this.client.appendToStream(stream, proposed, { expectedRevision });
      if (!result.position) throw new Error('EventStoreDB returned no position for an append (server older than 20.6?)');
      return { nextExpectedRevision: result.nextExpectedRevision, position: toPosition(result.position) };
    } catch (error) {
      if (error instanceof esdb().WrongExpectedVersionError) {
        throw new ConcurrencyError(stream, expectedRevision, error.actualVersion);
      }
      throw unreachable(error) ? new EventStoreUnavailableError(error) : error;
    }
  }

  async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { from, direction, maxCount } = normalizeReadStream(options);
    if (direction === 'forwards' && from === 'end') return [];
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(stream, {
        fromRevision: from === 'start' ? esdb().START : from === 'end' ? esdb().END : from,
        direction: direction === 'forwards' ? esdb().FORWARDS : esdb().BACKWARDS,
        maxCount: BigInt(maxCount),
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof esdb().StreamNotFoundError) return [];
      throw unreachable(error) ? new EventStoreUnavailableError(error) : error;
    }
    return events;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { fromPosition, direction, maxCount, filter } = normalizeReadAll(options);
    if (direction === 'forwards' && fromPosition === 'end') return [];
    // EventStoreDB reads $all without server-side filters: page through and keep what the filter selects.
    // Each page is read to its end (the client's stream does not finish when left early).
    const events: RecordedEvent[] = [];
    let from: ReadPosition = fromPosition === 'start' ? esdb().START : fromPosition === 'end' ? esdb().END : fromPositionOf(fromPosition);
    if (direction === 'backwards' && typeof fromPosition === 'bigint') {
      // EventStoreDB reads backwards from *before* a position; ours is inclusive, so take the event at it first.
      const [at] = await this.readPage(from, 'forwards', 1);
      if (at && toPosition(at.position) === fromPosition) {
        const event = toRecordedEvent(at.resolved);
        if (event && matchesFilter(filter, event)) events.push(event);
      }
    }
    let skipFirst = false;
    for (;;) {
      const page = await this.readPage(from, direction, maxCount);
      for (const { resolved } of skipFirst ? page.slice(1) : page) {
        const event = toRecordedEvent(resolved);
        if (event && matchesFilter(filter, event)) events.push(event);
      }
      if (events.length >= maxCount || page.length < maxCount) return events.slice(0, maxCount);
      // Read on from the last event of this page: forwards, EventStoreDB includes it again.
      from = page[page.length - 1].position;
      skipFirst = direction === 'forwards';
    }
  }

  /** One read of $all, to its end. */
  private async readPage(
    from: ReadPosition,
    direction: 'forwards' | 'backwards',
    maxCount: number,
  ): Promise<Array<{ resolved: AllStreamResolvedEvent; position: Position }>> {
    const page: Array<{ resolved: AllStreamResolvedEvent; position: Position }> = [];
    try {
      const read = this.client.readAll({
        fromPosition: from,
        direction: direction === 'forwards' ? esdb().FORWARDS : esdb().BACKWARDS,
        maxCount: BigInt(maxCount),
      });
      for await (const resolved of read) {
        if (resolved.event?.position) page.push({ resolved, position: resolved.event.position });
      }
    } catch (error) {
      throw unreachable(error) ? new EventStoreUnavailableError(error) : error;
    }
    return page;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    this.assertOpen();
    const start = options.fromPosition ?? 'start';
    assertPosition(start);
    assertFilter(options.filter);
    const filter = options.filter;
    const client = this.client;
    const maxAttempts = this.maxReconnectAttempts;
    const firstDelay = this.reconnectDelayMs;
    let resumeFrom: ReadPosition = start === 'start' ? esdb().START : start === 'end' ? esdb().END : fromPositionOf(start);
    let closed = false;
    let current: ReturnType<EventStoreDBClient['subscribeToAll']> | undefined;

    async function* events(): AsyncGenerator<RecordedEvent> {
      let failures = 0;
      while (!closed) {
        current = client.subscribeToAll({ fromPosition: resumeFrom, filter: serverFilter(filter) });
        try {
          for await (const resolved of current as AsyncIterable<AllStreamResolvedEvent>) {
            failures = 0;
            if (resolved.event?.position) resumeFrom = resolved.event.position;
            const event = toRecordedEvent(resolved);
            if (!event || !matchesFilter(filter, event)) continue;
            yield event;
            if (closed) return;
          }
          if (closed) return;
        } catch (error) {
          if (closed) return;
          failures += 1;
          // A server that is away (restarting, failing over) is waited for however long it takes, every 5 s at
          // most, from the last position delivered; any other error gives up after maxReconnectAttempts.
          if (failures > maxAttempts && !unreachable(error)) throw error;
        } finally {
          void current?.unsubscribe().catch(() => undefined);
        }
        await delay(Math.min(5000, firstDelay * 2 ** Math.max(0, failures - 1)));
      }
    }

    const iterator = events();
    const subscription: EventSubscription = {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        closed = true;
        this.subscriptions.delete(subscription);
        await current?.unsubscribe().catch(() => undefined);
        await iterator.return(undefined);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function fromPositionOf(position: bigint): Position {
  if (position < 0n) throw new InvalidReadError(`Invalid position ${position}`);
  return fromPosition(position);
}

/** The client's errors that mean the server is away or slow, not that the request was wrong. */
function unreachable(error: unknown): boolean {
  if (error instanceof esdb().UnavailableError || error instanceof esdb().DeadlineExceededError || error instanceof esdb().TimeoutError) return true;
  if (error instanceof esdb().NotLeaderError || error instanceof esdb().CancelledError) return true;
  // The client's own connection failures (discovery, channel) carry gRPC's UNAVAILABLE (14) or DEADLINE_EXCEEDED (4).
  const code = (error as { code?: unknown } | null)?.code;
  return code === 14 || code === 4;
}

function serverFilter(filter: EventFilter | undefined): Filter {
  if (!filter) return esdb().excludeSystemEvents();
  if ('eventTypes' in filter) return esdb().eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  return esdb().streamNameFilter({ prefixes: [...filter.streamPrefixes] });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}


/** EventStoreDB's own names for correlation and causation, so its tooling can follow them. */
function toEsdbMetadata(metadata: EventMetadata): JsonObject {
  const { correlationId, causationId, ...rest } = metadata;
  const result: JsonObject = { ...rest } as JsonObject;
  if (correlationId !== undefined) result.$correlationId = correlationId;
  if (causationId !== undefined) result.$causationId = causationId;
  for (const key of Object.keys(result)) if (result[key] === undefined) delete result[key];
  return result;
}

function fromEsdbMetadata(raw: unknown): EventMetadata {
  const { $correlationId, $causationId, ...rest } = (raw ?? {}) as Record<string, string | undefined>;
  const metadata = { ...rest } as unknown as EventMetadata;
  if ($correlationId !== undefined) metadata.correlationId = $correlationId;
  if ($causationId !== undefined) metadata.causationId = $causationId;
  return metadata;
}

/** Our view of an EventStoreDB event; system events (type or stream starting with `$`) are left out. */
function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) return undefined;
  if (!event.position) throw new Error('EventStoreDB returned an event without a position (server older than 22.6?)');
  const data = event.isJson ? event.data : parseBinary(event.data as Uint8Array);
  return {
    id: event.id,
    type: event.type,
    data: data as JsonObject,
    metadata: fromEsdbMetadata(event.metadata),
    stream: event.streamId,
    revision: event.revision,
    position: toPosition(event.position),
    recordedAt: event.created.toISOString(),
  };
}

/** Events written by other tools may not be JSON: keep their bytes rather than fail the read. */
function parseBinary(bytes: Uint8Array): JsonObject {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // not JSON: fall through
  }
  return { binary: Buffer.from(bytes).toString('base64') };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
