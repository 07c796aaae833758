import { startEsdbFakeServer, startTestServer, type EsdbFakeServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { establishBoard, openQuorateMeeting } from './support/board';

// The server in scale-out mode: events in EventStoreDB (here the in-process protocol fake), read models in this
// replica's own SQLite file, fed by a checkpointed subscription. Mutations still return their read model updated.
describe('the server on EventStoreDB (protocol fake)', () => {
  let fake: EsdbFakeServer;
  let server: TestServer;
  beforeEach(async () => {
    fake = await startEsdbFakeServer();
    server = await startTestServer((dataDir) => ({
      imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir, KANSLI_EVENTSTORE: fake.connectionString, KANSLI_LOG_ORIGIN: 'kansli.test/log' }))],
    }));
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
