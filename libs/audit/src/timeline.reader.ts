import { statement } from '@kansli/projections';
import type Database from 'better-sqlite3';

export interface TimelineFilter {
  entityId?: string;
  bodyId?: string;
  personId?: string;
  dnr?: string;
  types?: string[];
  occurredFrom?: string;
  occurredTo?: string;
  recordedFrom?: string;
  recordedTo?: string;
}

export interface AuditEventView {
  seq: number;
  position: string;
  stream: string;
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: string | null;
  correlationId: string | null;
  causationId: string | null;
  data: unknown;
}

interface Row extends Omit<AuditEventView, 'data'> {
  data: string;
}

/** The auditors' timeline: every event, oldest first, filtered and paged. */
export class TimelineReader {
  constructor(private readonly db: Database.Database) {}

  /** How many events of these types the log holds after a position (every one of them after position 0). */
  countAfter(position: string, types: readonly string[]): number {
    const row = statement(
      this.db,
      `SELECT count(*) AS count FROM rm_timeline
       WHERE seq > coalesce((SELECT seq FROM rm_timeline WHERE position = ?), 0) AND type IN (SELECT value FROM json_each(?))`,
    ).get(position, JSON.stringify(types)) as { count: number };
    return row.count;
  }

  /** The event at a position of the log, if it passes the filter. */
  atPosition(filter: TimelineFilter, position: string): AuditEventView | undefined {
    const row = statement(this.db, 'SELECT seq FROM rm_timeline WHERE position = ?').get(position) as { seq: number } | undefined;
    if (!row) return undefined;
    const [view] = this.page(filter, 1, row.seq - 1, row.seq);
    return view;
  }

  /** One page after the cursor `afterSeq` (up to `lastSeq` when given), with one more row than asked to tell whether more follow. */
  page(filter: TimelineFilter, first: number, afterSeq: number, lastSeq?: number): AuditEventView[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const refs = [filter.entityId, filter.bodyId, filter.personId, filter.dnr === undefined ? undefined : `dnr:${filter.dnr}`].filter(
      (ref): ref is string => ref !== undefined && ref !== null,
    );
    // Filtered by what the events are about, the page is read along the first reference's (ref, seq) key from
    // the cursor on and stops at the page's end: `seq IN (all of a body's events)` read them all, every page.
    const [driving, ...others] = refs;
    const from = driving === undefined ? 'rm_timeline t' : 'rm_timeline_refs r JOIN rm_timeline t ON t.seq = r.seq';
    if (driving !== undefined) {
      where.push('r.ref = ?', 'r.seq > ?');
      params.push(driving, afterSeq);
    } else {
      where.push('t.seq > ?');
      params.push(afterSeq);
    }
    if (lastSeq !== undefined) {
      where.push(driving === undefined ? 't.seq <= ?' : 'r.seq <= ?');
      params.push(lastSeq);
    }
    for (const ref of others) {
      where.push('EXISTS (SELECT 1 FROM rm_timeline_refs o WHERE o.ref = ? AND o.seq = t.seq)');
      params.push(ref);
    }
    if (filter.types?.length) {
      where.push('t.type IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.types));
    }
    // Times are compared as instants, whatever offset they were written with.
    const bounds: Array<[string | undefined, string, string]> = [
      [filter.occurredFrom, 'occurred_at', '>='],
      [filter.occurredTo, 'occurred_at', '<='],
      [filter.recordedFrom, 'recorded_at', '>='],
      [filter.recordedTo, 'recorded_at', '<='],
    ];
    for (const [value, column, operator] of bounds) {
      if (!value) continue;
      where.push(`unixepoch(t.${column}, 'subsec') ${operator} unixepoch(?, 'subsec')`);
      params.push(value);
    }
    const rows = statement(this.db, 
        `SELECT t.seq, t.position, t.stream, t.revision, t.type, t.occurred_at AS occurredAt, t.recorded_at AS recordedAt,
           t.actor, t.correlation_id AS correlationId, t.causation_id AS causationId, t.data
         FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${driving === undefined ? 't.seq' : 'r.seq'} LIMIT ?`,
      )
      .all(...params, first + 1) as Row[];
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as unknown }));
  }
}
