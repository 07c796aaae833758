import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStoreDbEventStore, SqliteEventStore } from '@kansli/event-store';
import { DatabaseInUseError, dumpReadModels, rebuildEmbeddedReadModels, rebuildReplicaReadModels, type ReadModelDump } from '@kansli/projections';
import { startEsdbFakeServer } from '@kansli/testing';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { openReplicaReadModels, readModelProjections, REPLICA_READ_MODELS } from '../apps/kansli/src/read-models';
import { governanceLog } from '../bench/lib/governance-log';
import { establishBoard, openQuorateMeeting } from './support/board';
import { onEventStoreDb, startKansli } from './support/kansli';

function dumpFile(filename: string): ReadModelDump {
  const db = new Database(filename, { readonly: true });
  try {
    return dumpReadModels(db);
  } finally {
    db.close();
  }
}

async function rebuildEmbedded(filename: string) {
  const store = new SqliteEventStore({ filename });
  try {
    return await rebuildEmbeddedReadModels(store, filename, readModelProjections);
  } finally {
    await store.close();
  }
}

// `rebuild` re-runs the server's own projections (readModelProjections) over the log. What it builds must be
// what the server built while the events came in, to the byte; otherwise a rebuild would change what users see.
describe('rebuild: the read models from the log equal the ones built as the events came in', () => {
  it('embedded: the server’s read models after the 2018-06-14 meeting was loaded through the API', async () => {
    const server = await startKansli();
    const filename = join(server.dataDir, 'kansli.db');
    try {
      await loadMeeting20180614((query, variables) => server.admin.ok(query, variables));
      await expect(rebuildEmbedded(filename)).rejects.toBeInstanceOf(DatabaseInUseError);
      await server.app.close();

      const built = dumpFile(filename);
      expect(Object.keys(built)).toEqual(expect.arrayContaining(['rm_bodies', 'rm_decisions', 'rm_timeline', 'rm_timeline_refs']));
      expect(built.rm_decisions.rows).toHaveLength(16);
      const result = await rebuildEmbedded(filename);
      expect(dumpFile(filename)).toEqual(built);
      // The webhook worker's own state (queue positions, attempts) is no read model: a rebuild leaves it alone,
      // so it never sends the log again.
      expect(result.untouchedTables).toEqual(['webhook_delivery_attempts', 'webhook_delivery_queues']);
      expect(result.untouchedCheckpoints).toEqual([]);
    } finally {
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  it('embedded: 5,000 events of every type the read models handle (jäv, ersättare, votes, ended memberships, signatures)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kansli-rebuild-'));
    const filename = join(directory, 'kansli.db');
    try {
      const store = new SqliteEventStore({ filename, durability: 'normal' });
      for (const projection of readModelProjections) store.registerInlineProjection(projection);
      const types = new Set<string>();
      const appends: Array<Promise<unknown>> = [];
      for (const { stream, id, type, data, metadata } of governanceLog(5000, 7)) {
        types.add(type);
        appends.push(store.appendToStream(stream, [{ id, type, data, metadata }]));
      }
      await Promise.all(appends);
      await store.close();
      expect([...types].sort()).toEqual([
        'AnslagPosted', 'AttendanceRecorded', 'BodyEstablished', 'DecisionTaken', 'JavDeclared', 'JusterareAppointed', 'MeetingClosed',
        'MeetingOpened', 'MeetingScheduled', 'MemberAppointed', 'MembershipEnded', 'MotionRaised', 'ParagraphNumberAssigned',
        'PersonRegistered', 'ProtocolJusterad', 'ProtocolSigned',
      ]);

      const built = dumpFile(filename);
      await rebuildEmbedded(filename);
      expect(dumpFile(filename)).toEqual(built);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('EventStoreDB (protocol fake): a replica’s read-models.db as its subscription built it', async () => {
    const fake = await startEsdbFakeServer();
    const server = await startKansli(onEventStoreDb(fake.connectionString));
    const filename = join(server.dataDir, REPLICA_READ_MODELS);
    try {
      const board = await establishBoard(server.admin);
      const meetingId = await openQuorateMeeting(server.admin, board, '2018-06-14T09:00:00+02:00', 24);
      await server.admin.ok('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { paragraph } }', {
        input: { meetingId, title: 'Mötets öppnande', clauses: [], outcome: 'NOTERAD' },
      });
      const reader = new EventStoreDbEventStore({ connectionString: fake.connectionString });
      const whileRunning = openReplicaReadModels(filename);
      await expect(rebuildReplicaReadModels(reader, whileRunning, filename, readModelProjections)).rejects.toBeInstanceOf(DatabaseInUseError);
      whileRunning.close();
      await reader.close();
      await server.app.close();

      const built = dumpFile(filename);
      expect(built.rm_decisions.rows).toHaveLength(1);
      const store = new EventStoreDbEventStore({ connectionString: fake.connectionString });
      const db = openReplicaReadModels(filename);
      try {
        const result = await rebuildReplicaReadModels(store, db, filename, readModelProjections);
        expect(result.events).toBeGreaterThan(10);
        const checkpoints = db.prepare('SELECT DISTINCT position FROM read_model_checkpoints').pluck().all() as string[];
        expect(checkpoints).toEqual([result.lastPosition.toString()]);
      } finally {
        db.close();
        await store.close();
      }
      expect(dumpFile(filename)).toEqual(built);
    } finally {
      rmSync(server.dataDir, { recursive: true, force: true });
      await fake.close();
    }
  });
});
