import { statement } from '@kansli/projections';
import type { Projection } from '@kansli/projections';
import type { BodyEvent, PersonEvent } from './body.events';

/** Bodies, people and memberships as the GraphQL API shows them. */
export const bodiesProjection: Projection = {
  name: 'bodies',
  eventTypes: ['BodyEstablished', 'MemberAppointed', 'MembershipEnded', 'PersonRegistered'],
  deferredIndexes: ['rm_memberships_body'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_bodies (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, seats INTEGER NOT NULL, finsam INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS rm_persons (id TEXT PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS rm_memberships (
        id TEXT PRIMARY KEY, body_id TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, position TEXT,
        representing TEXT, party TEXT, substitute_order INTEGER, from_date TEXT NOT NULL, to_date TEXT);
      CREATE INDEX IF NOT EXISTS rm_memberships_body ON rm_memberships (body_id, from_date);
    `);
    // Read models made before bodies had the FINSAM mark: no body then was marked, so 0 is what a rebuild gives.
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('rm_bodies');
    if (!columns.includes('finsam')) db.exec('ALTER TABLE rm_bodies ADD COLUMN finsam INTEGER NOT NULL DEFAULT 0');
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
          `INSERT INTO rm_memberships (id, body_id, person_id, role, position, representing, party, substitute_order, from_date, to_date)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(m.membershipId, m.bodyId, m.personId, m.role, m.position, m.representing, m.party, m.substituteOrder, m.from, m.to);
        return;
      }
      case 'MembershipEnded':
        statement(db, 'UPDATE rm_memberships SET to_date = ? WHERE id = ?').run(event.data.to, event.data.membershipId);
        return;
    }
  },
};
