import Database from 'better-sqlite3';
import { SqliteLogTree } from '@kansli/event-store';
import { eventLeafHash, TreeBuilder } from '@kansli/tlog';

/**
 * The log's Merkle tree as a kill left it, against the events: every event committed is a leaf and nothing else
 * is (the tree moves in the append's transaction), so the stored root is the root of the events' leaves.
 * Undefined when it holds; else what differs.
 */
export function checkLogTree(file: string): string | undefined {
  const db = new Database(file, { fileMustExist: true });
  try {
    const tree = new SqliteLogTree(db, { locate: () => undefined });
    const rows = db.prepare('SELECT event_id AS id, stream_id AS stream, revision, type, data, metadata, recorded_at AS recordedAt FROM events ORDER BY position').all() as Array<
      { id: string; stream: string; revision: number; type: string; data: string; metadata: string; recordedAt: string }
    >;
    if (tree.size !== rows.length) return `the tree holds ${tree.size} leaves, the log ${rows.length} events`;
    const builder = new TreeBuilder();
    for (const row of rows) builder.append(eventLeafHash({ ...row, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) }));
    return builder.root().equals(tree.root()) ? undefined : `the tree's root is not the root of the ${rows.length} events' leaves`;
  } finally {
    db.close();
  }
}
