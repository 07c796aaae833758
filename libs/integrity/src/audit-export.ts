import type Database from 'better-sqlite3';
import { readAllPages, SqliteLogTree, type EventStore, type LogTree } from '@kansli/event-store';
import { checkpointLine, endLine, eventLeafJson, eventLeafJsonFromParts, eventLine, headerLine } from '@kansli/tlog';
import { CheckpointStore, type StoredCheckpoint } from './checkpoint-store';

/** What an audit export is written from: the log's events (as leaf JSON), its tree and its signed checkpoints. */
export interface ExportSource {
  /** Leaves in the tree when the export began: the events exported. */
  readonly treeSize: number;
  leafHash(index: number): Buffer;
  /** Each event's leaf bytes (canonical JSON), in log order, at most `treeSize`. */
  leaves(): AsyncIterable<string>;
  checkpoints(): Iterable<StoredCheckpoint>;
}

/**
 * The embedded engine's database, read as it lies, in one read transaction (a consistent snapshot while the
 * server goes on writing). Nothing is written: an altered database is exported as it is, so that `verify` can say
 * what was altered. An event whose stored JSON no longer parses is exported with its text as it stands.
 */
export function sqliteExportSource(db: Database.Database): ExportSource & { close(): void } {
  db.exec('BEGIN');
  const locate = () => undefined;
  let tree: LogTree;
  let store: CheckpointStore;
  try {
    tree = new SqliteLogTree(db, { locate });
    store = new CheckpointStore(db);
  } catch (error) {
    db.exec('ROLLBACK');
    throw new Error(`This database holds no log tree or checkpoints (${(error as Error).message}): start the server on it once`);
  }
  const treeSize = tree.size;
  const page = db.prepare('SELECT position, event_id AS id, stream_id AS stream, revision, type, data, metadata, recorded_at AS recordedAt FROM events WHERE position > ? ORDER BY position LIMIT 5000');
  type Row = { position: number; id: string; stream: string; revision: number; type: string; data: string; metadata: string; recordedAt: string };
  return {
    treeSize,
    leafHash: (index) => tree.leafHash(index),
    async *leaves() {
      let after = 0;
      let count = 0;
      for (;;) {
        const rows = page.all(after) as Row[];
        for (const row of rows) {
          if (count++ >= treeSize) return;
          yield leafJsonOfRow(row);
        }
        if (rows.length === 0) return;
        after = rows[rows.length - 1].position;
      }
    },
    checkpoints: () => store.all(),
    close: () => db.exec('COMMIT'),
  };
}

function leafJsonOfRow(row: { id: string; stream: string; revision: number; type: string; data: string; metadata: string; recordedAt: string }): string {
  try {
    return eventLeafJson({ ...row, data: JSON.parse(row.data) as unknown, metadata: JSON.parse(row.metadata) as unknown });
  } catch {
    return eventLeafJsonFromParts(row, row.data, row.metadata);
  }
}

/** EventStoreDB mode: the events from the log, the tree and checkpoints from this replica's read-model database. */
export function replicaExportSource(events: EventStore, replica: Database.Database): ExportSource {
  const tree = new SqliteLogTree(replica);
  const store = new CheckpointStore(replica);
  const treeSize = tree.size;
  return {
    treeSize,
    leafHash: (index) => tree.leafHash(index),
    async *leaves() {
      let count = 0;
      for await (const page of readAllPages(events, { maxCount: 5000 })) {
        for (const event of page) {
          if (count++ >= treeSize) return;
          yield eventLeafJson(event);
        }
      }
    },
    checkpoints: () => store.all(),
  };
}

export interface ExportOptions {
  origin: string;
  publicKey: string;
  exportedAt: string;
  /** Called every 50,000 events. */
  onProgress?: (events: number, of: number) => void;
}

/**
 * Writes the audit export (the format: @kansli/tlog's audit-export.ts): the header, every event with the leaf
 * hash the tree recorded for it, each checkpoint right after the event that completes its tree (those beyond the
 * last event after it), and the end line. `write` receives chunks of whole lines.
 */
export async function writeAuditExport(source: ExportSource, write: (chunk: string) => Promise<void>, options: ExportOptions): Promise<{ events: number; checkpoints: number }> {
  const checkpoints = [...source.checkpoints()].sort((a, b) => a.size - b.size);
  let next = 0;
  let lines: string[] = [headerLine({ origin: options.origin, publicKey: options.publicKey, treeSize: source.treeSize, exportedAt: options.exportedAt })];
  const flush = async () => {
    if (lines.length === 0) return;
    const chunk = `${lines.join('\n')}\n`;
    lines = [];
    await write(chunk);
  };
  let events = 0;
  for await (const leaf of source.leaves()) {
    lines.push(eventLine(events, source.leafHash(events), leaf));
    events += 1;
    while (next < checkpoints.length && checkpoints[next].size <= events) lines.push(checkpointLine(checkpoints[next++].note));
    if (lines.length >= 2000) await flush();
    if (events % 50_000 === 0) options.onProgress?.(events, source.treeSize);
  }
  while (next < checkpoints.length) lines.push(checkpointLine(checkpoints[next++].note));
  lines.push(endLine(events, checkpoints.length));
  await flush();
  return { events, checkpoints: checkpoints.length };
}
