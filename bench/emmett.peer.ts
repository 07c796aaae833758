/**
 * (e) The nearest peer, Emmett's SQLite event store, run in a child process (forked by store.bench.ts) so that
 * its native sqlite3 addon, its console output and any crash stay out of the main benchmark.
 *
 * Loaded with a dynamic import, so the benchmark builds and runs without it installed. Reports through IPC.
 */
import path from 'node:path';
import { packageVersion } from './lib/env';
import { decisionData, decisionMetadata } from './lib/events';
import { now, summarize, type LatencySummary } from './lib/stats';

export type EmmettMode = 'one store, concurrent' | 'one store per writer' | 'one store, appends serialized';

/** What the parent asks one child for: the probe (versions, durability), or one mode. */
export type EmmettConfig =
  | { kind: 'probe'; dir: string }
  | { kind: 'mode'; mode: EmmettMode; file: string; writers: number; warmupMs: number; measureMs: number };

export interface EmmettModeResult {
  mode: EmmettMode;
  phase: 'warm-up' | 'measured';
  events: number;
  seconds: number;
  eventsPerSecond: number;
  latency: LatencySummary;
  /** Failed appends by error code and message. */
  errors: Record<string, number>;
  /** Appends still awaiting Emmett when the snapshot was taken. */
  pending: number;
  uncaught: number;
  consoleLines: number;
}

export interface EmmettProbe {
  versions: { emmettSqlite: string; emmett: string; sqlite3: string; sqlite: string };
  durability: { journalMode: string; synchronous: string; busyTimeoutMs: number; walAutocheckpoint: number };
}

/** Messages a child sends: progress snapshots every 250 ms, then `done` (the parent may kill a stuck child). */
export type EmmettMessage =
  | { kind: 'unavailable'; reason: string }
  | { kind: 'probe'; probe: EmmettProbe }
  | { kind: 'progress' | 'done'; result: EmmettModeResult };

/** The slice of @event-driven-io/emmett-sqlite (0.38) that the benchmark uses. */
interface EmmettEvent {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
interface EmmettStore {
  appendToStream(
    streamName: string,
    events: EmmettEvent[],
    options?: { expectedStreamVersion?: bigint },
  ): Promise<{ nextExpectedStreamVersion: bigint }>;
}
interface EmmettSqliteModule {
  getSQLiteEventStore(options: { fileName: string }): EmmettStore;
}
interface Sqlite3Database {
  get(sql: string, callback: (error: Error | null, row: Record<string, unknown>) => void): void;
  close(callback?: (error: Error | null) => void): void;
}
interface Sqlite3Module {
  Database: new (filename: string) => Sqlite3Database;
  VERSION: string;
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

async function load<T>(specifier: string): Promise<T> {
  // A variable specifier: TypeScript does not need the package, and swc turns this into require().
  return (await import(specifier)) as T;
}

/** Opens a connection exactly as Emmett does (a new sqlite3.Database, then PRAGMA journal_mode = WAL) and asks. */
async function probeDurability(sqlite3: Sqlite3Module, file: string) {
  const db = new sqlite3.Database(file);
  const get = (sql: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => db.get(sql, (error, row) => (error ? reject(error) : resolve(row))));
  await get('PRAGMA journal_mode = WAL');
  const journalMode = String((await get('PRAGMA journal_mode')).journal_mode);
  const synchronous = Number((await get('PRAGMA synchronous')).synchronous);
  const busyTimeoutMs = Number(Object.values(await get('PRAGMA busy_timeout'))[0]);
  const walAutocheckpoint = Number(Object.values(await get('PRAGMA wal_autocheckpoint'))[0]);
  const sqlite = String((await get('SELECT sqlite_version() AS v')).v);
  await new Promise<void>((resolve) => db.close(() => resolve()));
  return {
    durability: { journalMode, synchronous: `${SYNCHRONOUS[synchronous] ?? synchronous} (${synchronous})`, busyTimeoutMs, walAutocheckpoint },
    sqlite,
  };
}

let uncaught = 0;
let consoleLines = 0;

function send(message: EmmettMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
      return;
    }
    process.send(message, () => resolve());
  });
}

