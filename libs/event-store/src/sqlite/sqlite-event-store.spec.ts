import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
