import { Logger } from 'nestjs-pino';
import { EventStore } from '@kansli/event-store';
import { startTestServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';

type Line = Record<string, unknown>;

/** Everything the server logs, as written (a pino destination: one JSON line per write). */
class CapturedLog {
  readonly written: string[] = [];
  write(chunk: string): void {
    this.written.push(chunk);
  }
  lines(): Line[] {
    return this.written.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Line);
  }
  /** The lines about one request; waits for them, since a line is written once the answer has left. */
  async of(correlationId: string, count = 1): Promise<Line[]> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const found = this.lines().filter((line) => line.correlationId === correlationId);
      if (found.length >= count) return found;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return this.lines().filter((line) => line.correlationId === correlationId);
  }
}

// One server for the file: nestjs-pino keeps one logger per process (per test file under Jest).
describe('the request log (pino)', () => {
  const log = new CapturedLog();
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }), { logs: log })] }));
    token = await server.token(['ADMIN', 'SEKRETERARE'], { sub: 'anna' });
  });
  afterAll(() => server.close());

  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(server.client.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('writes one JSON line per request: correlation id, operation, outcome, the principal\'s sub, status and duration', async () => {
    const response = await post({ query: 'query Bodies { bodies { id } }' }, { authorization: `Bearer ${token}`, 'x-correlation-id': 'log-test-1' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBe('log-test-1');
    const lines = await log.of('log-test-1');
    expect(lines).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        correlationId: 'log-test-1',
        method: 'POST',
        path: '/graphql',
        status: 200,
        durationMs: expect.any(Number),
        operation: 'Bodies',
        outcome: 'ok',
        sub: 'anna',
        msg: 'request completed',
      },
    ]);
  });

  it('logs a refusal with its code and no sub for the public, and one line for each of several requests', async () => {
    await post({ query: 'mutation Establish { establishBody(input: { name: "S", kind: STYRELSE, seats: 5 }) { id } }' }, { 'x-correlation-id': 'log-test-2' });
    await post({ query: '{ bodies { id } }' }, { 'x-correlation-id': 'log-test-2' });
    const lines = await log.of('log-test-2', 2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ operation: 'Establish', outcome: 'UNAUTHENTICATED', status: 200 });
    expect(lines[0]).not.toHaveProperty('sub');
    expect(lines[1]).toMatchObject({ outcome: 'ok' });
    expect(lines[1]).not.toHaveProperty('operation');
  });

  it('gives a request without x-correlation-id the id its events carry, and says it in the answer', async () => {
    const response = await post(
      { query: 'mutation Establish { establishBody(input: { name: "Styrelsen", kind: STYRELSE, seats: 5 }) { id } }' },
      { authorization: `Bearer ${token}` },
    );
    const id = response.headers.get('x-correlation-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = await server.app.get(EventStore).readAll({ direction: 'backwards', maxCount: 1 });
    expect(event.metadata.correlationId).toBe(id);
    expect(await log.of(id)).toEqual([expect.objectContaining({ operation: 'Establish', outcome: 'ok', sub: 'anna' })]);
  });

  it('never writes a token or secret: not the Authorization header, not a query string, not what other code logs', async () => {
    await post({ query: '{ bodies { id } }' }, { authorization: `Bearer ${token}`, 'x-correlation-id': 'log-test-4' });
    await fetch(`${server.client.url}?query=${encodeURIComponent('{ bodies { id } }')}&access_token=${token}`, { headers: { 'x-correlation-id': 'log-test-4', 'apollo-require-preflight': 'true' } });
    await post({ query: '{ bodies { id } }' }, { authorization: `Bearer ${token}x`, 'x-correlation-id': 'log-test-4' });
    const lines = await log.of('log-test-4', 3);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ method: 'GET', path: '/graphql' });
    expect(lines[2]).toMatchObject({ outcome: 'UNAUTHENTICATED' });
    // Whatever else is logged with an object is redacted where a secret could sit.
    server.app.get(Logger).log({ headers: { authorization: `Bearer ${token}` }, connectionParams: { authorization: `Bearer ${token}` }, webhook: { secret: 'whsec_c2VjcmV0' } }, 'Probe');
    const signature = token.split('.')[2];
    const everything = log.written.join('');
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(signature);
    expect(everything).not.toContain('whsec_c2VjcmV0');
    expect(everything).not.toMatch(/Bearer/i);
  });

  it('logs probes and scrapes at debug, so that they do not fill the log at info', async () => {
    await fetch(`${server.client.url.replace(/\/graphql$/, '')}/healthz`, { headers: { 'x-correlation-id': 'log-test-5' } });
    await post({ query: '{ bodies { id } }' }, { 'x-correlation-id': 'log-test-5' });
    const lines = await log.of('log-test-5');
    expect(lines.map((line) => line.path)).toEqual(['/graphql']);
  });
});
