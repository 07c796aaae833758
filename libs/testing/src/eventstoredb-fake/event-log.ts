import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * In-memory event log behind the EventStoreDB protocol fake (see esdb-fake-server.ts).
 * Knows nothing about gRPC: streams, a global log ($all), expected-revision checks,
 * idempotent re-appends, and change notification for live subscriptions.
 */

/** Expected revision of an append, as in the EventStoreDB docs. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** Current revision of a stream; 'no_stream' when the stream has no events. */
export type CurrentRevision = bigint | 'no_stream';

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface RecordedEvent extends ProposedEvent {
  readonly streamId: string;
  /** Revision in the stream, starting at 0. */
  readonly revision: bigint;
  /** Position in the global log; commit position === prepare position for every event. */
  readonly position: bigint;
  /** Creation time in .NET ticks (100 ns units) since the Unix epoch, as EventStoreDB reports it. */
  readonly created: bigint;
}

export type AppendOutcome =
  | { readonly kind: 'success'; readonly currentRevision: CurrentRevision; readonly position: bigint | undefined }
  | { readonly kind: 'wrong_expected_version'; readonly expected: ExpectedRevision; readonly current: CurrentRevision };

/** Position of the first record: the log does not start at 0 (EventStoreDB writes chunk headers and epochs first). */
const FIRST_POSITION = 1_024n;
/** Rough fixed size of a prepare record (headers, ids, flags, timestamps, length prefix and suffix). */
const RECORD_OVERHEAD_BYTES = 96;
const TICKS_PER_MILLISECOND = 10_000n;

export class EventLog {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly listeners = new Set<(events: readonly RecordedEvent[]) => void>();
  private nextPosition = FIRST_POSITION;

  /**
   * With a journal file, every written batch is appended to it as one JSON line before the append is answered,
   * and a log opened on an existing journal starts with its events: the fake can be stopped (even killed) and
   * started again with its log as it was, like a server restarting on its database.
   */
  constructor(private readonly journal?: string) {
    if (!journal || !existsSync(journal)) return;
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      if (line === '') continue;
      let batch: JournalEvent[];
      try {
        batch = JSON.parse(line) as JournalEvent[];
      } catch {
        break; // a line cut short by a kill in the middle of its write: the append was never answered
      }
      this.restore(batch.map(fromJournal));
    }
  }

  /** Every event in commit order ($all). */
  get all(): readonly RecordedEvent[] {
    return this.log;
  }

  /** Events of one stream in revision order, or undefined if the stream does not exist. */
  stream(streamId: string): readonly RecordedEvent[] | undefined {
    return this.streams.get(streamId);
  }

  /** Last position written, or undefined for an empty log. */
  get lastPosition(): bigint | undefined {
    return this.log.at(-1)?.position;
  }

  /**
   * Appends atomically: either every event is written with consecutive revisions, or nothing is.
   * Re-appending events whose ids already occupy the expected place in the stream writes nothing
   * and reports success (EventStoreDB's best-effort idempotency, simple case only).
   */
  append(streamId: string, expected: ExpectedRevision, proposed: readonly ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(streamId) ?? [];
    const current: CurrentRevision = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);

    const duplicate = findIdempotentDuplicate(existing, expected, proposed);
    if (duplicate) {
      return { kind: 'success', currentRevision: duplicate.revision, position: duplicate.position };
    }
    if (!expectationHolds(expected, current)) {
      return { kind: 'wrong_expected_version', expected, current };
    }
    if (proposed.length === 0) {
      return { kind: 'success', currentRevision: current, position: undefined };
    }

    const created = BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    const written = proposed.map((event, index): RecordedEvent => {
      const recorded = {
        ...event,
        streamId,
        revision: BigInt(existing.length + index),
        position: this.nextPosition,
        created,
      };
      this.nextPosition += recordSize(recorded);
      return recorded;
    });
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(written.map(toJournal))}\n`);
    this.restore(written);

    for (const listener of [...this.listeners]) listener(written);

    const last = written[written.length - 1];
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }

  private restore(written: readonly RecordedEvent[]): void {
    const streamId = written[0].streamId;
    this.streams.set(streamId, [...(this.streams.get(streamId) ?? []), ...written]);
    this.log.push(...written);
    const last = written[written.length - 1];
    this.nextPosition = last.position + recordSize(last);
  }

  /** Calls `listener` with every batch of newly written events; returns the unsubscribe function. */
  onAppended(listener: (events: readonly RecordedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

interface JournalEvent {
  id: string;
  type: string;
  isJson: boolean;
  data: string;
  customMetadata: string;
  streamId: string;
  revision: string;
  position: string;
  created: string;
}

function toJournal(event: RecordedEvent): JournalEvent {
  return {
    id: event.id,
    type: event.type,
    isJson: event.isJson,
    data: Buffer.from(event.data).toString('base64'),
    customMetadata: Buffer.from(event.customMetadata).toString('base64'),
    streamId: event.streamId,
    revision: event.revision.toString(),
    position: event.position.toString(),
    created: event.created.toString(),
  };
}

function fromJournal(event: JournalEvent): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    isJson: event.isJson,
    data: Buffer.from(event.data, 'base64'),
    customMetadata: Buffer.from(event.customMetadata, 'base64'),
    streamId: event.streamId,
    revision: BigInt(event.revision),
    position: BigInt(event.position),
    created: BigInt(event.created),
  };
}

function expectationHolds(expected: ExpectedRevision, current: CurrentRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    default:
      return current === expected;
  }
}

/**
 * Returns the last already-written event if `proposed` is an exact re-send of events already in the
 * stream: for an exact revision (or no_stream) the ids must sit right after that revision; for
 * any/stream_exists they must be the last events of the stream.
 */
function findIdempotentDuplicate(
  stream: readonly RecordedEvent[],
  expected: ExpectedRevision,
  proposed: readonly ProposedEvent[],
): RecordedEvent | undefined {
  if (proposed.length === 0 || stream.length < proposed.length) return undefined;
  let start: number;
  if (expected === 'no_stream') start = 0;
  else if (typeof expected === 'bigint') start = Number(expected) + 1;
  else start = stream.length - proposed.length;

  const candidates = stream.slice(start, start + proposed.length);
  if (candidates.length !== proposed.length) return undefined;
  return candidates.every((event, i) => event.id === proposed[i].id) ? candidates[candidates.length - 1] : undefined;
}

function recordSize(event: RecordedEvent): bigint {
  const bytes =
    RECORD_OVERHEAD_BYTES +
    Buffer.byteLength(event.streamId) +
    Buffer.byteLength(event.type) +
    event.data.byteLength +
    event.customMetadata.byteLength;
  return BigInt(bytes);
}
