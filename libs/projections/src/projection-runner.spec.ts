import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent } from '@kansli/event-store';
import type { Projection } from './projection';
import { InlineProjectionRunner, SubscriptionProjectionRunner } from './projection-runner';

const motion = (title: string): NewEvent => ({ type: 'MotionRaised', data: { title }, metadata: { occurredAt: '2018-06-14T09:00:00+02:00' } });
const other: NewEvent = { type: 'MeetingOpened', data: {}, metadata: { occurredAt: '2018-06-14T09:00:00+02:00' } };

// Counts how often each motion title was applied, so a double application shows.
const motions: Projection = {
  name: 'motions',
  eventTypes: ['MotionRaised'],
  setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS motions (title TEXT PRIMARY KEY, applied INTEGER NOT NULL)'),
  apply: (db, event) => {
    db.prepare('INSERT INTO motions (title, applied) VALUES (?, 1) ON CONFLICT (title) DO UPDATE SET applied = applied + 1').run(
      event.data.title as string,
    );
  },
};
const rows = (db: Database.Database) => db.prepare('SELECT title, applied FROM motions ORDER BY title').all();

describe('projection runners', () => {
  let directory: string;
  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'kansli-projections-'))));
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('inline: the read model is up to date when the append resolves', async () => {
    const store = new SqliteEventStore({ filename: join(directory, 'events.db') });
    const runner = new InlineProjectionRunner(store);
    runner.register(motions);
    await runner.start();
    await store.appendToStream('meeting-1', [motion('Budget'), other]);
    expect(rows(runner.database)).toEqual([{ title: 'Budget', applied: 1 }]);
    await store.close();
  });

  it('subscription: waitFor resolves once the appended events are in the read model, and a restart resumes without applying twice', async () => {
    const store = new SqliteEventStore({ filename: join(directory, 'events.db') });
    const readModels = () => new Database(join(directory, 'read-models.db'));
    let db = readModels();
    let runner = new SubscriptionProjectionRunner(store, db);
    runner.register(motions);
    await runner.start();
    const first = await store.appendToStream('meeting-1', [motion('Budget'), other, motion('Delegation')]);
    await runner.waitFor(first.position);
    expect(rows(db)).toEqual([
      { title: 'Budget', applied: 1 },
      { title: 'Delegation', applied: 1 },
    ]);
    await runner.stop();
    db.close();

    const second = await store.appendToStream('meeting-1', [motion('Attest')]);
    db = readModels();
    runner = new SubscriptionProjectionRunner(store, db);
    runner.register(motions);
    await runner.start();
    await runner.waitFor(second.position);
    expect(rows(db)).toEqual([
      { title: 'Attest', applied: 1 },
      { title: 'Budget', applied: 1 },
      { title: 'Delegation', applied: 1 },
    ]);
    await runner.stop();
    db.close();
    await store.close();
  });

  it('subscription: behind counts the events of the log not yet in the read models, 0 once caught up, up to the limit', async () => {
    const store = new SqliteEventStore({ filename: join(directory, 'events.db') });
    const db = new Database(join(directory, 'read-models.db'));
    const runner = new SubscriptionProjectionRunner(store, db);
    runner.register(motions);
    await store.appendToStream('meeting-1', [motion('Budget'), other, motion('Delegation')]);
    expect(await runner.behind()).toBe(3);
    expect(await runner.behind(2)).toBe(2);
    await runner.start();
    const last = await store.appendToStream('meeting-1', [motion('Attest')]);
    await runner.waitFor(last.position);
    expect(await runner.behind()).toBe(0);
    await runner.stop();
    await store.appendToStream('meeting-1', [other, other]);
    expect(await runner.behind()).toBe(2);
    db.close();
    await store.close();
  });

  it('subscription: caughtUp resolves once the read models hold the log as it stood when asked, whoever appended', async () => {
    const store = new SqliteEventStore({ filename: join(directory, 'events.db') });
    const runner = new SubscriptionProjectionRunner(store, new Database(join(directory, 'read-models.db')));
    runner.register(motions);
    await runner.start();
    // Another process's appends to the same log: this runner never learns their positions.
    const elsewhere = new SqliteEventStore({ filename: join(directory, 'events.db') });
    await Promise.all(Array.from({ length: 50 }, (_, i) => elsewhere.appendToStream(`meeting-${i}`, [motion(`Motion ${i}`)])));
    await runner.caughtUp();
    expect(rows(runner.database)).toHaveLength(50);
    await elsewhere.close();
    await runner.stop();
    runner.database.close();
    await store.close();
  });

  it('inline: never behind, the read models are written in the append', async () => {
    const store = new SqliteEventStore({ filename: join(directory, 'events.db') });
    const runner = new InlineProjectionRunner(store);
    runner.register(motions);
    await store.appendToStream('meeting-1', [motion('Budget')]);
    expect(await runner.behind()).toBe(0);
    await store.close();
  });
});
