import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent } from '@kansli/event-store';
import type { Projection } from './projection';
import { DatabaseInUseError, dumpReadModels, rebuildEmbeddedReadModels } from './rebuild';

const motion = (title: string): NewEvent => ({ type: 'MotionRaised', data: { title }, metadata: { occurredAt: '2018-06-14T09:00:00+02:00' } });

// Counts how often each motion title was applied, so a double application shows.
const motions: Projection = {
  name: 'motions',
  eventTypes: ['MotionRaised'],
  setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS rm_motions (title TEXT PRIMARY KEY, applied INTEGER NOT NULL)'),
  apply: (db, event) => {
    db.prepare('INSERT INTO rm_motions (title, applied) VALUES (?, 1) ON CONFLICT (title) DO UPDATE SET applied = applied + 1').run(event.data.title as string);
  },
};

// Every event's position and stream; `n` has no type affinity, so it keeps whatever type it is given.
const log: Projection = {
  name: 'log',
  setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS rm_log (position TEXT PRIMARY KEY, stream TEXT NOT NULL, n)'),
  apply: (db, event) => {
    db.prepare('INSERT INTO rm_log (position, stream, n) VALUES (?, ?, ?)').run(event.position.toString(), event.stream, Number(event.position) / 2);
  },
};

describe('rebuilding read models in place (embedded engine)', () => {
  let directory: string;
  let filename: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'kansli-rebuild-'));
    filename = join(directory, 'kansli.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** A store with `count` motions appended while the projections ran inline, closed again. */
  async function storeBuiltInline(count: number, projections: Projection[] = [motions, log]): Promise<void> {
    const store = new SqliteEventStore({ filename, durability: 'normal' });
    for (const projection of projections) store.registerInlineProjection(projection);
    for (let i = 0; i < count; i += 100) {
      await store.appendToStream(`meeting-${i % 7}`, Array.from({ length: Math.min(100, count - i) }, (_, j) => motion(`Motion ${(i + j) % 1500}`)));
    }
    await store.close();
  }

  function dump(): ReturnType<typeof dumpReadModels> {
    const db = new Database(filename, { readonly: true });
    try {
      return dumpReadModels(db);
    } finally {
      db.close();
    }
  }

  function checkpoints(): Array<{ name: string; position: number }> {
    const db = new Database(filename, { readonly: true });
    try {
      return db.prepare('SELECT name, position FROM projection_checkpoints ORDER BY name').all() as Array<{ name: string; position: number }>;
    } finally {
      db.close();
    }
  }

  async function rebuild(projections: Projection[], options = {}) {
    const store = new SqliteEventStore({ filename });
    try {
      return await rebuildEmbeddedReadModels(store, filename, projections, options);
    } finally {
      await store.close();
    }
  }

  it('gives the read models the projections built inline, and checkpoints at the end of the log', async () => {
    await storeBuiltInline(3000);
    const inline = dump();
    expect(inline.rm_motions.rows).toHaveLength(1500);

    const progress: number[] = [];
    const result = await rebuild([motions, log], { progressEvery: 1000, onProgress: ({ events }: { events: number }) => progress.push(events) });

    expect(dump()).toEqual(inline);
    expect(result).toMatchObject({ events: 3000, lastPosition: 3000n, tables: { motions: ['rm_motions'], log: ['rm_log'] } });
    expect(progress).toEqual([1000, 2000, 3000]);
    expect(checkpoints()).toEqual([
      { name: 'log', position: 3000 },
      { name: 'motions', position: 3000 },
    ]);
  });

  it('leaves the server nothing to catch up: a restart applies no event twice, and later appends go on inline', async () => {
    await storeBuiltInline(500);
    await rebuild([motions, log]);
    const store = new SqliteEventStore({ filename });
    store.registerInlineProjection(motions);
    store.registerInlineProjection(log);
    await store.appendToStream('meeting-9', [motion('Motion 0')]);
    expect(store.database.prepare("SELECT applied FROM rm_motions WHERE title = 'Motion 0'").pluck().get()).toBe(2);
    expect(store.database.prepare('SELECT count(*) FROM rm_log').pluck().get()).toBe(501);
    await store.close();
  });

  it('that fails halfway leaves every read model and checkpoint as it was', async () => {
    await storeBuiltInline(2500);
    const before = dump();
    const failing: Projection = {
      name: 'failing',
      apply: (_db, event) => {
        if (event.position === 2222n) throw new Error('disk on fire');
      },
    };
    await expect(rebuild([motions, log, failing])).rejects.toThrow('Projection failing failed on the event at position 2222 (MotionRaised): disk on fire');
    expect(dump()).toEqual(before);
    expect(checkpoints()).toEqual([
      { name: 'log', position: 2500 },
      { name: 'motions', position: 2500 },
    ]);
  });

  it('refuses while another connection has the database open, as a running server does', async () => {
    await storeBuiltInline(10);
    const server = new SqliteEventStore({ filename });
    await expect(rebuild([motions, log])).rejects.toBeInstanceOf(DatabaseInUseError);
    // Refusing changed nothing the server sees, and the server can write on.
    await server.appendToStream('meeting-1', [motion('After')]);
    await server.close();
    await expect(rebuild([motions, log])).resolves.toMatchObject({ events: 11 });
  });

  it('releases its lock when done: another connection writes while the rebuilding one is still open', async () => {
    await storeBuiltInline(100);
    const store = new SqliteEventStore({ filename });
    await rebuildEmbeddedReadModels(store, filename, [motions, log]);
    const other = new SqliteEventStore({ filename });
    await other.appendToStream('meeting-1', [motion('Later')]);
    await other.close();
    expect(store.database.prepare('SELECT count(*) FROM events').pluck().get()).toBe(101);
    await store.close();
  });

  it('rebuilds only the listed projections and says what it left alone', async () => {
    await storeBuiltInline(300);
    const result = await rebuild([motions]);
    expect(result.untouchedTables).toEqual(['rm_log']);
    expect(result.untouchedCheckpoints).toEqual(['log']);
    expect(dump().rm_log.rows).toHaveLength(300);
  });

  it('dumps tell apart a changed value, a value of another type and a missing row', async () => {
    await storeBuiltInline(50);
    const before = dump();
    const db = new Database(filename);
    db.prepare("UPDATE rm_log SET n = CAST(n AS TEXT) WHERE position = '7'").run();
    const typeChanged = dumpReadModels(db);
    db.prepare("DELETE FROM rm_motions WHERE title = 'Motion 3'").run();
    const rowMissing = dumpReadModels(db);
    db.close();
    expect(typeChanged).not.toEqual(before);
    expect(typeChanged.rm_motions).toEqual(before.rm_motions);
    expect(rowMissing.rm_motions.rows).toHaveLength(before.rm_motions.rows.length - 1);
  });
});
