import type {
  AppendOptions,
  AppendResult,
  EventSubscription,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeToAllOptions,
} from './event';
import { MultiStreamAppendError } from './event-store.errors';
import { DEFAULT_READ_ALL_PAGE, MAX_READ_ALL_PAGE, prepareMultiAppend } from './validation';

/**
 * The event store port. An abstract class so that it doubles as the NestJS injection token.
 * Semantics (both adapters, proven by event-store.contract.ts) are written down in libs/event-store/README.md.
 */
export abstract class EventStore {
  /** What this engine can do beyond the common contract. */
  abstract readonly capabilities: EventStoreCapabilities;

  /**
   * Appends atomically. Throws ConcurrencyError if the stream is not at `expectedRevision` (default `any`),
   * InvalidAppendError for malformed input. Re-appending the same event ids at the same place returns the
   * first result and writes nothing.
   */
  abstract appendToStream(stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;

  /**
   * Appends to several streams, each at its own expected revision, and returns each part's result in order.
   * With `capabilities.atomicMultiStreamAppend` it is one atomic write: every part or none, one durable commit.
   * Without it, the parts are appended one after the other and the first failure stops it: earlier parts stay
   * written (the error is a MultiStreamAppendError saying how far it got), so callers that need all-or-nothing
   * must check the capability. Bad input (InvalidAppendError) is refused before anything is written.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const parts = prepareMultiAppend(appends);
    const results: AppendResult[] = [];
    for (const part of parts) {
      try {
        results.push(await this.appendToStream(part.stream, appends[results.length].events, { expectedRevision: part.expected }));
      } catch (error) {
        if (results.length === 0) throw error;
        throw new MultiStreamAppendError(results, part.stream, error);
      }
    }
    return results;
  }

  /** A stream's events; an empty list if the stream does not exist. */
  abstract readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** One page of the global log, in position order. Page on with the last position ± 1. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** Catch up from a checkpoint, then go live. */
  abstract subscribeToAll(options?: SubscribeToAllOptions): EventSubscription;

  abstract close(): Promise<void>;
}

export interface EventStoreCapabilities {
  /** Projections can run inside the append's transaction (embedded engine only). */
  readonly inlineProjections: boolean;
  /** Idempotent re-append is guaranteed (a unique index), not best effort. */
  readonly deterministicIdempotency: boolean;
  /** `appendToStreams` writes every part or none, in one durable commit. */
  readonly atomicMultiStreamAppend: boolean;
}

/**
 * Every event of the log after a position, page by page (for rebuilds, exports and benchmarks).
 * Pages restart at the last position seen (inclusive) and skip it: positions need not be contiguous.
 */
export async function* readAllPages(
  store: Pick<EventStore, 'readAll'>,
  options: Omit<ReadAllOptions, 'direction' | 'fromPosition'> & { after?: bigint } = {},
): AsyncGenerator<RecordedEvent[]> {
  const { after, ...rest } = options;
  let last = after;
  for (;;) {
    // Asking one more than the page after the first keeps pages at the size asked: the first event is the last seen.
    const size = rest.maxCount ?? DEFAULT_READ_ALL_PAGE;
    const maxCount = last === undefined ? size : Math.min(size + 1, MAX_READ_ALL_PAGE);
    const page = await store.readAll({ ...rest, maxCount, fromPosition: last ?? 'start', direction: 'forwards' });
    const fresh = last === undefined ? page : page.filter((event) => event.position > last!);
    if (fresh.length === 0) return;
    yield fresh;
    last = fresh[fresh.length - 1].position;
  }
}

/** Every event of the log after a position, one at a time (see `readAllPages`). */
export async function* readAllEvents(
  store: Pick<EventStore, 'readAll'>,
  options: Omit<ReadAllOptions, 'direction' | 'fromPosition'> & { after?: bigint } = {},
): AsyncGenerator<RecordedEvent> {
  for await (const page of readAllPages(store, options)) yield* page;
}
