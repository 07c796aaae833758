import { join } from 'node:path';
import { EventStore } from '@kansli/event-store';
import { startTestServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';

describe('the server over HTTP', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer((dataDir) => ({
      imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }))],
    }));
  });
  afterEach(() => server.close());

  it('answers the health query at /graphql from the embedded store in its data folder', async () => {
    const data = await server.client.ok<{ health: { status: string; eventStore: string; lastPosition: string | null } }>(
      '{ health { status eventStore lastPosition } }',
    );
    expect(data.health).toEqual({ status: 'ok', eventStore: 'sqlite', lastPosition: null });
    const store = server.app.get(EventStore);
    const appended = await store.appendToStream('probe-1', [{ type: 'Probed', data: {}, metadata: { occurredAt: '2026-11-23T10:00:00Z' } }]);
    const after = await server.client.ok<{ health: { lastPosition: string } }>('{ health { lastPosition } }');
    expect(after.health.lastPosition).toBe(appended.position.toString());
    expect(store.capabilities.inlineProjections).toBe(true);
    expect(join(server.dataDir, 'kansli.db')).toBe((loadConfig({ KANSLI_DATA_DIR: server.dataDir }).eventStore as { filename: string }).filename);
  });

  it('refuses a malformed query with a GraphQL error, not a stack trace', async () => {
    const result = await server.client.request('{ health { nope } }');
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|at Object\./);
  });
});
