import { totalmem } from 'node:os';
import Database from 'better-sqlite3';
import { LOG_TREE_TABLES, readAllPages, type EventStore, type RecordedEvent } from '@kansli/event-store';
import { handles, type Projection } from './projection';
import { READ_MODEL_CHECKPOINTS_SCHEMA } from './projection-runner';

/** Tables of the log itself (its events, its tree and signed checkpoints), never a read model. */
const LOG_TABLES = new Set<string>(['events', 'projection_checkpoints', 'read_model_checkpoints', ...LOG_TREE_TABLES]);

/** Every read-model table (and index) as SQL text: its schema, then its rows sorted on every column. */
export type ReadModelDump = Record<string, { schema: string[]; rows: string[] }>;

/**
 * A stable dump of every read-model table in `db` (every table but the log's own and SQLite's): two databases
 * hold the same read models exactly when their dumps are equal. Each value is SQL's `quote()` of the column,
 * so `1`, `1.0` and `'1'` differ, as they do to a reader. Row ids are left out: no reader sees them.
 */
export function dumpReadModels(db: Database.Database): ReadModelDump {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all() as string[];
  const dump: ReadModelDump = {};
  for (const table of tables.filter((name) => !LOG_TABLES.has(name))) {
    const schema = db
      .prepare('SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC, name')
      .pluck()
      .all(table) as string[];
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table) as string[]).map(quoteName);
    const rows = db
      .prepare(`SELECT ${columns.map((column) => `quote(${column})`).join(" || ',' || ")} FROM ${quoteName(table)} ORDER BY ${columns.join(', ')}`)
      .pluck()
      .all() as string[];
    dump[table] = { schema, rows };
  }
  return dump;
}

