import { Agent, request } from 'node:http';

export interface GraphQLError {
  message: string;
  extensions?: { code?: string; rule?: string };
}

/** Connections idle longer than this are not reused (the server drops them after 5 s). */
const IDLE_MS = 2_000;

/**
 * What became of a request: answered with data (`ok`), answered with an error (`refused`), or no answer at all
 * (`unknown`: the server died with the request in flight, so either outcome is allowed).
 */
export type Outcome<T> = { kind: 'ok'; data: T } | { kind: 'refused'; errors: GraphQLError[] } | { kind: 'unknown'; error: Error };

/**
 * GraphQL over HTTP with its own keep-alive agent, one per server incarnation: after a SIGKILL the old sockets are
 * dead, and a shared pool would hand them to the next incarnation's first requests.
 */
export class GraphQLHttp {
  private agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private closed = false;
  private inFlight = 0;
  private idleSince = performance.now();

  constructor(
    private readonly port: number,
    private readonly authorization?: string,
    private readonly timeoutMs = 30_000,
  ) {}

  send<T>(query: string, variables?: Record<string, unknown>): Promise<Outcome<T>> {
    if (this.closed) return Promise.resolve({ kind: 'unknown', error: new Error('client closed') });
    // The server closes a connection idle for 5 s (Node's keepAliveTimeout); reusing one just then fails the
    // request with "socket hang up". After a pause (a restart, a rebuild) start from fresh connections.
    if (this.inFlight === 0 && performance.now() - this.idleSince > IDLE_MS) {
      this.agent.destroy();
      this.agent = new Agent({ keepAlive: true, maxSockets: 64 });
    }
    this.inFlight++;
    const body = JSON.stringify({ query, variables });
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (this.authorization) headers.authorization = this.authorization;
    return new Promise<Outcome<T>>((resolve) => {
      const req = request({ host: '127.0.0.1', port: this.port, path: '/graphql', method: 'POST', headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => resolve({ kind: 'unknown', error }));
        res.on('end', () => {
          // A body cut off by the kill reads as incomplete JSON: no answer, not a refusal.
          if (!res.complete) return resolve({ kind: 'unknown', error: new Error('response cut off') });
          let parsed: { data?: T | null; errors?: GraphQLError[] };
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof parsed;
          } catch (error) {
            return resolve({ kind: 'unknown', error: error as Error });
          }
          if (parsed.errors?.length) resolve({ kind: 'refused', errors: parsed.errors });
          else if (parsed.data) resolve({ kind: 'ok', data: parsed.data });
          else resolve({ kind: 'refused', errors: [{ message: `HTTP ${res.statusCode} without data` }] });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error) => resolve({ kind: 'unknown', error }));
      req.end(body);
    }).finally(() => {
      if (--this.inFlight === 0) this.idleSince = performance.now();
    });
  }

  /** Sends and insists on success (for setup and checks, where the server is up and nothing is killed). */
  async ok<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
    let outcome = await this.send<T>(query, variables);
    // A query changes nothing: one more try when the connection failed.
    if (outcome.kind === 'unknown' && !/^\s*mutation/.test(query)) outcome = await this.send<T>(query, variables);
    if (outcome.kind === 'ok') return outcome.data;
    const why = outcome.kind === 'refused' ? outcome.errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`).join('; ') : outcome.error.message;
    throw new Error(`${query.slice(0, 80)}… failed: ${why}`);
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }
}
