import Database from 'better-sqlite3';
import { EVENTS_SCHEMA, pragmas } from '@kansli/event-store';
import { rawRow, type RawRow } from './events';

const INSERT =
  'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)';

export interface RawStore {
  db: Database.Database;
  /** Writes the rows in one transaction. */
  writeBatch(rows: readonly RawRow[]): void;
}

/** better-sqlite3 with the engine's schema and pragmas, and a prepared INSERT: no port, no validation. */
export function openRaw(filename: string, durability: 'full' | 'normal'): RawStore {
  const db = new Database(filename);
  for (const pragma of pragmas(durability)) db.pragma(pragma);
  db.exec(EVENTS_SCHEMA);
  const insert = db.prepare(INSERT);
  const writeBatch = db.transaction((rows: readonly RawRow[]) => {
    for (const row of rows) insert.run(row.stream, row.revision, row.id, row.type, row.data, row.metadata, row.recordedAt);
  });
  return { db, writeBatch };
}

export interface FillOptions {
  /** Events in all, the extra stream's included. */
  events: number;
  streams: number;
  /** Rows per transaction. */
  batch?: number;
  /** A stream of exactly this many events, spread over the log (for readStream). */
  extraStream?: { name: string; events: number };
}

/**
 * Fills a store fast: the raw INSERT, synchronous=NORMAL, 10,000 rows per transaction. Streams are chosen
 * pseudo-randomly (an LCG) with their revisions tracked, so the log interleaves streams as a real one does.
 */
export function fillRaw(filename: string, options: FillOptions): { seconds: number; bytes: number } {
  const started = process.hrtime.bigint();
  const store = openRaw(filename, 'normal');
  const batchSize = options.batch ?? 10_000;
  const recordedAt = new Date('2025-01-01T00:00:00Z');
  const revisions = new Int32Array(options.streams);
  let rows: RawRow[] = [];
  const extra = options.extraStream;
  // The extra stream's events are spread evenly over the log, as a real stream's are.
  const every = extra ? Math.max(1, Math.floor(options.events / extra.events)) : Infinity;
  let extraWritten = 0;
  let lcg = 12345;
  for (let i = 0; i < options.events; i++) {
    const at = new Date(recordedAt.getTime() + i * 1000).toISOString();
    if (extra && extraWritten < extra.events && i % every === every - 1) {
      rows.push(rawRow(extra.name, extraWritten++, i, at));
    } else {
      lcg = (Math.imul(lcg, 1103515245) + 12345) >>> 0;
      const stream = (lcg >>> 8) % options.streams;
      rows.push(rawRow(`decision-${stream.toString().padStart(6, '0')}`, revisions[stream]++, i, at));
    }
    if (rows.length >= batchSize) {
      store.writeBatch(rows);
      rows = [];
    }
  }
  if (rows.length > 0) store.writeBatch(rows);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const pageCount = store.db.pragma('page_count', { simple: true }) as number;
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  store.db.close();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes: pageCount * pageSize };
}
