import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { startEsdbFakeServer, type EsdbFakeServer } from '@kansli/testing';
import { readAllEvents, type EventStore } from '../event-store';
import { eventStoreContract } from '../event-store.contract';
import { SqliteLogTree, stageEvent } from '../sqlite/log-tree';
import { EventStoreDbEventStore, fromPosition, toPosition } from './eventstoredb-event-store';

const capabilities = { inlineProjections: false, deterministicIdempotency: false, atomicMultiStreamAppend: false };

/** The tree a replica computes from $all, event by event as its checkpointed subscription delivers them. */
async function replicaTree(store: EventStore): Promise<SqliteLogTree> {
  const tree = new SqliteLogTree(new Database(':memory:'));
  for await (const event of readAllEvents(store)) {
    stageEvent(tree, event);
    tree.writeStaged();
    tree.commitStaged();
  }
  return tree;
}

// The EventStoreDB adapter, driven through the real client against an in-process gRPC protocol fake
// (no EventStoreDB server can be installed on the CI machines).
describe('EventStoreDB adapter against the protocol fake', () => {
  let fake: EsdbFakeServer;
  let journal: string;
  beforeEach(async () => {
    // A journal, so that the fake can go away and come back with its log, as a restarted server does.
    journal = join(mkdtempSync(join(tmpdir(), 'kansli-esdb-fake-')), 'journal.jsonl');
    fake = await startEsdbFakeServer({ journal });
  });
  afterEach(async () => {
    await fake.close();
    rmSync(dirname(journal), { recursive: true, force: true });
  });

  eventStoreContract('EventStoreDB adapter (protocol fake)', capabilities, async () => {
    const store = new EventStoreDbEventStore({ connectionString: fake.connectionString });
    return {
      store,
      logTree: () => replicaTree(store),
      interrupt: async () => {
        const { port } = fake;
        await fake.close();
        return async () => {
          fake = await startEsdbFakeServer({ journal, port });
        };
      },
    };
  });

  it('resubscribes from the last delivered position after the server drops the subscription', async () => {
    const store = new EventStoreDbEventStore({ connectionString: fake.connectionString, reconnectDelayMs: 10 });
    const occurredAt = '2018-06-14T09:00:00+02:00';
    const stream = `meeting-${randomUUID()}`;
    try {
      await store.appendToStream(stream, [{ type: 'A', data: {}, metadata: { occurredAt } }]);
      const subscription = store.subscribeToAll();
      const iterator = subscription[Symbol.asyncIterator]();
      expect((await iterator.next()).value.type).toBe('A');
      fake.dropSubscriptions();
      await store.appendToStream(stream, [{ type: 'B', data: {}, metadata: { occurredAt } }]);
      expect((await iterator.next()).value.type).toBe('B');
      await subscription.close();
    } finally {
      await store.close();
    }
  });
});

describe('EventStoreDB positions', () => {
  it('pack commit and prepare so that they order like $all and unpack exactly', () => {
    const a = { commit: 1000n, prepare: 1000n };
    const b = { commit: 1000n, prepare: 1200n };
    const c = { commit: 2000n, prepare: 1100n };
    expect(toPosition(a) < toPosition(b) && toPosition(b) < toPosition(c)).toBe(true);
    expect(fromPosition(toPosition(c))).toEqual(c);
    const large = { commit: 2n ** 62n + 7n, prepare: 2n ** 62n + 3n };
    expect(fromPosition(toPosition(large))).toEqual(large);
  });
});

const realServer = process.env.ESDB_CONNECTION_STRING;
if (realServer) {
  eventStoreContract(`EventStoreDB adapter (real server at ${realServer})`, capabilities, async () => {
    const store = new EventStoreDbEventStore({ connectionString: realServer });
    const interrupt = () => Promise.reject(new Error('This case stops the server; it runs against the protocol fake, not a server this suite does not own'));
    return { store, logTree: () => replicaTree(store), interrupt };
  });
}
