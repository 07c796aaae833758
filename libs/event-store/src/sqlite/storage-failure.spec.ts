import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mountSmallFileSystem, type SmallFileSystem } from '@kansli/testing';
import { eventLeafHash, rootOf } from '@kansli/tlog';
import { readAllEvents } from '../event-store';
import type { NewEvent } from '../event';
import { StorageUnavailableError } from '../event-store.errors';
import { SqliteEventStore } from './sqlite-event-store';

/** The log's tree holds exactly the events stored: a batch rolled back by the storage left no leaf behind. */
async function expectTreeHoldsTheLog(store: SqliteEventStore): Promise<void> {
  const events = [];
  for await (const event of readAllEvents(store)) events.push(event);
  expect(store.logTree!.size).toBe(events.length);
  expect(store.logTree!.root()).toEqual(rootOf(events.map(eventLeafHash)));
}

/** A decision of a few kilobytes, so that a handful of them need new pages. */
function decision(n: number): NewEvent {
  return {
    type: 'DecisionTaken',
    data: { paragraph: n, title: `Ansökan om medel nr ${n}`, clauses: ['att bevilja sökanden upp till 200 000 kr '.repeat(60)] },
    metadata: { occurredAt: '2018-06-14T10:00:00+02:00', actor: 'test' },
  };
}

/** A read model beside the events, written in the append's transaction. */
function decisionsReadModel(store: SqliteEventStore): void {
  store.registerInlineProjection({
    name: 'decisions',
    eventTypes: ['DecisionTaken'],
    setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, title TEXT NOT NULL)'),
    apply: (db, event) => db.prepare('INSERT INTO decisions (id, title) VALUES (?, ?)').run(event.id, event.data.title as string),
  });
}

interface Snapshot {
  events: number;
  decisions: number;
  checkpoint: bigint | undefined;
}

function snapshot(store: SqliteEventStore, filename: string): Snapshot {
  // A second connection reads what is on disk, not what the store's connection may still hold.
  const reader = new Database(filename, { readonly: true });
  try {
    const events = (reader.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const decisions = (reader.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
    return { events, decisions, checkpoint: store.projectionCheckpoint('decisions') };
  } finally {
    reader.close();
  }
}

/** `count` appends to streams of their own, in one group commit (queued in the same tick). */
function appendBatch(store: SqliteEventStore, streams: string[], first: number) {
  return Promise.allSettled(streams.map((stream, i) => store.appendToStream(stream, [decision(first + i)], { expectedRevision: 'no_stream' })));
}

function expectStorageFailures(outcomes: PromiseSettledResult<unknown>[], reason: StorageUnavailableError['reason'], sqliteCode: string): void {
  for (const outcome of outcomes) {
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as StorageUnavailableError;
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.reason).toBe(reason);
    expect((error.cause as { code: string }).code).toMatch(new RegExp(`^${sqliteCode}`));
  }
}

describe('SQLite engine when its storage refuses to write', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).reverse().forEach((cleanup) => cleanup()));

  function openStore(dir?: string): { store: SqliteEventStore; filename: string } {
    const directory = dir ?? mkdtempSync(join(tmpdir(), 'kansli-storage-'));
    if (!dir) cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const filename = join(directory, 'events.db');
    const store = new SqliteEventStore({ filename });
    cleanups.push(() => void store.close());
    decisionsReadModel(store);
    return { store, filename };
  }

  async function seed(store: SqliteEventStore): Promise<void> {
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.appendToStream(`seed-${randomUUID()}`, [decision(i)])));
  }

  // A real full disk needs a tmpfs: where this process may not mount one, the case fails and says why.
  it('a full disk (a real 8 MB tmpfs filled by another file) fails the whole batch with StorageUnavailableError, writes nothing, and the same appends succeed once space is freed', async () => {
    const disk: SmallFileSystem = mountSmallFileSystem(8);
    cleanups.push(() => disk.unmount());
    const { store, filename } = openStore(disk.dir);
    await seed(store);
    const before = snapshot(store, filename);
    const streams = Array.from({ length: 8 }, () => `meeting-${randomUUID()}`);

    disk.fill();
    const failed = await appendBatch(store, streams, 100);

    expectStorageFailures(failed, 'full', 'SQLITE_FULL');
    expect(((failed[0] as PromiseRejectedResult).reason as Error).message).toBe(
      'The event store cannot write: the disk is full. Nothing was recorded; try again when space has been freed.',
    );
    expect(store.database.inTransaction).toBe(false);
    expect(snapshot(store, filename)).toEqual(before);
    for (const stream of streams) expect(await store.readStream(stream)).toEqual([]);

    disk.free();
    const retried = await appendBatch(store, streams, 100);
    expect(retried.map((outcome) => outcome.status)).toEqual(streams.map(() => 'fulfilled'));
    expect(snapshot(store, filename)).toEqual({ events: before.events + 8, decisions: before.decisions + 8, checkpoint: expect.any(BigInt) });
  });

  it('SQLITE_FULL inside SQLite (PRAGMA max_page_count) fails every append of the batch and writes none of them, although SQLite ends the transaction at the failing insert', async () => {
    const { store, filename } = openStore();
    await seed(store);
    const before = snapshot(store, filename);
    const pages = store.database.pragma('page_count', { simple: true }) as number;
    // Room for the first few appends of the batch, not for all: the failure comes part-way through it.
    store.database.pragma(`max_page_count = ${pages + 4}`);
    const streams = Array.from({ length: 20 }, () => `meeting-${randomUUID()}`);

    const failed = await appendBatch(store, streams, 100);

    expectStorageFailures(failed, 'full', 'SQLITE_FULL');
    expect(store.database.inTransaction).toBe(false);
    expect(snapshot(store, filename)).toEqual(before);
    await expectTreeHoldsTheLog(store);

    store.database.pragma('max_page_count = 4294967294');
    const retried = await appendBatch(store, streams, 100);
    expect(retried.map((outcome) => outcome.status)).toEqual(streams.map(() => 'fulfilled'));
    expect(snapshot(store, filename).events).toBe(before.events + 20);
    await expectTreeHoldsTheLog(store);
  });

  it('a read-only database (PRAGMA query_only) fails the append with StorageUnavailableError and writes nothing; writable again, the append succeeds', async () => {
    const { store, filename } = openStore();
    await seed(store);
    const before = snapshot(store, filename);
    const streams = [`meeting-${randomUUID()}`, `meeting-${randomUUID()}`];

    store.database.pragma('query_only = ON');
    const failed = await appendBatch(store, streams, 100);
    store.database.pragma('query_only = OFF');

    expectStorageFailures(failed, 'read-only', 'SQLITE_READONLY');
    expect(store.database.inTransaction).toBe(false);
    expect(snapshot(store, filename)).toEqual(before);
    expect((await appendBatch(store, streams, 100)).map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('a database locked by another process past the busy timeout fails the append with StorageUnavailableError (busy); once released, the append succeeds', async () => {
    const { store, filename } = openStore();
    await seed(store);
    const before = snapshot(store, filename);
    store.database.pragma('busy_timeout = 50');
    const other = new Database(filename);
    cleanups.push(() => other.close());
    other.exec('BEGIN IMMEDIATE');

    const failed = await appendBatch(store, [`meeting-${randomUUID()}`], 100);
    other.exec('ROLLBACK');

    expectStorageFailures(failed, 'busy', 'SQLITE_BUSY');
    expect(snapshot(store, filename)).toEqual(before);
    await expect(store.appendToStream(`meeting-${randomUUID()}`, [decision(101)])).resolves.toMatchObject({ nextExpectedRevision: 0n });
  });
});
