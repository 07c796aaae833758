import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { GraphQLHttp } from './graphql-http';

/** The compiled server, as `npm start` runs it (this file is compiled to dist/test/crash/). */
export const SERVER_MAIN = join(__dirname, '..', '..', 'apps', 'kansli', 'src', 'main.js');

/** Environment for every incarnation: one token drives the load, and the checks read whole bodies in one query. */
export const SERVER_ENV = { KANSLI_RATE_LIMIT: '1000000', KANSLI_MAX_QUERY_COMPLEXITY: '1000000' };

/** The real server as a child process on the embedded engine in `dataDir`. */
export class KansliProcess {
  private exited: Promise<number | string>;

  private constructor(
    private readonly child: ChildProcess,
    /** From spawn to the first answered query. */
    readonly startupMs: number,
    /** CPU time the server used for it (Linux), to tell a slow start from a busy machine. */
    readonly startupCpuMs: number | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode ?? '?');
      else child.once('exit', (code, signal) => resolve(code ?? signal ?? '?'));
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /**
   * Spawns the server and waits until it answers a query. The time counted is what an operator waits after a
   * crash: process start, opening (and recovering) the database, catching up the read models, listening.
   */
  static async start(dataDir: string, port: number, log: WriteStream, env: Record<string, string> = {}): Promise<KansliProcess> {
    const started = performance.now();
    const child = spawn(process.execPath, [SERVER_MAIN], {
      env: { ...process.env, ...SERVER_ENV, ...env, PORT: String(port), KANSLI_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    let exit: string | undefined;
    child.once('exit', (code, signal) => (exit = `exited with ${code ?? signal} during startup`));
    const probe = new GraphQLHttp(port, undefined, 2_000);
    try {
      for (;;) {
        if (exit) throw new Error(`The server ${exit} (see ${log.path})`);
        if (performance.now() - started > 60_000) {
          child.kill('SIGKILL');
          throw new Error(`The server did not answer within 60 s (see ${log.path})`);
        }
        const outcome = await probe.send<{ bodies: unknown[] }>('{ bodies { id } }');
        if (outcome.kind === 'ok') break;
        await sleep(10);
      }
    } finally {
      probe.close();
    }
    return new KansliProcess(child, performance.now() - started, cpuMs(child.pid));
  }

  /** SIGKILL: no shutdown hook, no flush, no checkpoint; whatever was not synced is gone. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A clean stop at the end of the run. */
  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** User and system CPU time of a process so far, from /proc (clock ticks of 10 ms); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A port free right now (the kernel's pick), reused by every incarnation of the server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function serverLog(path: string): WriteStream {
  return createWriteStream(path, { flags: 'a' });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
