/**
 * The embedded engine's schema. `position` is the rowid: it only grows, and with UPDATE and DELETE refused by
 * triggers no row (and so no position) is ever removed or reused.
 */
export const SCHEMA_VERSION = 1;

export const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE is refused'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE is refused'); END;
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name     TEXT    PRIMARY KEY,
  position INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** `synchronous=FULL`: a commit is acknowledged only after the WAL is synced, so it survives a power cut. */
export function pragmas(durability: 'full' | 'normal'): string[] {
  return [
    'journal_mode = WAL',
    `synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`,
    'busy_timeout = 5000',
    'cache_size = -65536',
    'temp_store = MEMORY',
  ];
}
