import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLeafHash, rootOf } from '@kansli/tlog';
import { readAllEvents } from '../event-store';
import { eventStoreContract } from '../event-store.contract';
import { StorageUnavailableError } from '../event-store.errors';
import { SqliteEventStore } from './sqlite-event-store';

const directories: string[] = [];
function freshFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'kansli-store-'));
  directories.push(directory);
  return join(directory, 'events.db');
}
afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

eventStoreContract('SQLite engine', { inlineProjections: true, deterministicIdempotency: true, atomicMultiStreamAppend: true }, async () => {
  const store = new SqliteEventStore({ filename: freshFile() });
  return {
    store,
    database: store.database,
    registerInlineProjection: (projection) => store.registerInlineProjection(projection),
    logTree: async () => store.logTree!,
    // The database read-only, as a read-only mount or a full disk leaves it: appends are refused, reads go on.
    interrupt: async () => {
      store.database.pragma('query_only = ON');
      return async () => void store.database.pragma('query_only = OFF');
    },
  };
});

describe('SQLite engine, durable acknowledgement', () => {
  const occurredAt = '2018-06-14T09:00:00+02:00';
  const event = (type: string) => ({ type, data: {}, metadata: { occurredAt } });

  it('acknowledges an append only once the WAL is synced: when the sync cannot happen, the append is not acknowledged, nor any later one', async () => {
    const file = freshFile();
    const store = new SqliteEventStore({ filename: file });
    // SQLite keeps its own handle on the WAL; without the file's name the store cannot open it to sync.
    renameSync(`${file}-wal`, `${file}-wal.away`);
    const failed = await store.appendToStream('meeting-1', [event('MeetingOpened')]).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StorageUnavailableError);
    expect((failed as StorageUnavailableError).message).toMatch(/not confirmed/);
    // After a failed sync nothing more is acknowledged, even once a sync could succeed again: it would not
    // cover pages the failed one lost.
    renameSync(`${file}-wal.away`, `${file}-wal`);
    await expect(store.appendToStream('meeting-2', [event('MeetingOpened')])).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(await store.readStream('meeting-2')).toEqual([]);
    await store.close();
  });

  it('acknowledges every append of concurrent group commits, each after a sync that covers it, and all of them are stored', async () => {
    const file = freshFile();
    const store = new SqliteEventStore({ filename: file });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.appendToStream(`meeting-${i % 7}`, [event('DecisionTaken')])));
    expect(new Set(results.map((result) => result.position)).size).toBe(200);
    await store.close();
    const reopened = new SqliteEventStore({ filename: file });
    expect(await reopened.readAll({ maxCount: 1000 })).toHaveLength(200);
    await reopened.close();
  });
});

describe('SQLite engine, checkpoints off the event loop', () => {
  it('copies the WAL into the database file on a worker thread, while the connection itself never checkpoints', async () => {
    const file = freshFile();
    const store = new SqliteEventStore({ filename: file });
    expect(store.database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const payload = { text: 'x'.repeat(2000) };
    for (let round = 0; round < 40; round++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendToStream(`meeting-${round}-${i}`, [{ type: 'DecisionTaken', data: payload, metadata: { occurredAt: '2018-06-14T09:00:00+02:00' } }])));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // 2,000 events of 2 kB, over 4 MB: without checkpoints all of it would stay in the WAL, and the database file
    // would hold only the schema. The worker copies it over while the store goes on (polled: CI may be slow).
    const deadline = Date.now() + 10_000;
    while (statSync(file).size < 4_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const database = statSync(file).size;
    const wal = statSync(`${file}-wal`).size;
    await store.close();
    expect(database).toBeGreaterThan(4_000_000);
    expect(wal).toBeLessThan(database);
  });
});

describe('SQLite engine, the log tree', () => {
  const occurredAt = '2018-06-14T09:00:00+02:00';
  const event = (type: string, n = 0) => ({ type, data: { n, title: 'Årsredovisning § 24' }, metadata: { occurredAt, actor: 'sekreterare' } });
  const rootOfLog = async (store: SqliteEventStore) => {
    const events = [];
    for await (const recorded of readAllEvents(store)) events.push(recorded);
    return rootOf(events.map(eventLeafHash));
  };

  it('is the same tree when the store is opened again, and grows on from there', async () => {
    const file = freshFile();
    const store = new SqliteEventStore({ filename: file });
    for (let i = 0; i < 40; i++) await store.appendToStream(`meeting-${i % 3}`, [event('DecisionTaken', i)]);
    const root = store.logTree!.root();
    await store.close();
    const reopened = new SqliteEventStore({ filename: file });
    expect(reopened.logTree!.size).toBe(40);
    expect(reopened.logTree!.root()).toEqual(root);
    await reopened.appendToStream('meeting-9', [event('MeetingClosed')]);
    expect(reopened.logTree!.root()).toEqual(await rootOfLog(reopened));
    await reopened.close();
  });

  it('catches up on a log written without it, and stores data as the canonical JSON its leaves hash', async () => {
    const file = freshFile();
    const without = new SqliteEventStore({ filename: file, logTree: false });
    expect(without.logTree).toBeUndefined();
    for (let i = 0; i < 25; i++) await without.appendToStream(`body-${i % 4}`, [{ ...event('MemberAppointed', i), data: { z: i, a: 'först' } }]);
    expect(without.database.prepare('SELECT data FROM events LIMIT 1').pluck().get()).toBe('{"z":0,"a":"först"}');
    await without.close();
    const store = new SqliteEventStore({ filename: file });
    expect(store.logTree!.size).toBe(25);
    await store.appendToStream('body-1', [{ ...event('MemberAppointed'), data: { z: 1, a: 'sedan' } }]);
    expect(store.database.prepare('SELECT data FROM events ORDER BY position DESC LIMIT 1').pluck().get()).toBe('{"a":"sedan","z":1}');
    expect(store.logTree!.root()).toEqual(await rootOfLog(store));
    await store.close();
  });

  it('refuses appends, and still reads, when events were removed behind its back', async () => {
    const file = freshFile();
    const store = new SqliteEventStore({ filename: file });
    for (let i = 0; i < 5; i++) await store.appendToStream('meeting-1', [event('DecisionTaken', i)]);
    store.database.exec('DROP TRIGGER events_no_delete; DELETE FROM events WHERE position = 5');
    await store.close();
    const reopened = new SqliteEventStore({ filename: file });
    expect(await reopened.readStream('meeting-1')).toHaveLength(4);
    await expect(reopened.appendToStream('meeting-1', [event('DecisionTaken')])).rejects.toThrow(/tree holds 5 leaves but the log only 4 events/);
    await reopened.close();
  });

  it('refuses an append whose position does not follow the tree (a row inserted behind its back)', async () => {
    const file = freshFile();
    const store = new SqliteEventStore({ filename: file });
    await store.appendToStream('meeting-1', [event('MeetingOpened')]);
    store.database.prepare("INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (7, 'x', 0, 'f0000000-0000-4000-8000-000000000000', 'X', '{}', '{}', 'now')").run();
    await expect(store.appendToStream('meeting-1', [event('DecisionTaken')])).rejects.toThrow(/events table was altered/);
    expect(await store.readStream('meeting-1')).toHaveLength(1);
    expect(store.logTree!.size).toBe(1);
    await store.close();
  });
});
