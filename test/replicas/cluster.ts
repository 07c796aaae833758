import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';
import { GraphQLTestClient } from '@kansli/testing';
import { GraphQLHttp } from '../crash/graphql-http';
import { KansliProcess, freePort, serverLog, sleep } from '../crash/kansli-process';
import { readModelTables, type Dump } from '../crash/rebuild-check';
import { establishBoard, openQuorateMeeting } from '../support/board';

/** The compiled protocol fake's process, as `npm run esdb-fake` runs it (this file is compiled to dist/test/replicas/). */
const FAKE_MAIN = join(__dirname, '..', '..', 'libs', 'testing', 'src', 'eventstoredb-fake', 'esdb-fake-main.js');
const CLI_MAIN = join(__dirname, '..', '..', 'apps', 'kansli', 'src', 'cli', 'main.js');

/** The origin every replica signs the one log under (KANSLI_LOG_ORIGIN). */
export const LOG_ORIGIN = 'kansli.test/replicas';

/** The EventStoreDB protocol fake as its own process, its log kept in a journal so that it can be stopped and started again. */
export class FakeProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly connectionString: string,
    private readonly exited: Promise<unknown>,
  ) {}

  static async start(port: number, journal: string, log: WriteStream): Promise<FakeProcess> {
    const child = spawn(process.execPath, [FAKE_MAIN, '--port', String(port), '--journal', journal], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.pipe(log, { end: false });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const connectionString = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`the protocol fake exited with ${code} before listening (see ${log.path})`)));
    });
    return new FakeProcess(child, connectionString, exited);
  }

  /** SIGKILL: the server goes away at once, as a crashed or unplugged node does. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** A Kansli replica: the compiled server on EventStoreDB, its read models in its own data folder. */
export interface Replica {
  name: string;
  port: number;
  dataDir: string;
  process: KansliProcess;
  gql: GraphQLHttp;
}

/** Replicas on one EventStoreDB, sharing the keys in one secrets folder (made with the CLI's `keys`, as deploy/ does). */
export class Cluster {
  readonly replicas: Replica[] = [];
  private token = '';

  constructor(
    readonly work: string,
    readonly connectionString: string,
    private readonly log: WriteStream,
  ) {}

  /** The ADMIN+SEKRETERARE+REVISOR token (after `keys`). */
  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  get secretsDir(): string {
    return join(this.work, 'secrets');
  }

  env(): Record<string, string> {
    return { KANSLI_EVENTSTORE: this.connectionString, KANSLI_SECRETS_DIR: this.secretsDir, KANSLI_LOG_ORIGIN: LOG_ORIGIN, KANSLI_LOG_LEVEL: 'warn' };
  }

  /** Creates the shared keys and an ADMIN+SEKRETERARE+REVISOR token signed with them. */
  async keys(): Promise<void> {
    execFileSync(process.execPath, [CLI_MAIN, 'keys'], { env: { ...process.env, ...this.env(), KANSLI_DATA_DIR: join(this.work, 'cli') }, stdio: 'ignore' });
    const key = await SigningKey.loadOrCreate(join(this.secretsDir, SIGNING_KEY_FILE));
    this.token = await key.sign({ sub: 'replica-test', roles: ['ADMIN', 'SEKRETERARE', 'REVISOR'] }, 3600);
  }

  /** The test client on `replica`, with the token. */
  client(replica: Replica): GraphQLTestClient {
    return new GraphQLTestClient(`http://127.0.0.1:${replica.port}/graphql`).withHeaders({ authorization: this.authorization });
  }

  /** A board (test/support/board.ts) set up through `replica`, and a meeting of it opened at § `firstParagraph`. */
  async openMeeting(replica: Replica, firstParagraph: number, name?: string): Promise<string> {
    const gql = this.client(replica);
    return openQuorateMeeting(gql, await establishBoard(gql, name), '2018-06-14T09:00:00+02:00', firstParagraph);
  }

  /** Starts a replica (again, when `name` was started before: same port, same data folder). */
  async start(name: string): Promise<Replica> {
    const existing = this.replicas.find((replica) => replica.name === name);
    const port = existing?.port ?? (await freePort());
    const dataDir = existing?.dataDir ?? join(this.work, name);
    mkdirSync(dataDir, { recursive: true });
    existing?.gql.close();
    const process = await KansliProcess.start(dataDir, port, this.log, this.env());
    const replica = { name, port, dataDir, process, gql: new GraphQLHttp(port, `Bearer ${this.token}`) };
    if (existing) this.replicas[this.replicas.indexOf(existing)] = replica;
    else this.replicas.push(replica);
    return replica;
  }

  async stopAll(): Promise<void> {
    for (const replica of this.replicas) {
      replica.gql.close();
      await replica.process.stop();
    }
  }
}

/** GET a replica's /readyz: its status and body. */
export async function readiness(replica: Replica): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${replica.port}/readyz`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: (error as Error).message };
  }
}

/** Waits until every replica says it is ready (its read models have the whole log), or throws after `ms`. */
export async function allReady(replicas: readonly Replica[], ms = 30_000): Promise<void> {
  const until = performance.now() + ms;
  for (const replica of replicas) {
    for (;;) {
      const ready = await readiness(replica);
      if (ready.status === 200) break;
      if (performance.now() > until) throw new Error(`${replica.name} is not ready after ${ms} ms: ${ready.status} ${ready.body}`);
      await sleep(50);
    }
  }
}

/**
 * A replica's read models as comparable text (every read-model table's schema and rows, as the crash test compares
 * them), opened read-only beside the running server (WAL), and its position in the log. Left out, as dumpReadModels
 * leaves them out: the log tree's own tables and the signed checkpoints (each replica signs on its own clock); the
 * trees are compared by size and root instead.
 */
export function readModelDump(replica: Replica): { tables: Dump; position: string } {
  const db = new Database(join(replica.dataDir, 'read-models.db'), { readonly: true, fileMustExist: true });
  try {
    const tables = readModelTables(db);
    const positions = db.prepare('SELECT DISTINCT position FROM read_model_checkpoints').pluck().all() as string[];
    return { tables, position: positions.join(',') };
  } finally {
    db.close();
  }
}

export { serverLog, sleep };