/** The tables each projection's `setup` creates, found by running it on an empty in-memory database. */
export function projectionTables(projections: readonly Projection[]): Map<string, string[]> {
  const scratch = new Database(':memory:');
  try {
    const owned = new Map<string, string[]>();
    const tables = () => new Set(scratch.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    for (const projection of projections) {
      const before = tables();
      projection.setup?.(scratch);
      owned.set(projection.name, [...tables()].filter((name) => !before.has(name)).sort());
    }
    return owned;
  } finally {
    scratch.close();
  }
}

/** Another process has the database open: a server must be stopped before the read models are rebuilt. */
export class DatabaseInUseError extends Error {
  constructor(readonly filename: string) {
    super(`${filename} is open in another process (is the server running?): stop it first`);
    this.name = 'DatabaseInUseError';
  }
}

export interface RebuildProgress {
  events: number;
  /** Position of the last event applied. */
  position: bigint;
  /** The log's last position when the rebuild started, where it is known (embedded engine). */
  head?: bigint;
  seconds: number;
}

export interface RebuildOptions {
  /** Called every `progressEvery` events (default 100,000). */
  onProgress?(progress: RebuildProgress): void;
  progressEvery?: number;
  /** Events read per page (default 1,000). */
  pageSize?: number;
  /** SQLite's page cache during the rebuild (default 1 GiB, at most a quarter of the memory). */
  cacheBytes?: number;
}

export interface RebuildResult {
  events: number;
  /** Position of the last event applied (0 for an empty log). */
  lastPosition: bigint;
  /** Rebuilt, by projection name. */
  tables: Record<string, string[]>;
  /** Read-model tables in the database that no listed projection creates: left as they were. */
  untouchedTables: string[];
  /** Checkpoints of projections that are not listed: left as they were. */
  untouchedCheckpoints: string[];
  /** Dropping, applying and committing (durable): the rebuild proper. */
  seconds: number;
  /** Of `seconds`, the commit: writing the new read models to the WAL and syncing it. */
  commitSeconds: number;
  /** After `seconds`, folding the WAL into the database file. */
  checkpointSeconds: number;
}

interface Target {
  db: Database.Database;
  filename: string;
  /** Where checkpoints are kept, and what a projection's checkpoint is after `lastPosition` (none: an empty log). */
  checkpoints: { table: string; value(lastPosition: bigint | undefined): bigint | string | undefined };
  /** Pages of the log in position order, read on a connection that sees the same database as `db`. */
  pages(pageSize: number): AsyncIterable<readonly RecordedEvent[]>;
  head?: bigint;
}

/**
 * Rebuilds the read models of `projections` in place from the log, as one transaction: the old tables and
 * checkpoints are dropped, every event is applied again, the checkpoints are set to the log's last position,
 * and it commits. Killed halfway, it leaves the read models exactly as they were. The database is held with an
 * exclusive lock for the whole rebuild: it refuses to start while a server has the file open
 * (`DatabaseInUseError`), and a server cannot open it until the rebuild is done. The connection is left as it
 * was found, unlocked.
 */
async function rebuildInPlace(target: Target, projections: readonly Projection[], options: RebuildOptions): Promise<RebuildResult> {
  const { db } = target;
  const pageSize = options.pageSize ?? 1000;
  const every = options.progressEvery ?? 100_000;
  const owned = projectionTables(projections);
  const names = new Set(projections.map((projection) => projection.name));
  if (names.size !== projections.length) throw new Error('Two projections have the same name');
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  lockExclusively(db, target.filename);
  // The commit only writes and syncs the WAL; folding it into the database file is timed on its own.
  db.pragma('wal_autocheckpoint = 0');
  // A page cache the size of the read models keeps the randomly inserted indexes (timeline references) from
  // being spilled to the WAL and read back over and over; SQLite takes the memory only as pages are used.
  db.pragma(`cache_size = -${Math.floor((options.cacheBytes ?? Math.min(2 ** 30, totalmem() / 4)) / 1024)}`);

  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  let events = 0;
  let lastPosition = 0n;
  try {
    const mine = new Set([...owned.values()].flat());
    const existing = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[];
    const untouchedTables = existing.filter((name) => !LOG_TABLES.has(name) && !mine.has(name)).sort();
    const checkpointNames = db.prepare(`SELECT name FROM ${target.checkpoints.table}`).pluck().all() as string[];
    const untouchedCheckpoints = checkpointNames.filter((name) => !names.has(name)).sort();

    for (const table of mine) db.exec(`DROP TABLE IF EXISTS ${quoteName(table)}`);
    const forget = db.prepare(`DELETE FROM ${target.checkpoints.table} WHERE name = ?`);
    for (const name of names) forget.run(name);
    for (const projection of projections) projection.setup?.(db);
    const deferred = dropDeferredIndexes(db, projections);
    const loaders = projections.map((projection) => ({ projection, load: projection.bulkLoad?.(db) }));

    const dispatch = new Map<string, typeof loaders>();
    const loadersFor = (type: string) => {
      let list = dispatch.get(type);
      if (!list) dispatch.set(type, (list = loaders.filter(({ projection }) => handles(projection, type))));
      return list;
    };
    let nextProgress = every;
    for await (const page of target.pages(pageSize)) {
      for (const event of page) {
        for (const { projection, load } of loadersFor(event.type)) {
          try {
            if (load) load.apply(event);
            else projection.apply(db, event);
          } catch (error) {
            throw new Error(`Projection ${projection.name} failed on the event at position ${event.position} (${event.type}): ${message(error)}`, { cause: error });
          }
        }
      }
      events += page.length;
      if (page.length > 0) lastPosition = page[page.length - 1].position;
      if (events >= nextProgress) {
        nextProgress += every;
        options.onProgress?.({ events, position: lastPosition, head: target.head, seconds: elapsed() });
      }
    }
    for (const { projection, load } of loaders) {
      try {
        load?.finish();
      } catch (error) {
        // Rows are written in batches: a bad event may show only here, at the end.
        throw new Error(`Projection ${projection.name} failed writing its last rows: ${message(error)}`, { cause: error });
      }
    }
    for (const sql of deferred) db.exec(sql);
    const checkpoint = target.checkpoints.value(events > 0 ? lastPosition : undefined);
    const save = db.prepare(`INSERT INTO ${target.checkpoints.table} (name, position) VALUES (?, ?)`);
    if (checkpoint !== undefined) for (const name of names) save.run(name, checkpoint);
    const applied = elapsed();
    db.exec('COMMIT');
    const seconds = elapsed();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const tables = Object.fromEntries(owned);
    return {
      events, lastPosition, tables, untouchedTables, untouchedCheckpoints,
      seconds, commitSeconds: seconds - applied, checkpointSeconds: elapsed() - seconds,
    };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    // The connection as it was: normal cache, and the lock released (it goes at the next access).
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    db.pragma('locking_mode = NORMAL');
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
  }
}

/** Drops the projections' deferred indexes (see `Projection.deferredIndexes`) and gives the SQL that makes them again. */
function dropDeferredIndexes(db: Database.Database, projections: readonly Projection[]): string[] {
  const sqlOf = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck();
  const made: string[] = [];
  for (const name of projections.flatMap((projection) => projection.deferredIndexes ?? [])) {
    const sql = sqlOf.get(name) as string | undefined;
    if (!sql) throw new Error(`Deferred index ${name} is not created by its projection's setup`);
    db.exec(`DROP INDEX ${quoteName(name)}`);
    made.push(sql);
  }
  return made;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Takes the database for this connection alone until it closes, or throws `DatabaseInUseError`: begins an
 * exclusive transaction in exclusive locking mode. In WAL mode every open connection holds a shared lock on the
 * file, so this fails while a server has it open, even an idle one; once it succeeds, a server that starts
 * fails to open the database (SQLITE_BUSY) until this connection closes.
 */
export function lockExclusively(db: Database.Database, filename: string): void {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.pragma('locking_mode = NORMAL');
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DatabaseInUseError(filename);
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * Embedded engine: the read models live in the event database, checkpoints in `projection_checkpoints`.
 * `store` is opened on the database file and used for nothing else meanwhile; it is not closed.
 */
export function rebuildEmbeddedReadModels(
  store: { database: Database.Database; readAll: EventStore['readAll'] },
  filename: string,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const db = store.database;
  return rebuildInPlace(
    {
      db,
      filename,
      // As the engine does: a projection registered on an empty log has checkpoint 0.
      checkpoints: { table: 'projection_checkpoints', value: (position) => position ?? 0n },
      head: BigInt((db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().get() as number | bigint) ?? 0),
      pages: (pageSize) => readAllPages(store, { maxCount: pageSize }),
    },
    projections,
    options,
  );
}

/**
 * Scale-out mode: a replica's own read-model database (`read-models.db`), fed from `store` (EventStoreDB);
 * checkpoints in `read_model_checkpoints`, as the subscription runner keeps them. `db` is not closed.
 */
export function rebuildReplicaReadModels(
  store: EventStore,
  db: Database.Database,
  filename: string,
  projections: readonly Projection[],
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  db.exec(READ_MODEL_CHECKPOINTS_SCHEMA);
  return rebuildInPlace(
    {
      db,
      filename,
      // As the subscription runner does: no checkpoint until an event was applied; positions as decimal text.
      checkpoints: { table: 'read_model_checkpoints', value: (position) => position?.toString() },
      pages: (pageSize) => readAllPages(store, { maxCount: pageSize }),
    },
    projections,
    options,
  );
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
