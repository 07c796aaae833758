import { startEsdbFakeServer, type EsdbFakeServer, type TestServer } from '@kansli/testing';
import { establishBoard, openQuorateMeeting } from './support/board';
import { onEventStoreDb, startKansli } from './support/kansli';

// The server in scale-out mode: events in EventStoreDB (here the in-process protocol fake), read models in this
// replica's own SQLite file, fed by a checkpointed subscription. Mutations still return their read model updated.
describe('the server on EventStoreDB (protocol fake)', () => {
  let fake: EsdbFakeServer;
  let server: TestServer;
  beforeEach(async () => {
    fake = await startEsdbFakeServer();
    server = await startKansli(onEventStoreDb(fake.connectionString));
  });
  afterEach(async () => {
    await server.close();
    await fake.close();
  });

  it('answers every mutation with its read model already updated, from read models fed by a subscription', async () => {
    const gql = server.admin;
    const health = await gql.ok<{ health: { eventStore: string } }>('{ health { eventStore } }');
    expect(health.health.eventStore).toBe('eventstoredb');
    const board = await establishBoard(gql);
    const meetingId = await openQuorateMeeting(gql, board, '2018-06-14T09:00:00+02:00', 24);
    const { takeDecision } = await gql.ok<{ takeDecision: { paragraph: number; meeting: { attendance: unknown[] } } }>(
      'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { paragraph meeting { attendance { role } } } }',
      { input: { meetingId, title: 'Mötets öppnande', clauses: [], outcome: 'NOTERAD' } },
    );
    expect(takeDecision).toEqual({ paragraph: 24, meeting: { attendance: [{ role: 'BESLUTANDE' }, { role: 'BESLUTANDE' }, { role: 'BESLUTANDE' }] } });
    const timeline = await gql.ok<{ timeline: { edges: Array<{ node: { type: string } }> } }>('{ timeline(filter: { types: ["DecisionTaken"] }) { edges { node { type } } } }');
    expect(timeline.timeline.edges).toHaveLength(1);
  });
});
