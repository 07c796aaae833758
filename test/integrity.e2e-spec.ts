import { EventStore, readAllEvents, type RecordedEvent } from '@kansli/event-store';
import type { TestServer } from '@kansli/testing';
import {
  eventLeafHash,
  openCheckpoint,
  parseVerifierKey,
  readCheckpointNote,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '@kansli/tlog';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { startKansli } from './support/kansli';

const b = (base64: string) => Buffer.from(base64, 'base64');

async function logOf(server: TestServer): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of readAllEvents(server.app.get(EventStore))) events.push(event);
  return events;
}

type Integrity = { integrity: { verified: boolean; problem: string | null; size: number; root: string; checkpoint: string; checkpointSize: number; origin: string; publicKey: string } };
type Proof = { inclusionProof: { leafIndex: number; treeSize: number; leafHash: string; hashes: string[]; root: string; checkpoint: string; checkpointSize: number } };
const INCLUSION = 'query($id: ID!, $size: Int) { inclusionProof(eventId: $id, treeSize: $size) { leafIndex treeSize leafHash hashes root checkpoint checkpointSize } }';
const INTEGRITY = '{ integrity { verified problem size root checkpoint checkpointSize origin publicKey } }';

describe('the tamper-evident log over GraphQL', () => {
  let server: TestServer;
  let meetingId: string;
  beforeAll(async () => {
    server = await startKansli({ KANSLI_LOG_ORIGIN: 'kansli.test/styrelsen' });
    ({ meetingId } = await loadMeeting20180614((query, variables) => server.admin.ok(query, variables)));
  });
  afterAll(() => server.close());

  it('integrity: the tree holds every event, its root is the root of their canonical leaves, and the latest checkpoint is signed by the published key', async () => {
    const events = await logOf(server);
    const { integrity } = await server.admin.ok<Integrity>(INTEGRITY);
    expect(integrity.verified).toBe(true);
    expect(integrity.problem).toBeNull();
    expect(integrity.size).toBe(events.length);
    expect(b(integrity.root)).toEqual(rootOf(events.map(eventLeafHash)));
    expect(integrity.origin).toBe('kansli.test/styrelsen');
    const key = parseVerifierKey(integrity.publicKey);
    const signed = openCheckpoint(integrity.checkpoint, key);
    expect(signed.size).toBe(integrity.checkpointSize);
    expect(signed.root).toEqual(rootOf(events.slice(0, signed.size).map(eventLeafHash)));
  });

  it('inclusionProof: every event is the leaf its timeline entry names, and its proof leads to a signed root', async () => {
    const events = await logOf(server);
    const { integrity } = await server.admin.ok<Integrity>(INTEGRITY);
    const key = parseVerifierKey(integrity.publicKey);
    const { timeline } = await server.admin.ok<{ timeline: { edges: Array<{ node: { position: string; leafIndex: number } }> } }>(
      '{ timeline(first: 500) { edges { node { position leafIndex } } } }',
    );
    expect(timeline.edges.map((edge) => edge.node.leafIndex)).toEqual(events.map((_, index) => index));
    for (const [index, event] of events.entries()) {
      const { inclusionProof: proof } = await server.admin.ok<Proof>(INCLUSION, { id: event.id });
      expect(proof.leafIndex).toBe(index);
      expect(timeline.edges[index].node.position).toBe(event.position.toString());
      expect(b(proof.leafHash)).toEqual(eventLeafHash(event));
      verifyInclusion(index, proof.treeSize, eventLeafHash(event), proof.hashes.map(b), b(proof.root));
      const checkpoint = openCheckpoint(proof.checkpoint, key);
      expect(checkpoint.size).toBe(proof.checkpointSize);
      if (checkpoint.size === proof.treeSize) expect(checkpoint.root).toEqual(b(proof.root));
      else {
        const { consistencyProof } = await server.admin.ok<{ consistencyProof: string[] }>('query($from: Int!, $to: Int) { consistencyProof(fromSize: $from, toSize: $to) }', { from: proof.treeSize, to: checkpoint.size });
        verifyConsistency(proof.treeSize, checkpoint.size, b(proof.root), checkpoint.root, consistencyProof.map(b));
      }
    }
    // A smaller tree of the caller's choice: the proof leads to that tree's root.
    const { inclusionProof: early } = await server.admin.ok<Proof>(INCLUSION, { id: events[3].id, size: 4 });
    verifyInclusion(3, 4, eventLeafHash(events[3]), early.hashes.map(b), rootOf(events.slice(0, 4).map(eventLeafHash)));
  });

  it('checkpoints: newest first, paged, each signed by the log and each consistent with the next', async () => {
    await server.admin.ok('mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', { input: { name: 'Revisor Rut' } });
    await server.admin.ok(INTEGRITY);
    const { integrity } = await server.admin.ok<Integrity>(INTEGRITY);
    const key = parseVerifierKey(integrity.publicKey);
    type Page = { checkpoints: { edges: Array<{ cursor: string; node: { size: number; root: string; note: string; issuedAt: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const all: Page['checkpoints']['edges'] = [];
    let after: string | null = null;
    for (;;) {
      const { checkpoints }: Page = await server.admin.ok<Page>('query($after: String) { checkpoints(first: 1, after: $after) { edges { cursor node { size root note issuedAt } } pageInfo { hasNextPage endCursor } } }', { after });
      all.push(...checkpoints.edges);
      if (!checkpoints.pageInfo.hasNextPage) break;
      after = checkpoints.pageInfo.endCursor;
    }
    expect(all.length).toBeGreaterThanOrEqual(2);
    const sizes = all.map((edge) => edge.node.size);
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
    for (const { node } of all) expect(openCheckpoint(node.note, key)).toEqual({ origin: integrity.origin, size: node.size, root: b(node.root) });
    for (const [newer, older] of all.slice(0, -1).map((edge, i) => [edge.node, all[i + 1].node] as const)) {
      const { consistencyProof } = await server.admin.ok<{ consistencyProof: string[] }>('query($from: Int!, $to: Int) { consistencyProof(fromSize: $from, toSize: $to) }', { from: older.size, to: newer.size });
      verifyConsistency(older.size, newer.size, b(older.root), b(newer.root), consistencyProof.map(b));
    }
  });

  it('Protocol.checkpoint: the first checkpoint whose tree holds the justering, for anyone who may read the protocol', async () => {
    const events = await logOf(server);
    const justering = events.findIndex((event) => event.type === 'ProtocolJusterad' && event.stream === `meeting-${meetingId}`);
    expect(justering).toBeGreaterThanOrEqual(0);
    const query = 'query($id: ID!) { meeting(id: $id) { protocol { status checkpoint } } }';
    const { meeting } = await server.client.ok<{ meeting: { protocol: { status: string; checkpoint: string } } }>(query, { id: meetingId });
    const checkpoint = readCheckpointNote(meeting.protocol.checkpoint);
    expect(checkpoint.size).toBeGreaterThan(justering);
    expect(checkpoint.root).toEqual(rootOf(events.slice(0, checkpoint.size).map(eventLeafHash)));
    const { checkpoints } = await server.admin.ok<{ checkpoints: { edges: Array<{ node: { size: number } }> } }>('{ checkpoints(first: 100) { edges { node { size } } } }');
    const covering = checkpoints.edges.map((edge) => edge.node.size).filter((size) => size > justering);
    expect(checkpoint.size).toBe(Math.min(...covering));
    // The same note every time it is asked, even after the log has grown.
    await server.admin.ok('mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', { input: { name: 'Sent tillkommen' } });
    await server.admin.ok(INTEGRITY);
    const again = await server.client.ok<{ meeting: { protocol: { checkpoint: string } } }>(query, { id: meetingId });
    expect(again.meeting.protocol.checkpoint).toBe(meeting.protocol.checkpoint);
  });

  it('refuses bad input with a clear message: sizes beyond the log or below zero, sizes in the wrong order, unknown or malformed ids', async () => {
    const events = await logOf(server);
    const size = events.length;
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      [INCLUSION, { id: events[0].id, size: size + 1 }, 'BAD_USER_INPUT', new RegExp(`treeSize ${size + 1} is beyond the log: its tree has ${size} leaves`)],
      [INCLUSION, { id: events[5].id, size: 3 }, 'BAD_USER_INPUT', /treeSize 3 does not hold the event: it is leaf 5/],
      [INCLUSION, { id: events[0].id, size: -1 }, 'BAD_USER_INPUT', /treeSize must be a whole number from 1/],
      [INCLUSION, { id: '7b4c1f0e-0000-4000-8000-000000000000' }, 'NOT_FOUND', /Event 7b4c1f0e-0000-4000-8000-000000000000 does not exist/],
      [INCLUSION, { id: 'not-an-id' }, 'BAD_USER_INPUT', /eventId "not-an-id" is not an event id/],
      ['query($from: Int!, $to: Int) { consistencyProof(fromSize: $from, toSize: $to) }', { from: -2 }, 'BAD_USER_INPUT', /fromSize must be a whole number from 0, got -2/],
      ['query($from: Int!, $to: Int) { consistencyProof(fromSize: $from, toSize: $to) }', { from: 5, to: 3 }, 'BAD_USER_INPUT', /fromSize 5 is larger than toSize 3/],
      ['query($from: Int!, $to: Int) { consistencyProof(fromSize: $from, toSize: $to) }', { from: 1, to: size + 10 }, 'BAD_USER_INPUT', /toSize \d+ is beyond the log/],
      ['query($after: String) { checkpoints(after: $after) { edges { cursor } } }', { after: 'nonsense' }, 'BAD_USER_INPUT', /not a cursor/],
      ['{ checkpoints(first: 0) { edges { cursor } } }', {}, 'BAD_USER_INPUT', /first must be from 1 to 100/],
    ];
    for (const [query, variables, code, message] of cases) {
      const result = await server.admin.request(query, variables);
      expect({ variables, code: result.errors?.[0]?.extensions?.code }).toEqual({ variables, code });
      expect(result.errors?.[0]?.message).toMatch(message);
    }
  });
});

describe('the log signs on its own', () => {
  type Sizes = { checkpoints: { edges: Array<{ node: { size: number } }> } };
  const SIZES = '{ checkpoints(first: 100) { edges { node { size } } } }';
  const eventually = async (condition: () => Promise<boolean>) => {
    for (let tries = 0; !(await condition()) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it('issues a checkpoint when the tree has grown and the interval has passed', async () => {
    const server = await startKansli({ KANSLI_CHECKPOINT_INTERVAL_MS: '100' });
    try {
      const latest = async () => (await server.admin.ok<Sizes>(SIZES)).checkpoints.edges[0]?.node.size ?? 0;
      await server.admin.ok('mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', { input: { name: 'Första' } });
      const grown = (await logOf(server)).length;
      // Only the timer can sign here: listing checkpoints never signs one.
      await eventually(async () => (await latest()) === grown);
      expect(await latest()).toBe(grown);
    } finally {
      await server.close();
    }
  });

  it('issues a checkpoint right after a justering, long before the interval, without anyone asking for it', async () => {
    const server = await startKansli({ KANSLI_CHECKPOINT_INTERVAL_MS: '3600000' });
    try {
      const { meetingId } = await loadMeeting20180614((query, variables) => server.admin.ok(query, variables));
      const events = await logOf(server);
      const justering = events.findIndex((event) => event.type === 'ProtocolJusterad' && event.stream === `meeting-${meetingId}`);
      const covered = async () => (await server.admin.ok<Sizes>(SIZES)).checkpoints.edges.some((edge) => edge.node.size > justering);
      await eventually(covered);
      expect(await covered()).toBe(true);
    } finally {
      await server.close();
    }
  });
});
