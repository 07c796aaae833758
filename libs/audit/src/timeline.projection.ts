import { statement } from '@kansli/projections';
import type { Projection } from '@kansli/projections';

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
    if (event.type === 'MeetingScheduled') {
      statement(db, 'INSERT OR IGNORE INTO rm_timeline_meeting_bodies (meeting_id, body_id) VALUES (?, ?)').run(data.meetingId, data.bodyId);
    }
    const { seq } = statement(db, 'SELECT coalesce(max(seq), 0) + 1 AS seq FROM rm_timeline').get() as { seq: number };
    const { metadata } = event;
    statement(db, 
      `INSERT INTO rm_timeline (position, seq, stream, revision, type, occurred_at, recorded_at, actor, correlation_id, causation_id, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
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
      JSON.stringify(data),
    );
    const refs = referencesOf(data);
    if (typeof data.meetingId === 'string') {
      const body = statement(db, 'SELECT body_id AS bodyId FROM rm_timeline_meeting_bodies WHERE meeting_id = ?').get(data.meetingId) as { bodyId: string } | undefined;
      if (body) refs.add(body.bodyId);
    }
    const insert = statement(db, 'INSERT OR IGNORE INTO rm_timeline_refs (ref, seq) VALUES (?, ?)');
    for (const ref of refs) insert.run(ref, seq);
  },
};
