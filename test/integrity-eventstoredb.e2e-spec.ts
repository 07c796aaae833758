import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore, readAllEvents, type RecordedEvent } from '@kansli/event-store';
import { startEsdbFakeServer, type EsdbFakeServer, type TestServer } from '@kansli/testing';
import { eventLeafHash, generateSigner, openCheckpoint, parseVerifierKey, readCheckpointNote, rootOf, verifyInclusion } from '@kansli/tlog';
import { exportAudit, verifyAudit } from '../apps/kansli/src/cli/audit';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { loadConfig } from '../apps/kansli/src/config';
import { startKansli } from './support/kansli';

type Integrity = { integrity: { verified: boolean; size: number; root: string; checkpoint: string; publicKey: string } };
const INTEGRITY = '{ integrity { verified size root checkpoint publicKey } }';
const b = (base64: string) => Buffer.from(base64, 'base64');

// Scale-out: the log in EventStoreDB (the protocol fake), and each replica computing the log's tree from $all
// into its own read-model database with the same code as the embedded engine. Two replicas reach one root.
describe('the tamper-evident log on EventStoreDB: every replica computes the same tree', () => {
  let fake: EsdbFakeServer;
  const replicas: TestServer[] = [];
  const key = generateSigner('kansli.test/scale-out');
  const start = () =>
    startKansli({ KANSLI_EVENTSTORE: fake.connectionString, KANSLI_LOG_KEY: key.encoded });

  const work = mkdtempSync(join(tmpdir(), 'kansli-esdb-audit-'));
  beforeAll(async () => {
    fake = await startEsdbFakeServer();
    replicas.push(await start(), await start());
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await fake.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('gives both replicas the root of the canonical leaves of $all, proofs that verify, and the protocol\'s checkpoint', async () => {
    const [a, b2] = replicas;
    const { meetingId } = await loadMeeting20180614((query, variables) => a.admin.ok(query, variables));
    const store = new EventStoreDbEventStore({ connectionString: fake.connectionString });
    const events: RecordedEvent[] = [];
    try {
      for await (const event of readAllEvents(store)) events.push(event);
    } finally {
      await store.close();
    }
    const expected = rootOf(events.map(eventLeafHash));
    const reports: Integrity['integrity'][] = [];
    for (const replica of replicas) {
      let report = (await replica.admin.ok<Integrity>(INTEGRITY)).integrity;
      for (let tries = 0; report.size < events.length && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        report = (await replica.admin.ok<Integrity>(INTEGRITY)).integrity;
      }
      reports.push(report);
    }
    for (const report of reports) {
      expect(report.size).toBe(events.length);
      expect(b(report.root)).toEqual(expected);
      expect(report.verified).toBe(true);
      expect(report.publicKey).toBe(key.verifier.encoded);
      openCheckpoint(report.checkpoint, parseVerifierKey(report.publicKey));
    }

    const last = events.length - 1;
    const { inclusionProof } = await b2.admin.ok<{ inclusionProof: { leafIndex: number; treeSize: number; hashes: string[]; root: string } }>(
      'query($id: ID!, $size: Int) { inclusionProof(eventId: $id, treeSize: $size) { leafIndex treeSize hashes root } }',
      { id: events[last].id, size: events.length },
    );
    expect(inclusionProof.leafIndex).toBe(last);
    verifyInclusion(last, events.length, eventLeafHash(events[last]), inclusionProof.hashes.map(b), expected);

    // The audit export of a replica: the events from the log, the tree and checkpoints from its read-model database.
    const file = join(work, 'replica-b.jsonl');
    await exportAudit(loadConfig({ KANSLI_DATA_DIR: b2.dataDir, KANSLI_EVENTSTORE: fake.connectionString, KANSLI_LOG_KEY: key.encoded }), file, { out: () => undefined, err: () => undefined });
    const verdict: string[] = [];
    expect(await verifyAudit(file, { out: (line) => verdict.push(line), err: () => undefined }, { key: key.verifier.encoded })).toBe(0);
    expect(verdict[0]).toMatch(new RegExp(`^OK: ${events.length} events of kansli\\.test/scale-out`));

    const justering = events.findIndex((event) => event.type === 'ProtocolJusterad');
    const { meeting } = await b2.client.ok<{ meeting: { protocol: { checkpoint: string } } }>('query($id: ID!) { meeting(id: $id) { protocol { checkpoint } } }', { id: meetingId });
    const checkpoint = readCheckpointNote(meeting.protocol.checkpoint);
    expect(checkpoint.size).toBeGreaterThan(justering);
    expect(checkpoint.root).toEqual(rootOf(events.slice(0, checkpoint.size).map(eventLeafHash)));
  });
});
