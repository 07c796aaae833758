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

  /** One page after the cursor `afterSeq`, with one more row than asked to tell whether more follow. */
  page(filter: TimelineFilter, first: number, afterSeq: number): AuditEventView[] {
    const where: string[] = ['seq > ?'];
    const params: unknown[] = [afterSeq];
    for (const ref of [filter.entityId, filter.bodyId, filter.personId, filter.dnr === undefined ? undefined : `dnr:${filter.dnr}`]) {
      if (ref === undefined || ref === null) continue;
      where.push('seq IN (SELECT seq FROM rm_timeline_refs WHERE ref = ?)');
      params.push(ref);
    }
    if (filter.types?.length) {
      where.push('type IN (SELECT value FROM json_each(?))');
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
      where.push(`unixepoch(${column}, 'subsec') ${operator} unixepoch(?, 'subsec')`);
      params.push(value);
    }
    const rows = statement(this.db, 
        `SELECT seq, position, stream, revision, type, occurred_at AS occurredAt, recorded_at AS recordedAt, actor,
           correlation_id AS correlationId, causation_id AS causationId, data
         FROM rm_timeline WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      )
      .all(...params, first + 1) as Row[];
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as unknown }));
  }
}
