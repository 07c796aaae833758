import { statement } from '@kansli/projections';
import type { Projection } from '@kansli/projections';
import type { BodyEvent, PersonEvent } from './body.events';

const TABLES = ['rm_bodies', 'rm_persons', 'rm_memberships', 'rm_membership_ends'];

/**
 * Bodies, people and memberships as the GraphQL API shows them, with when each appointment and each end was
 * recorded, for `members(knownAt:)`. The name carries the version of its tables: a database with the tables of an
 * earlier version has them dropped, and the store, which keeps checkpoints by name, applies every event again.
 */
export const bodiesProjection: Projection = {
  name: 'bodies.v2',
  eventTypes: ['BodyEstablished', 'MemberAppointed', 'MembershipEnded', 'PersonRegistered'],
  deferredIndexes: ['rm_memberships_body'],
  setup(db) {
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('rm_memberships');
    if (columns.length > 0 && !columns.includes('recorded_at')) for (const table of TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_bodies (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, seats INTEGER NOT NULL, finsam INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS rm_persons (id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS rm_memberships (
        id TEXT PRIMARY KEY, body_id TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, position TEXT,
        representing TEXT, party TEXT, substitute_order INTEGER, from_date TEXT NOT NULL, to_date TEXT,
        appointed_to TEXT, recorded_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS rm_memberships_body ON rm_memberships (body_id, from_date);
      CREATE TABLE IF NOT EXISTS rm_membership_ends (
        membership_id TEXT NOT NULL, recorded_at TEXT NOT NULL, seq INTEGER NOT NULL, to_date TEXT NOT NULL,
        PRIMARY KEY (membership_id, recorded_at, seq)) WITHOUT ROWID;
    `);
  },
  apply(db, recorded) {
    const event = recorded as unknown as BodyEvent | PersonEvent;
    switch (event.type) {
      case 'BodyEstablished':
        statement(db, 'INSERT INTO rm_bodies (id, name, kind, seats, finsam) VALUES (?, ?, ?, ?, ?)').run(
          event.data.bodyId,
          event.data.name,
          event.data.kind,
          event.data.seats,
          event.data.finsam ? 1 : 0,
        );
        return;
      case 'PersonRegistered':
        statement(db, 'INSERT INTO rm_persons (id, name) VALUES (?, ?)').run(event.data.personId, event.data.name);
        return;
      case 'MemberAppointed': {
        const m = event.data;
        statement(db, 
          `INSERT INTO rm_memberships (id, body_id, person_id, role, position, representing, party, substitute_order, from_date, to_date, appointed_to, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(m.membershipId, m.bodyId, m.personId, m.role, m.position, m.representing, m.party, m.substituteOrder, m.from, m.to, m.to, recorded.recordedAt);
        return;
      }
      case 'MembershipEnded':
        statement(db, 'UPDATE rm_memberships SET to_date = ? WHERE id = ?').run(event.data.to, event.data.membershipId);
        // seq: ends recorded in one group commit share their recordedAt; the later one is the one that counts.
        statement(
          db,
          `INSERT INTO rm_membership_ends (membership_id, recorded_at, seq, to_date)
           SELECT @id, @recordedAt, coalesce(max(seq), 0) + 1, @to FROM rm_membership_ends WHERE membership_id = @id AND recorded_at = @recordedAt`,
        ).run({ id: event.data.membershipId, recordedAt: recorded.recordedAt, to: event.data.to });
        return;
    }
  },
};
