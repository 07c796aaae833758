import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer } from '@kansli/testing';
import { startKansli } from './support/kansli';

const SUBSCRIPTION = `subscription($filter: TimelineFilter, $after: String) {
  timelineEvents(filter: $filter, afterPosition: $after) { position type data } }`;
type Received = { position: string; type: string; data: Record<string, unknown> };

/** A graphql-ws client of the server, with a token in the connection's first message (or none). */
function connect(server: TestServer, token?: string): Client {
  const url = server.client.url.replace(/^http/, 'ws');
  return createClient({ url, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: token ? { authorization: `Bearer ${token}` } : undefined });
}

/** Subscribes and collects events until `count` arrived; resolves with them, or rejects with the first error. */
function collect(client: Client, variables: Record<string, unknown>, count: number): { done: Promise<Received[]>; stop: () => void } {
  const received: Received[] = [];
  let stop = () => {};
  const done = new Promise<Received[]>((resolve, reject) => {
    stop = client.subscribe<{ timelineEvents: Received }>(
      { query: SUBSCRIPTION, variables },
      {
        next: (result) => {
          if (result.errors?.length) return reject(new Error(JSON.stringify(result.errors)));
          received.push(result.data!.timelineEvents);
          if (received.length === count) resolve(received);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(`closed: ${(error as { code?: number; reason?: string }).code} ${(error as { reason?: string }).reason}`)),
        complete: () => resolve(received),
      },
    );
  });
  return { done, stop: () => stop() };
}

const establish = (server: TestServer, name: string) =>
  server.admin.ok<{ establishBody: { id: string } }>('mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id } }', {
    input: { name, kind: 'NAMND', seats: 3 },
  });

describe('the live timeline (timelineEvents over graphql-ws)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startKansli();
  });
  afterAll(() => server.close());

  it('sends a REVISOR every new event that passes the filter, in log order, and resumes after a position with nothing skipped', async () => {
    const revisor = await server.token(['REVISOR']);
    const { establishBody } = await establish(server, 'Socialnämnden');
    const bodyId = establishBody.id;
    const appoint = (personName: string) =>
      server.admin.ok('mutation($input: AppointMemberInput!) { appointMember(input: $input) { id } }', { input: { bodyId, personName, role: 'LEDAMOT', from: '2018-01-01' } });

    const first = connect(server, revisor);
    const live = collect(first, { filter: { bodyId } }, 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await establish(server, 'Another body, not in the filter');
    await appoint('Bertil Almgren');
    await appoint('Anders Eriksson');
    const seen = await live.done;
    live.stop();
    await first.dispose();
    expect(seen.map((e) => [e.type, e.data.bodyId])).toEqual([
      ['MemberAppointed', bodyId],
      ['MemberAppointed', bodyId],
    ]);

    // Disconnected: more happens; a new connection resumes after the first event it saw and misses nothing.
    await appoint('Kenneth Andersson');
    const second = connect(server, revisor);
    const resumed = collect(second, { filter: { bodyId }, after: seen[0].position }, 2);
    const again = await resumed.done;
    resumed.stop();
    await second.dispose();
    expect(again[0]).toEqual(seen[1]);
    expect(again[1]).toMatchObject({ type: 'MemberAppointed', data: { bodyId } });
    expect(BigInt(again[1].position)).toBeGreaterThan(BigInt(seen[1].position));

    // From the start of the log: the body's own events, oldest first, the same the timeline query gives.
    const { timeline } = await server.admin.ok<{ timeline: { edges: Array<{ node: { position: string } }> } }>(
      'query($id: ID!) { timeline(filter: { bodyId: $id }) { edges { node { position } } } }',
      { id: bodyId },
    );
    const third = connect(server, revisor);
    const replay = collect(third, { filter: { bodyId }, after: '0' }, timeline.edges.length);
    const replayed = await replay.done;
    replay.stop();
    await third.dispose();
    expect(replayed.map((e) => e.position)).toEqual(timeline.edges.map((edge) => edge.node.position));
  });

  it('refuses callers other than REVISOR, and a malformed position', async () => {
    for (const [token, code] of [
      [undefined, 'UNAUTHENTICATED'],
      [await server.token(['LEDAMOT']), 'FORBIDDEN'],
      [await server.token(['DIARIUM']), 'FORBIDDEN'],
    ] as const) {
      const client = connect(server, token);
      await expect(collect(client, {}, 1).done).rejects.toThrow(code);
      await client.dispose();
    }
    const client = connect(server, await server.token(['REVISOR']));
    await expect(collect(client, { after: 'not-a-position' }, 1).done).rejects.toThrow('BAD_USER_INPUT');
    await client.dispose();
  });

  it('closes a connection whose token does not verify', async () => {
    const client = connect(server, 'not.a.token');
    await expect(collect(client, {}, 1).done).rejects.toThrow(/4403|Forbidden/);
    await client.dispose();
  });
});
