import Database from 'better-sqlite3';
import { bodiesProjection } from './bodies.projection';
import { BodiesReader } from './bodies.reader';

describe('bodies projection', () => {
  it('adds the FINSAM mark to read models made before it existed, and their bodies read as not FINSAM', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE rm_bodies (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, seats INTEGER NOT NULL)');
    db.prepare("INSERT INTO rm_bodies VALUES ('b1', 'Styrelsen', 'STYRELSE', 5)").run();
    bodiesProjection.setup!(db);
    bodiesProjection.setup!(db);
    expect(new BodiesReader(db).body('b1')).toEqual({ id: 'b1', name: 'Styrelsen', kind: 'STYRELSE', seats: 5, finsam: false });
    db.close();
  });
});
