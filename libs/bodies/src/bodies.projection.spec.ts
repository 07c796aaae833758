import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@kansli/event-store';
import { bodiesProjection } from './bodies.projection';
import { BodiesReader } from './bodies.reader';

const occurredAt = '2018-01-01T10:00:00+01:00';
const appointed = (membershipId: string, personId: string) => ({
  type: 'MemberAppointed',
  data: { bodyId: 'b1', membershipId, personId, role: 'LEDAMOT', position: null, representing: null, party: null, substituteOrder: null, from: '2018-01-01', to: null },
  metadata: { occurredAt },
});

describe('bodies projection', () => {
  it('drops the tables of an earlier version and applies every event again, so an upgraded read model equals a fresh one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kansli-bodies-')), 'kansli.db');
    const before = new SqliteEventStore({ filename: file });
    // The first version of this projection: no FINSAM mark, no record times.
    before.registerInlineProjection({
      name: 'bodies',
      setup: (db) => db.exec(`CREATE TABLE rm_bodies (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, seats INTEGER NOT NULL);
        CREATE TABLE rm_memberships (id TEXT PRIMARY KEY, body_id TEXT NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL, position TEXT,
          representing TEXT, party TEXT, substitute_order INTEGER, from_date TEXT NOT NULL, to_date TEXT)`),
      apply: () => undefined,
    });
    await before.appendToStream('body-b1', [{ type: 'BodyEstablished', data: { bodyId: 'b1', name: 'Styrelsen', kind: 'STYRELSE', seats: 5 }, metadata: { occurredAt } }, appointed('m1', 'p1')]);
    await before.close();

    const after = new SqliteEventStore({ filename: file });
    after.registerInlineProjection(bodiesProjection);
    const reader = new BodiesReader(after.database);
    expect(reader.body('b1')).toEqual({ id: 'b1', name: 'Styrelsen', kind: 'STYRELSE', seats: 5, finsam: false });
    const [recorded] = await after.readStream('body-b1', { from: 1n });
    expect(reader.members('b1', '2018-06-14', recorded.recordedAt).map((m) => m.id)).toEqual(['m1']);
    await after.close();
  });
});
