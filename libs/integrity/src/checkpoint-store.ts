import type Database from 'better-sqlite3';

export const LOG_CHECKPOINTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS log_checkpoints (
  size      INTEGER PRIMARY KEY,
  root      BLOB    NOT NULL,
  note      TEXT    NOT NULL,
  issued_at TEXT    NOT NULL
);
`;

/** A signed checkpoint as the log keeps it. */
export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  /** The C2SP signed note. */
  note: string;
  issuedAt: string;
}

/**
 * The checkpoints the log signed, one per tree size, in the database that holds the tree (the event database
 * in embedded mode, the replica's read-model database with EventStoreDB). Never changed once written.
 */
export class CheckpointStore {
  private readonly statements: Record<'latest' | 'add' | 'covering' | 'before' | 'atSize' | 'from' | 'count', Database.Statement>;

  constructor(db: Database.Database) {
    db.exec(LOG_CHECKPOINTS_SCHEMA);
    const columns = 'size, root, note, issued_at AS issuedAt';
    this.statements = {
      latest: db.prepare(`SELECT ${columns} FROM log_checkpoints ORDER BY size DESC LIMIT 1`),
      add: db.prepare('INSERT INTO log_checkpoints (size, root, note, issued_at) VALUES (?, ?, ?, ?)'),
      covering: db.prepare(`SELECT ${columns} FROM log_checkpoints WHERE size > ? ORDER BY size LIMIT 1`),
      before: db.prepare(`SELECT ${columns} FROM log_checkpoints WHERE size < ? ORDER BY size DESC LIMIT ?`),
      atSize: db.prepare(`SELECT ${columns} FROM log_checkpoints WHERE size = ?`),
      from: db.prepare(`SELECT ${columns} FROM log_checkpoints WHERE size > ? ORDER BY size LIMIT ?`),
      count: db.prepare('SELECT count(*) FROM log_checkpoints').pluck(),
    };
  }

  latest(): StoredCheckpoint | undefined {
    return this.statements.latest.get() as StoredCheckpoint | undefined;
  }

  add(checkpoint: StoredCheckpoint): void {
    this.statements.add.run(checkpoint.size, checkpoint.root, checkpoint.note, checkpoint.issuedAt);
  }

  /** The first checkpoint whose tree holds leaf `leaf`. */
  firstCovering(leaf: number): StoredCheckpoint | undefined {
    return this.statements.covering.get(leaf) as StoredCheckpoint | undefined;
  }

  atSize(size: number): StoredCheckpoint | undefined {
    return this.statements.atSize.get(size) as StoredCheckpoint | undefined;
  }

  /** Up to `count` checkpoints smaller than `size`, newest first. */
  newestBefore(size: number, count: number): StoredCheckpoint[] {
    return this.statements.before.all(size, count) as StoredCheckpoint[];
  }

  /** Every checkpoint, oldest first, read in pages. */
  *all(): Generator<StoredCheckpoint> {
    let after = 0;
    for (;;) {
      const page = this.statements.from.all(after, 1000) as StoredCheckpoint[];
      if (page.length === 0) return;
      yield* page;
      after = page[page.length - 1].size;
    }
  }

  count(): number {
    return this.statements.count.get() as number;
  }
}
