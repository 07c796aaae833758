import { EventStore, SqliteEventStore } from '@kansli/event-store';
import { startEsdbFakeServer, startTestServer, type EsdbFakeServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { onEventStoreDb, startKansli } from './support/kansli';

const base = (server: TestServer) => server.client.url.replace(/\/graphql$/, '');

async function get(server: TestServer, path: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${base(server)}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** One sample of the Prometheus text: the value of `name` with exactly these labels, 0 when it is not there. */
function sample(metrics: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`).sort().join(',');
  for (const line of metrics.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean).filter((pair) => !pair.startsWith('le=')).sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return 0;
}

const ESTABLISH = 'mutation Establish($input: EstablishBodyInput!) { establishBody(input: $input) { id } }';

describe('operations on the embedded engine: /healthz, /readyz, /metrics', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }))] }));
  });
  afterEach(() => server.close());

  it('is live and ready while the store answers, and says only that', async () => {
    expect(await get(server, '/healthz')).toEqual({ status: 200, type: expect.stringMatching(/^application\/json/), text: '{"status":"live"}' });
    expect(await get(server, '/readyz')).toEqual({ status: 200, type: expect.stringMatching(/^application\/json/), text: '{"status":"ready"}' });
  });

  it('is not ready (503, with the reason) once the store refuses writes, and ready again when a write succeeds', async () => {
    const store = server.app.get(EventStore) as SqliteEventStore;
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    store.database.pragma('query_only = ON');
    const refused = await server.admin.request(ESTABLISH, { input: { name: 'Styrelsen', kind: 'STYRELSE', seats: 5 } });
    expect(refused.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const notReady = await get(server, '/readyz');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.text)).toEqual({ status: 'not ready', reason: 'the event store refuses writes: its database is read-only' });
    expect((await get(server, '/healthz')).status).toBe(200);

    store.database.pragma('query_only = OFF');
    await server.admin.ok(ESTABLISH, { input: { name: 'Styrelsen', kind: 'STYRELSE', seats: 5 } });
    expect((await get(server, '/readyz')).status).toBe(200);
    error.mockRestore();
  });

  it('is not ready once the store is closed, and the reason names no path or message of the engine', async () => {
    await server.app.get(EventStore).close();
    const notReady = await get(server, '/readyz');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.text)).toEqual({ status: 'not ready', reason: 'the event store does not answer (CLOSED)' });
    expect(notReady.text).not.toContain(server.dataDir);
  });

  it('counts and times GraphQL requests per operation name and outcome, appends per outcome, the projection lag and the process', async () => {
    const before = (await get(server, '/metrics')).text;
    expect(sample(before, 'kansli_graphql_requests_total', { operation: 'Bodies', outcome: 'ok' })).toBe(0);

    await server.client.ok('query Bodies { bodies { id } }');
    await server.client.ok('query Bodies { bodies { id } }');
    await server.client.ok('{ bodies { id } }');
    const forbidden = await (await server.as(['LEDAMOT'])).request(ESTABLISH, { input: { name: 'Styrelsen', kind: 'STYRELSE', seats: 5 } });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Refused before GraphQL reads the document: the operation is the one the client declared.
    const badToken = await fetch(server.client.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
      body: JSON.stringify({ query: 'query Bodies { bodies { id } }', operationName: 'Bodies' }),
    });
    expect(badToken.status).toBe(401);
    await server.admin.ok(ESTABLISH, { input: { name: 'Styrelsen', kind: 'STYRELSE', seats: 5 } });
    await server.client.request('query Broken { bodies { nope } }');

    const scraped = await get(server, '/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const metrics = scraped.text;
    expect(sample(metrics, 'kansli_graphql_requests_total', { operation: 'Bodies', outcome: 'ok' })).toBe(2);
    expect(sample(metrics, 'kansli_graphql_requests_total', { operation: '(anonymous)', outcome: 'ok' })).toBe(1);
    expect(sample(metrics, 'kansli_graphql_requests_total', { operation: 'Establish', outcome: 'FORBIDDEN' })).toBe(1);
    expect(sample(metrics, 'kansli_graphql_requests_total', { operation: 'Bodies', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(sample(metrics, 'kansli_graphql_requests_total', { operation: 'Establish', outcome: 'ok' })).toBe(1);
    expect(sample(metrics, 'kansli_graphql_requests_total', { operation: 'Broken', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sample(metrics, 'kansli_graphql_request_duration_seconds_count', { operation: 'Bodies', outcome: 'ok' })).toBe(2);
    expect(sample(metrics, 'kansli_graphql_request_duration_seconds_sum', { operation: 'Bodies', outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(metrics, 'kansli_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(sample(metrics, 'kansli_event_store_group_commit_appends_count')).toBe(1);
    expect(sample(metrics, 'kansli_event_store_group_commit_appends_sum')).toBe(1);
    expect(sample(metrics, 'kansli_projection_lag_events')).toBe(0);
    expect(metrics).toMatch(/^# TYPE kansli_projection_lag_events gauge$/m);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(metrics).toMatch(new RegExp(`^${name} `, 'm'));
    }
    // A scrape is not a GraphQL request, and a browser's GraphiQL page neither.
    expect(metrics).not.toMatch(/operation="\/metrics"/);
  });

  it('gives operation names chosen by clients no label unless they are GraphQL names', async () => {
    const response = await fetch(server.client.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ bodies { id } }', operationName: 'x"} 1\nevil' }),
    });
    expect(response.status).toBe(400);
    const metrics = (await get(server, '/metrics')).text;
    expect(metrics).not.toContain('evil');
    expect(sample(metrics, 'kansli_graphql_requests_total', { operation: '(anonymous)', outcome: 'OPERATION_RESOLUTION_FAILURE' }) + sample(metrics, 'kansli_graphql_requests_total', { operation: '(anonymous)', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
  });
});

describe('readiness on EventStoreDB (protocol fake)', () => {
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

  it('is ready when the replica\'s read models have caught up with the log, and 503 "does not answer" once EventStoreDB is gone', async () => {
    await server.admin.ok(ESTABLISH, { input: { name: 'Styrelsen', kind: 'STYRELSE', seats: 5 } });
    expect(await get(server, '/readyz')).toMatchObject({ status: 200, text: '{"status":"ready"}' });
    expect(sample((await get(server, '/metrics')).text, 'kansli_projection_lag_events')).toBe(0);

    await fake.close();
    const notReady = await get(server, '/readyz');
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.text)).toEqual({ status: 'not ready', reason: expect.stringMatching(/^the event store does not answer/) });
    expect((await get(server, '/healthz')).status).toBe(200);
  });
});