async function runMode(emmett: EmmettSqliteModule, config: Extract<EmmettConfig, { kind: 'mode' }>): Promise<EmmettModeResult> {
  const { mode, writers } = config;
  const fileName = config.file;
  const shared = emmett.getSQLiteEventStore({ fileName });
  await shared.appendToStream('setup-0', [{ type: 'Setup', data: {} }]); // creates the schema
  const stores = Array.from({ length: writers }, () =>
    mode === 'one store per writer' ? emmett.getSQLiteEventStore({ fileName }) : shared,
  );
  let chain: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };
  // The stream version each writer expects; undefined after a failure (then Emmett reads it in the transaction).
  const versions: Array<bigint | undefined> = Array.from({ length: writers }, () => 0n);
  let errors: Record<string, number> = {};
  let latencies: number[] = [];
  let phaseName: EmmettModeResult['phase'] = 'warm-up';
  let phaseStarted = now();
  let events = 0;
  let pending = 0;
  let seq = 0;

  const snapshot = (): EmmettModeResult => {
    const seconds = (now() - phaseStarted) / 1000;
    return {
      mode,
      phase: phaseName,
      events,
      seconds,
      eventsPerSecond: events / seconds,
      latency: summarize(latencies),
      errors: { ...errors },
      pending,
      uncaught,
      consoleLines,
    };
  };
  const progress = setInterval(() => void send({ kind: 'progress', result: snapshot() }), 250);

  async function append(w: number): Promise<void> {
    const started = now();
    const event: EmmettEvent = { type: 'DecisionTaken', data: decisionData(seq), metadata: { ...decisionMetadata(seq) } };
    seq++;
    const version = versions[w];
    const options = version === undefined ? {} : { expectedStreamVersion: version };
    const call = () => stores[w].appendToStream(`decision-${w}`, [event], options);
    pending++;
    try {
      const result = await (mode === 'one store, appends serialized' ? serialized(call) : call());
      versions[w] = result.nextExpectedStreamVersion;
      events++;
      latencies.push(now() - started);
    } catch (error) {
      versions[w] = undefined;
      const code = (error as { code?: string }).code ?? (error as Error).constructor?.name ?? 'Error';
      const key = `${code}: ${String((error as Error).message ?? error).slice(0, 70)}`;
      errors[key] = (errors[key] ?? 0) + 1;
    } finally {
      pending--;
    }
  }

  async function phase(ms: number): Promise<void> {
    const deadline = now() + ms;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        while (now() < deadline) await append(w);
      }),
    );
  }

  await phase(config.warmupMs);
  phaseName = 'measured';
  phaseStarted = now();
  events = 0;
  errors = {};
  latencies = [];
  await phase(config.measureMs);
  clearInterval(progress);
  return snapshot();
}

async function main(config: EmmettConfig): Promise<EmmettMessage> {
  let emmett: EmmettSqliteModule;
  let sqlite3: Sqlite3Module;
  try {
    emmett = await load<EmmettSqliteModule>('@event-driven-io/emmett-sqlite');
    sqlite3 = await load<Sqlite3Module>('sqlite3');
  } catch (error) {
    return { kind: 'unavailable', reason: `cannot load @event-driven-io/emmett-sqlite / sqlite3: ${(error as Error).message.split('\n')[0]}` };
  }
  if (config.kind === 'probe') {
    const probe = await probeDurability(sqlite3, path.join(config.dir, 'emmett-probe.db'));
    return {
      kind: 'probe',
      probe: {
        versions: {
          emmettSqlite: packageVersion('@event-driven-io/emmett-sqlite'),
          emmett: packageVersion('@event-driven-io/emmett'),
          sqlite3: packageVersion('sqlite3'),
          sqlite: probe.sqlite,
        },
        durability: probe.durability,
      },
    };
  }
  // Emmett logs every failed transaction with console.log; count instead of printing.
  console.log = () => {
    consoleLines++;
  };
  process.on('uncaughtException', () => uncaught++);
  process.on('unhandledRejection', () => uncaught++);
  return { kind: 'done', result: await runMode(emmett, config) };
}

if (require.main === module) {
  const config = JSON.parse(process.env.BENCH_EMMETT_CONFIG ?? '{}') as EmmettConfig;
  main(config)
    .catch((error: unknown): EmmettMessage => ({ kind: 'unavailable', reason: `failed: ${(error as Error)?.stack ?? String(error)}` }))
    .then(async (message) => {
      await send(message);
      process.exit(0);
    });
}
