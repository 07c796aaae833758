import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';

// The real server as a child process, compiled as `npm run build` compiles it, into a folder of its own under
// dist/ (ignored by git), so that a fresh clone needs nothing built beforehand and a concurrent build is left alone.
const ROOT = join(__dirname, '..');
const BUILD = join(ROOT, 'dist', `shutdown-e2e-${process.pid}`);
const BURST = 24;

class ServerProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.output.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.output.push(chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(port: number, dataDir: string): Promise<ServerProcess> {
    const child = spawn(process.execPath, [join(BUILD, 'apps', 'kansli', 'src', 'main.js')], {
      env: { ...process.env, PORT: String(port), KANSLI_DATA_DIR: dataDir, KANSLI_LOG_LEVEL: 'info', KANSLI_RATE_LIMIT: '100000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child);
    let exit: string | undefined;
    void server.exited.then(({ code, signal }) => (exit = `${code ?? signal}`));
    for (let attempt = 0; ; attempt++) {
      if (exit !== undefined) throw new Error(`The server exited with ${exit} during startup:\n${server.output.join('')}`);
      if (attempt > 1200) throw new Error(`The server did not become ready:\n${server.output.join('')}`);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.status === 200, () => false);
      if (ready) return server;
      await sleep(50);
    }
  }

  /** The JSON lines the server wrote to standard output (a pipe, not a terminal: JSON, not pretty). */
  lines(): Array<Record<string, unknown>> {
    return this.output.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** A request whose headers and first half of the body are sent now, and the rest when `finish` is called. */
function slowRequest(port: number, token: string, query: string, variables: object) {
  const body = Buffer.from(JSON.stringify({ query, variables }));
  const half = Math.floor(body.length / 2);
  const req = request({
    host: '127.0.0.1',
    port,
    path: '/graphql',
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` },
  });
  const answer = new Promise<{ status: number; connection: string | undefined; body: { data?: { establishBody?: { id: string } }; errors?: unknown } }>((resolve, reject) => {
    req.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.once('error', reject);
  });
  req.write(body.subarray(0, half));
  return { answer, finish: () => req.end(body.subarray(half)) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a new connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function inFlight(port: number): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^kansli_http_requests_in_flight (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

describe('a stop signal (SIGTERM)', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', '@swc', 'cli', 'bin', 'swc.js'), 'apps', 'libs', '-d', BUILD, '--quiet', '--ignore', '**/*.spec.ts', '--ignore', '**/*.contract.ts', '--ignore', 'libs/testing/**'], { cwd: ROOT, stdio: 'pipe' });
    dataDir = mkdtempSync(join(tmpdir(), 'kansli-shutdown-'));
  }, 120_000);
  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(BUILD, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every request in flight, closes idle connections and subscriptions, closes the store and exits 0; the answered writes are there after a restart', async () => {
    const port = await freePort();
    server = await ServerProcess.start(port, dataDir);
    const token = await (await SigningKey.loadOrCreate(join(dataDir, SIGNING_KEY_FILE))).sign({ sub: 'shutdown-test', roles: ['ADMIN'] }, 600);

    // An idle keep-alive connection, and a subscription socket: neither may hold the server.
    const idleAgent = new Agent({ keepAlive: true });
    const idleClosed = new Promise<void>((resolve) =>
      request({ host: '127.0.0.1', port, path: '/healthz', agent: idleAgent }, (response) => {
        response.socket.once('close', () => resolve());
        response.resume();
      }).end(),
    );
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    const acknowledged = new Promise<void>((resolve) => socket.on('message', (message) => JSON.parse(String(message)).type === 'connection_ack' && resolve()));
    const socketClosed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await acknowledged;

    // The burst: every request received (its headers and half its body), none answered yet.
    const burst = Array.from({ length: BURST }, (_, n) =>
      slowRequest(port, token, 'mutation Establish($input: EstablishBodyInput!) { establishBody(input: $input) { id } }', { input: { name: `Nämnd ${n + 1}`, kind: 'NAMND', seats: 5 } }),
    );
    for (let attempt = 0; (await inFlight(port)) < BURST + 1; attempt++) {
      if (attempt > 400) throw new Error(`The server never had the burst in flight: ${await inFlight(port)} of ${BURST}`);
      await sleep(25);
    }

    // The stop closes the subscriptions first, then stops GraphQL, which drains HTTP before it refuses operations:
    // the burst's bodies arrive only after that, while GraphQL would otherwise be stopping.
    server.child.kill('SIGTERM');
    expect(await socketClosed).toBe(1001);
    for (let attempt = 0; !(await refused(port)); attempt++) {
      if (attempt > 400) throw new Error('The server still accepts connections after SIGTERM');
      await sleep(25);
    }
    // Idle connections are closed at once, while the burst still holds the server.
    await idleClosed;
    for (const part of burst) part.finish();
    const answers = await Promise.all(burst.map((part) => part.answer));
    const exit = await server.exited;

    expect(answers.map((answer) => answer.status)).toEqual(Array(BURST).fill(200));
    expect(answers.filter((answer) => answer.body.errors === undefined && answer.body.data?.establishBody?.id)).toHaveLength(BURST);
    expect(answers.map((answer) => answer.connection)).toEqual(Array(BURST).fill('close'));
    expect(exit).toEqual({ code: 0, signal: null });
    // The store was closed, not abandoned: SQLite's last connection folds the WAL into the database and removes it.
    expect(existsSync(join(dataDir, 'kansli.db-wal'))).toBe(false);
    const lines = server.lines();
    expect(lines.filter((line) => line.msg === 'request completed' && line.operation === 'Establish' && line.outcome === 'ok')).toHaveLength(BURST);
    expect(server.output.join('')).not.toContain(token.split('.')[2]);
    idleAgent.destroy();

    server = await ServerProcess.start(port, dataDir);
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ bodies { name } }' }),
    });
    const { data } = (await response.json()) as { data: { bodies: Array<{ name: string }> } };
    expect(data.bodies.map((body) => body.name).sort()).toEqual(Array.from({ length: BURST }, (_, n) => `Nämnd ${n + 1}`).sort());
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
