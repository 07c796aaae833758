import { ProjectionFailedError, StorageUnavailableError, type StorageFailure } from '../event-store.errors';

/** SQLite's primary result codes that say the storage, not the append, is at fault (extended codes included). */
const REASONS: Record<string, StorageFailure> = {
  FULL: 'full',
  READONLY: 'read-only',
  IOERR: 'io-error',
  CANTOPEN: 'cannot-open',
  BUSY: 'busy',
};

/** What kind of storage failure `error` is (also when a projection's write hit it), or undefined. */
export function storageFailure(error: unknown): StorageFailure | undefined {
  const sqlite = error instanceof ProjectionFailedError ? error.cause : error;
  // By its code, not by class: better-sqlite3's addon keeps the SqliteError class of the first module instance
  // that loaded it, so `instanceof` fails where modules are loaded twice (as under Jest).
  const code = (sqlite as { code?: unknown } | null)?.code;
  const primary = typeof code === 'string' ? /^SQLITE_([A-Z]+)/.exec(code)?.[1] : undefined;
  return primary === undefined ? undefined : REASONS[primary];
}

/** `error` as the port's StorageUnavailableError when the storage refused the write; otherwise unchanged. */
export function asStorageError(error: unknown): unknown {
  const reason = storageFailure(error);
  return reason === undefined ? error : new StorageUnavailableError(reason, error instanceof ProjectionFailedError ? error.cause : error);
}
