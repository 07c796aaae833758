import type { AppendResult, ExpectedRevision, StreamRevision } from './event';

/** Base of every error the event store raises on purpose. `code` is stable and safe to show. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** The stream was not where the caller expected it: someone else appended first. Retry after re-reading. */
export class ConcurrencyError extends EventStoreError {
  readonly code = 'CONFLICT';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision,
  ) {
    super(`Stream ${stream} was changed concurrently: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

/** The append itself is malformed (no events, bad stream name, data that is not a JSON object, too large…). */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** Invalid read or subscription arguments. */
export class InvalidReadError extends EventStoreError {
  readonly code = 'INVALID_READ';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReadError';
  }
}

/**
 * Event ids already in the store, but not as a repeat of the same append (other stream, other place,
 * or only some of them): the append is refused rather than silently half-applied.
 */
export class DuplicateEventError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT';
  constructor(
    readonly eventId: string,
    detail: string,
  ) {
    super(`Event ${eventId} is already stored ${detail}`);
    this.name = 'DuplicateEventError';
  }
}

/** An inline projection failed: the append and the projection's writes were rolled back together. */
export class ProjectionFailedError extends EventStoreError {
  readonly code = 'PROJECTION_FAILED';
  constructor(
    readonly projection: string,
    cause: unknown,
  ) {
    super(`Projection ${projection} failed, the append was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'ProjectionFailedError';
  }
}

/** The store was closed. */
export class EventStoreClosedError extends EventStoreError {
  readonly code = 'CLOSED';
  constructor() {
    super('The event store is closed');
    this.name = 'EventStoreClosedError';
  }
}

/**
 * An append to several streams on an engine that cannot make it atomic stopped part-way: the parts before
 * `failedStream` are written (`written` holds their results), the rest are not. `cause` is the part's error.
 */
export class MultiStreamAppendError extends EventStoreError {
  readonly code = 'PARTIAL_APPEND';
  constructor(
    readonly written: readonly AppendResult[],
    readonly failedStream: string,
    override readonly cause: unknown,
  ) {
    super(`Appended ${written.length} stream(s), then the append to ${failedStream} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MultiStreamAppendError';
  }
}

/**
 * Why the engine could not write: the disk is full, the database is read-only, the disk failed, the file cannot
 * be opened, or another process holds the lock.
 */
export type StorageFailure = 'full' | 'read-only' | 'io-error' | 'cannot-open' | 'busy';

const STORAGE_MESSAGES: Record<StorageFailure, string> = {
  full: 'The event store cannot write: the disk is full. Nothing was recorded; try again when space has been freed.',
  'read-only': 'The event store cannot write: its database is read-only. Nothing was recorded; try again when it is writable.',
  'io-error': 'The event store cannot write: the disk reported an input/output error. The change was not confirmed; try again later, and tell the operator if it persists.',
  'cannot-open': 'The event store cannot write: its database file cannot be opened. Nothing was recorded; try again later.',
  busy: 'The event store cannot write: its database is locked by another process. Nothing was recorded; try again shortly.',
};

/**
 * The engine cannot carry the request out right now, on any engine: its storage refuses writes (embedded), or its
 * server is down, restarting, failing over to another node or too slow to answer (EventStoreDB). Retryable: the
 * same request may be sent again in a moment, and nothing of a refused append is in the log. One exception, on
 * EventStoreDB: when the connection broke while a write was on its way, the write may have been recorded, and a
 * client repeating it should look first (the events carry the request's correlation id). `cause` is the engine's
 * own error. The contract suite holds every engine to this (`interrupt`).
 */
export class EventStoreUnavailableError extends EventStoreError {
  readonly code: 'UNAVAILABLE' | 'STORAGE_UNAVAILABLE' = 'UNAVAILABLE';
  readonly retryable = true;
  constructor(cause: unknown, message = 'The event store cannot be reached right now (it may be restarting or failing over to another node). Try again in a moment.') {
    super(message, { cause });
    this.name = 'EventStoreUnavailableError';
  }
}

/**
 * The embedded engine's kind of EventStoreUnavailableError: the storage under it refused the write. The whole
 * group commit was rolled back and the store stays usable, so the same append can be retried once the cause is
 * gone. `reason` says which cause.
 */
export class StorageUnavailableError extends EventStoreUnavailableError {
  override readonly code = 'STORAGE_UNAVAILABLE';
  constructor(
    readonly reason: StorageFailure,
    cause: unknown,
  ) {
    super(cause, STORAGE_MESSAGES[reason]);
    this.name = 'StorageUnavailableError';
  }
}

