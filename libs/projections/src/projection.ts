import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@kansli/event-store';

/**
 * A read model: the tables it owns (`setup`) and how one event changes them (`apply`).
 * `apply` reads only the event — its data, its `occurredAt` and `recordedAt` — never the clock, so a rebuild
 * gives the same rows. It is the same shape the embedded engine runs inline.
 */
export interface Projection {
  readonly name: string;
  /** The event types it handles; every event when omitted. */
  readonly eventTypes?: readonly string[];
  /** Creates its tables; must be idempotent. */
  setup?(db: Database.Database): void;
  apply(db: Database.Database, event: RecordedEvent): void;
  /**
   * Indexes `setup` creates that `apply` never reads through. A rebuild drops them after `setup` and creates
   * them again once every event is in: one sort instead of an insert at a random place per row.
   */
  readonly deferredIndexes?: readonly string[];
  /**
   * For a rebuild: applies the whole log, in order, to the empty tables `setup` just made, faster than `apply`
   * event by event (rows written in batches, counters kept in memory). `finish` runs after the last event. It
   * must leave exactly the rows `apply` would: the rebuild tests compare the two.
   */
  bulkLoad?(db: Database.Database): BulkLoad;
}

export interface BulkLoad {
  apply(event: RecordedEvent): void;
  finish(): void;
}

export function handles(projection: Projection, type: string): boolean {
  return !projection.eventTypes || projection.eventTypes.includes(type);
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, prepared once per database. Projections and readers run the same few statements for
 * every event and query; preparing them each time costs more than running them.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
