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
}

export function handles(projection: Projection, type: string): boolean {
  return !projection.eventTypes || projection.eventTypes.includes(type);
}
