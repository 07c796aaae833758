import type Database from 'better-sqlite3';
import { eventDataJson, type RecordedEvent } from '@kansli/event-store';
import { statement } from '@kansli/projections';
import type { BulkLoad, Projection } from '@kansli/projections';

/** The ids an event is about: every `…Id` / `…Ids` field (also inside lists), and its dnr as `dnr:<value>`. */
export function referencesOf(data: unknown, refs = new Set<string>()): Set<string> {
  if (Array.isArray(data)) {
    for (const item of data) referencesOf(item, refs);
  } else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      if (/Ids?$/.test(key)) {
        for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string') refs.add(id);
      } else if (key === 'dnr' && typeof value === 'string') {
        refs.add(`dnr:${value}`);
      } else if (typeof value === 'object') {
        referencesOf(value, refs);
      }
    }
  }
  return refs;
}

/**
 * Every event, with what it is about, for the auditors' timeline. Events of a meeting also refer to the
 * meeting's body, so that a body's timeline shows its meetings. Reads only the event: a rebuild is identical.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_timeline (
        position TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
        type TEXT NOT NULL, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL,
        actor TEXT, correlation_id TEXT, causation_id TEXT, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS rm_timeline_refs (ref TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (ref, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS rm_timeline_meeting_bodies (meeting_id TEXT PRIMARY KEY, body_id TEXT NOT NULL) WITHOUT ROWID;
    `);
  },
  apply(db, event) {
    const data = event.data as Record<string, unknown>;
    rememberMeetingBody(db, event.type, data);
    const { seq } = statement(db, 'SELECT coalesce(max(seq), 0) + 1 AS seq FROM rm_timeline').get() as { seq: number };
    statement(db, `INSERT INTO rm_timeline (${TIMELINE_COLUMNS}) VALUES ${marks(11)}`).run(...timelineRow(event, seq));
    const refs = referencesWithBody(data, (meetingId) => bodyOf(db, meetingId));
    const insert = statement(db, 'INSERT OR IGNORE INTO rm_timeline_refs (ref, seq) VALUES (?, ?)');
    for (const ref of refs) insert.run(ref, seq);
  },
  bulkLoad: (db) => new TimelineBulkLoad(db),
};

const TIMELINE_COLUMNS = 'position, seq, stream, revision, type, occurred_at, recorded_at, actor, correlation_id, causation_id, data';

function marks(columns: number, rows = 1): string {
  const row = `(${new Array<string>(columns).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(row).join(', ');
}

function timelineRow(event: RecordedEvent, seq: number): unknown[] {
  const { metadata } = event;
  return [
    event.position.toString(),
    seq,
    event.stream,
    event.revision,
    event.type,
    metadata.occurredAt,
    event.recordedAt,
    metadata.actor ?? null,
    metadata.correlationId ?? null,
    metadata.causationId ?? null,
    eventDataJson(event),
  ];
}

/** A scheduled meeting's body, so that the meeting's later events also refer to it. */
function rememberMeetingBody(db: Database.Database, type: string, data: Record<string, unknown>): void {
  if (type === 'MeetingScheduled') {
    statement(db, 'INSERT OR IGNORE INTO rm_timeline_meeting_bodies (meeting_id, body_id) VALUES (?, ?)').run(data.meetingId, data.bodyId);
  }
}

/** What an event is about, with the body of the meeting it belongs to. */
function referencesWithBody(data: Record<string, unknown>, bodyOfMeeting: (meetingId: string) => string | undefined): Set<string> {
  const refs = referencesOf(data);
  if (typeof data.meetingId === 'string') {
    const body = bodyOfMeeting(data.meetingId);
    if (body !== undefined) refs.add(body);
  }
  return refs;
}

function bodyOf(db: Database.Database, meetingId: string): string | undefined {
  const row = statement(db, 'SELECT body_id AS bodyId FROM rm_timeline_meeting_bodies WHERE meeting_id = ?').get(meetingId) as { bodyId: string } | undefined;
  return row?.bodyId;
}

const ROWS_PER_INSERT = 64;
const REFS_PER_INSERT = 400;

/**
 * The rebuild's way to the same rows: `seq` counted here (the tables start empty), timeline rows written 64 to a
 * statement in `seq` order, and the references, which `apply` inserts at random places in their (ref, seq) key,
 * gathered in a temporary table and written at the end sorted by that key.
 */
class TimelineBulkLoad implements BulkLoad {
  private seq = 0;
  private rows: unknown[] = [];
  private refs: unknown[] = [];
  private readonly bodies = new Map<string, string>();
  private readonly insertRows: Database.Statement;
  private readonly insertRefs: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec('DROP TABLE IF EXISTS temp.timeline_refs_load; CREATE TEMP TABLE timeline_refs_load (ref TEXT NOT NULL, seq INTEGER NOT NULL)');
    this.insertRows = db.prepare(`INSERT INTO rm_timeline (${TIMELINE_COLUMNS}) VALUES ${marks(11, ROWS_PER_INSERT)}`);
    this.insertRefs = db.prepare(`INSERT INTO temp.timeline_refs_load (ref, seq) VALUES ${marks(2, REFS_PER_INSERT)}`);
  }

  apply(event: RecordedEvent): void {
    const data = event.data as Record<string, unknown>;
    const seq = ++this.seq;
    rememberMeetingBody(this.db, event.type, data);
    const row = timelineRow(event, seq);
    for (let i = 0; i < row.length; i++) this.rows.push(row[i]);
    if (this.rows.length === 11 * ROWS_PER_INSERT) this.flushRows();
    const refs = referencesWithBody(data, (meetingId) => this.bodyOf(meetingId));
    for (const ref of refs) this.refs.push(ref, seq);
    if (this.refs.length >= 2 * REFS_PER_INSERT) this.flushRefs();
  }

  finish(): void {
    const one = statement(this.db, `INSERT INTO rm_timeline (${TIMELINE_COLUMNS}) VALUES ${marks(11)}`);
    for (let i = 0; i < this.rows.length; i += 11) one.run(...this.rows.slice(i, i + 11));
    this.rows = [];
    this.flushRefs();
    const ref = statement(this.db, 'INSERT INTO temp.timeline_refs_load (ref, seq) VALUES (?, ?)');
    for (let i = 0; i < this.refs.length; i += 2) ref.run(this.refs[i], this.refs[i + 1]);
    this.refs = [];
    this.db.exec(`
      INSERT OR IGNORE INTO rm_timeline_refs (ref, seq) SELECT ref, seq FROM temp.timeline_refs_load ORDER BY ref, seq;
      DROP TABLE temp.timeline_refs_load;`);
  }

  /** Cached once found: the table only grows, and a meeting's first scheduling fixes its body. */
  private bodyOf(meetingId: string): string | undefined {
    let body = this.bodies.get(meetingId);
    if (body === undefined) {
      body = bodyOf(this.db, meetingId);
      if (body !== undefined) this.bodies.set(meetingId, body);
    }
    return body;
  }

  private flushRows(): void {
    this.insertRows.run(this.rows);
    this.rows = [];
  }

  private flushRefs(): void {
    while (this.refs.length >= 2 * REFS_PER_INSERT) {
      this.insertRefs.run(this.refs.slice(0, 2 * REFS_PER_INSERT));
      this.refs = this.refs.slice(2 * REFS_PER_INSERT);
    }
  }
}
