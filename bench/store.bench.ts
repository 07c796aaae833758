/**
 * Event store benchmark: `npm run bench:store` (builds, then runs dist/bench/store.bench.js with --expose-gc).
 *
 *   (a) ceiling: raw better-sqlite3, engine schema and pragmas('full'), 100 events per transaction
 *   (b) the SQLite engine through the port: 64 writers, single-event appends to their own streams, durable
 *   (c) as (b), 16 of the 64 writers contending for one hot stream (exact expectedRevision, retry on conflict)
 *   (d) readStream of a 100-event stream; readAll over 1,000,000 events
 *   append cost in a store of 10,000 events vs one of 1,000,000
 *   (e) Emmett's SQLite event store doing (b)'s work (in a child process; skipped cleanly if not installed)
 *   (t) the log tree's cost: (b) with the Merkle tree kept and without, in alternating rounds (target ≥ 90 %)
 *
 * Environment: BENCH_QUICK=1 (smoke run in seconds), BENCH_DIR (default ./.bench), BENCH_KEEP=1 (keep the
 * databases), BENCH_EMMETT=0 (skip e), BENCH_BIG_EVENTS, BENCH_WRITERS, BENCH_HOT_WRITERS, BENCH_RAW_MS,
 * BENCH_APPEND_MS, BENCH_SIZE_ROUNDS, BENCH_EMMETT_MS, BENCH_LOG_TREE=0 (every engine store without the log tree),
 * BENCH_TREE_ROUNDS (rounds of (t); 0 skips it), BENCH_TREE_MS.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAllEvents, SqliteEventStore, type RecordedEvent } from '@kansli/event-store';
import type { EmmettConfig, EmmettMessage, EmmettMode, EmmettModeResult, EmmettProbe } from './emmett.peer';
import { cpuModel, diskInfo, envInt, loadAverage, packageVersion, QUICK, writtenBytes } from './lib/env';
import { eventSizes, rawRow, type RawRow } from './lib/events';
import { fillRaw, openRaw } from './lib/raw-store';
import { fmt, fmtInt, fmtMs, gc, median, now, summarize, table, type LatencySummary } from './lib/stats';
import { measureTreeCost, type TreeCost } from './lib/tree-cost';
import { runWriters, type WriterResult } from './lib/writers';


const config = {
  writers: envInt('BENCH_WRITERS', 64, 64),
  hotWriters: envInt('BENCH_HOT_WRITERS', 16, 16),
  rawMs: envInt('BENCH_RAW_MS', 6000, 800),
  appendMs: envInt('BENCH_APPEND_MS', 8000, 1000),
  warmupMs: QUICK ? 200 : 1000,
  readStreamMs: QUICK ? 300 : 2000,
  bigEvents: envInt('BENCH_BIG_EVENTS', 1_000_000, 50_000),
  smallEvents: 10_000,
  /** Alternating rounds of the append-cost comparison; each appends writers × sizeAppends events. */
  sizeRounds: envInt('BENCH_SIZE_ROUNDS', 7, 1),
  sizeAppends: QUICK ? 10 : 50,
  emmett: process.env.BENCH_EMMETT !== '0',
  emmettMs: envInt('BENCH_EMMETT_MS', 6000, 800),
  keep: process.env.BENCH_KEEP === '1',
  /** The switch: the engine's stores keep the log's Merkle tree (the default) or not. */
  logTree: process.env.BENCH_LOG_TREE !== '0',
  treeRounds: envInt('BENCH_TREE_ROUNDS', 5, 1),
  treeMs: envInt('BENCH_TREE_MS', 4000, 800),
  root: path.resolve(process.env.BENCH_DIR ?? path.join(process.cwd(), '.bench')),
};

const out = (line = '') => process.stdout.write(`${line}\n`);
const section = (title: string) => out(`\n== ${title}`);
const rate = (events: number, seconds: number) => events / seconds;
const written = (bytesPerEvent: number | undefined) =>
  bytesPerEvent === undefined ? '' : `; ${fmt(bytesPerEvent / 1024)} KiB written (WAL + checkpoints) per event`;
const lat = (l: LatencySummary) => `p50 ${fmtMs(l.p50)}, p99 ${fmtMs(l.p99)}, max ${fmtMs(l.max)}`;

interface Results {
  raw?: { eventsPerSecond: number; events: number; seconds: number; txn: LatencySummary; bytesPerEvent?: number };
  commitLatency?: LatencySummary;
  engine?: WriterResult;
  contended?: WriterResult;
  fill?: { events: number; seconds: number; bytes: number };
  readStream?: { opsPerSecond: number; usPerRead: number };
  readAll?: { eventsPerSecond: number; seconds: number; events: number };
  readAll1k?: { eventsPerSecond: number; seconds: number; events: number };
  readAllDecoded?: { eventsPerSecond: number; seconds: number; events: number };
  readAllEvents?: { eventsPerSecond: number; seconds: number; events: number };
  size?: { small: number[]; big: number[]; smallP50: number[]; bigP50: number[]; smallBytes: number[]; bigBytes: number[] };
  emmett?: EmmettReport;
  treeCost?: TreeCost;
  errors: string[];
}

const results: Results = { errors: [] };

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  gc();
  try {
    await fn();
  } catch (error) {
    const message = `${name}: ${(error as Error)?.stack ?? String(error)}`;
    results.errors.push(message);
    out(`!! ${message}`);
  }
}

/** (a) The ceiling: the engine's INSERT in transactions of 100 events, nothing else. */
function measureRaw(dir: string): void {
  const store = openRaw(path.join(dir, 'a-raw.db'), 'full');
  const recordedAt = new Date().toISOString();
  const streams = config.writers;
  const revisions = new Array<number>(streams).fill(0);
  let seq = 0;
  const batchOf = (size: number): RawRow[] =>
    Array.from({ length: size }, () => {
      const stream = seq % streams;
      return rawRow(`raw-${stream}`, revisions[stream]++, seq++, recordedAt);
    });

  // a0: what one durable commit costs on this disk (one event per transaction).
  const single: number[] = [];
  for (let i = 0; i < (QUICK ? 30 : 200); i++) {
    const rows = batchOf(1);
    const started = now();
    store.writeBatch(rows);
    single.push(now() - started);
  }
  results.commitLatency = summarize(single);
  out(`(a0) one event per transaction, synchronous=FULL: commit ${lat(results.commitLatency)}`);

  const warmupEnd = now() + config.warmupMs / 2;
  while (now() < warmupEnd) store.writeBatch(batchOf(100));
  const txn: number[] = [];
  let events = 0;
  const bytesBefore = writtenBytes();
  const started = now();
  const deadline = started + config.rawMs;
  while (now() < deadline) {
    const t = now();
    store.writeBatch(batchOf(100)); // serialising the JSON and the ids is counted, as the engine's writers do it too
    txn.push(now() - t);
    events += 100;
  }
  const seconds = (now() - started) / 1000;
  const bytesAfter = writtenBytes();
  store.db.close();
  const bytesPerEvent = bytesBefore !== undefined && bytesAfter !== undefined ? (bytesAfter - bytesBefore) / events : undefined;
  results.raw = { eventsPerSecond: rate(events, seconds), events, seconds, txn: summarize(txn), bytesPerEvent };
  out(`(a)  raw better-sqlite3, 100 events/transaction, WAL + synchronous=FULL: ${fmtInt(results.raw.eventsPerSecond)} events/s`);
  out(`     ${fmtInt(events)} events in ${fmt(seconds, 2)} s; transaction ${lat(results.raw.txn)}${written(bytesPerEvent)}`);
}

function describeWriters(label: string, r: WriterResult): void {
  out(`${label}: ${fmtInt(r.eventsPerSecond)} events/s`);
  out(`     ${fmtInt(r.events)} events in ${fmt(r.seconds, 2)} s; append ${lat(r.latency)}`);
  out(`     ${fmtInt(r.commits)} group commits, ${fmt(r.appendsPerCommit)} appends per commit${written(r.bytesPerEvent)}`);
  if (r.hot) {
    out(
      `     hot stream: ${fmtInt(r.hot.events)} events (${fmt(r.hot.eventsPerSecond)} /s), ${fmtInt(r.hot.conflicts)} conflicts ` +
        `(ConcurrencyError, each followed by a re-read and a retry), ${fmtInt(r.hot.retried)} appends needed ≥1 retry, ` +
        `max ${r.hot.maxRetries} retries for one append; hot append ${lat(r.hot.latency)}`,
    );
  }
}

async function measureEngine(dir: string, name: string, hotWriters: number): Promise<WriterResult> {
  const store = new SqliteEventStore({ filename: path.join(dir, name), durability: 'full', logTree: config.logTree });
  try {
    return await runWriters(store, {
      writers: config.writers,
      hotWriters,
      streamPrefix: hotWriters > 0 ? 'contended' : 'decision',
      warmup: { ms: config.warmupMs },
      measure: { ms: config.appendMs },
    });
  } finally {
    await store.close();
  }
}

async function measureReads(bigFile: string, streamName: string): Promise<void> {
  const store = new SqliteEventStore({ filename: bigFile, durability: 'full', logTree: config.logTree });
  try {
    // readStream of a 100-event stream whose events are spread over the log.
    const check = await store.readStream(streamName);
    if (check.length !== 100) throw new Error(`${streamName} has ${check.length} events, expected 100`);
    for (let i = 0; i < 200; i++) await store.readStream(streamName);
    let ops = 0;
    const started = now();
    const deadline = started + config.readStreamMs;
    while (now() < deadline) {
      for (let i = 0; i < 50; i++) await store.readStream(streamName);
      ops += 50;
    }
    const seconds = (now() - started) / 1000;
    results.readStream = { opsPerSecond: ops / seconds, usPerRead: (seconds * 1e6) / ops };
    out(
      `(d)  readStream, 100 events: ${fmtInt(results.readStream.opsPerSecond)} reads/s, ${fmt(results.readStream.usPerRead)} µs per read ` +
        `(${fmtInt(results.readStream.opsPerSecond * 100)} events/s)`,
    );

    // readAll over the whole log, page by page (maxCount 10,000 and 1,000), then through readAllEvents.
    // The engine decodes data and metadata on first access, so the "decoded" run also touches both of every
    // event: the cost a consumer pays that reads every payload.
    const variants: Array<{ key: 'readAll' | 'readAll1k' | 'readAllDecoded'; pageSize: number; decode: boolean; label: string }> = [
      { key: 'readAll', pageSize: 10_000, decode: false, label: 'readAll, pages of 10,000' },
      { key: 'readAll1k', pageSize: 1_000, decode: false, label: 'readAll, pages of 1,000' },
      { key: 'readAllDecoded', pageSize: 1_000, decode: true, label: 'readAll, pages of 1,000, every data+metadata decoded' },
    ];
    for (const { key, pageSize, decode, label } of variants) {
      gc();
      let events = 0;
      let touched = 0;
      let from: bigint | 'start' = 'start';
      const started = now();
      for (;;) {
        const page: RecordedEvent[] = await store.readAll({ fromPosition: from, maxCount: pageSize });
        if (page.length === 0) break;
        events += page.length;
        if (decode) for (const event of page) touched += Object.keys(event.data).length + (event.metadata.occurredAt ? 1 : 0);
        from = page[page.length - 1].position + 1n;
      }
      const seconds = (now() - started) / 1000;
      results[key] = { eventsPerSecond: events / seconds, seconds, events };
      out(`(d)  ${label}: ${fmtInt(events)} events in ${fmt(seconds, 2)} s = ${fmtInt(events / seconds)} events/s${decode ? ` (${fmtInt(touched)} fields read)` : ''}`);
    }

    gc();
    let events = 0;
    const started2 = now();
    for await (const event of readAllEvents(store)) if (event.position > 0n) events++;
    const seconds2 = (now() - started2) / 1000;
    results.readAllEvents = { eventsPerSecond: events / seconds2, seconds: seconds2, events };
    out(`(d)  readAllEvents generator, default pages (1,000): ${fmtInt(events)} events in ${fmt(seconds2, 2)} s = ${fmtInt(results.readAllEvents.eventsPerSecond)} events/s`);
  } finally {
    await store.close();
  }
}

/** Append cost by store size: alternating rounds, a fresh 10k store each round, the same big store throughout. */
async function measureSize(dir: string, bigFile: string, bigEvents: number): Promise<void> {
  const size = {
    small: [] as number[],
    big: [] as number[],
    smallP50: [] as number[],
    bigP50: [] as number[],
    smallBytes: [] as number[],
    bigBytes: [] as number[],
  };
  for (let round = 0; round < config.sizeRounds; round++) {
    const smallFile = path.join(dir, `size-small-${round}.db`);
    fillRaw(smallFile, { events: config.smallEvents, streams: 200 });
    for (const [kind, file] of [
      ['small', smallFile],
      ['big', bigFile],
    ] as const) {
      gc();
      const store = new SqliteEventStore({ filename: file, durability: 'full', logTree: config.logTree });
      try {
        const r = await runWriters(store, {
          writers: config.writers,
          streamPrefix: `size-r${round}`,
          warmup: { appends: 5 },
          measure: { appends: config.sizeAppends },
        });
        size[kind].push(1e6 / r.eventsPerSecond);
        size[kind === 'small' ? 'smallP50' : 'bigP50'].push(r.latency.p50);
        size[kind === 'small' ? 'smallBytes' : 'bigBytes'].push(r.bytesPerEvent ?? NaN);
      } finally {
        await store.close();
      }
    }
    removeDb(smallFile);
    out(
      `     round ${round + 1}: ${fmt(size.small[round])} µs/event at ${fmtInt(config.smallEvents)} events (${fmt(size.smallBytes[round] / 1024)} KiB written/event), ` +
        `${fmt(size.big[round])} µs/event at ${fmtInt(bigEvents)} (${fmt(size.bigBytes[round] / 1024)} KiB written/event)`,
    );
  }
  results.size = size;
  const small = median(size.small);
  const big = median(size.big);
  out(
    `     append cost (median of ${config.sizeRounds}): ${fmt(small)} µs/event (${fmtInt(1e6 / small)} events/s, append p50 ${fmtMs(median(size.smallP50))}) ` +
      `at ${fmtInt(config.smallEvents)} events; ${fmt(big)} µs/event (${fmtInt(1e6 / big)} events/s, append p50 ${fmtMs(median(size.bigP50))}) at ${fmtInt(bigEvents)}; ratio ${fmt(big / small, 2)}×`,
  );
}

type EmmettRun = EmmettModeResult & { killed?: string };
type EmmettReport = { available: false; reason: string } | { available: true; probe: EmmettProbe; modes: EmmettRun[] };

interface ChildOutcome {
  message?: EmmettMessage;
  /** Set when the child had to be killed: how long it had run. */
  killedAfterMs?: number;
  exit: string;
  stderr: string;
}

/** Forks emmett.peer.js for one job, keeps its last message, and kills it (this child only) past `timeoutMs`. */
function runChild(childConfig: EmmettConfig, timeoutMs: number): Promise<ChildOutcome> {
  return new Promise<ChildOutcome>((resolve) => {
    const started = now();
    const child = fork(path.join(__dirname, 'emmett.peer.js'), [], {
      env: { ...process.env, BENCH_EMMETT_CONFIG: JSON.stringify(childConfig) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let message: EmmettMessage | undefined;
    let killedAfterMs: number | undefined;
    let stderr = '';
    const timer = setTimeout(() => {
      killedAfterMs = now() - started;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('message', (m) => (message = m as EmmettMessage));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ message, exit: `could not start: ${error.message}`, stderr });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ message, killedAfterMs, exit: signal ? `signal ${signal}` : `code ${code}`, stderr });
    });
  });
}

async function runEmmett(dir: string): Promise<EmmettReport> {
  const probe = await runChild({ kind: 'probe', dir }, 60_000);
  if (probe.message?.kind === 'unavailable') return { available: false, reason: probe.message.reason };
  if (probe.message?.kind !== 'probe') {
    return { available: false, reason: `the probe child ended (${probe.exit}) without a report: ${probe.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  }
  const warmup = QUICK ? 200 : 1000;
  const plan: Array<{ mode: EmmettMode; warmupMs: number; measureMs: number }> = [
    // The two concurrent modes fail rather than measure anything: no warm-up, short, killed if stuck.
    { mode: 'one store, concurrent', warmupMs: 0, measureMs: Math.min(2000, config.emmettMs) },
    { mode: 'one store per writer', warmupMs: 0, measureMs: Math.min(3000, config.emmettMs) },
    { mode: 'one store, appends serialized', warmupMs: warmup, measureMs: config.emmettMs },
  ];
  const modes: EmmettRun[] = [];
  for (const [index, step] of plan.entries()) {
    const grace = 4000; // child start-up, schema, and the appends in flight at the deadline
    const outcome = await runChild(
      { kind: 'mode', file: path.join(dir, `e-emmett-${index}.db`), writers: config.writers, ...step },
      step.warmupMs + step.measureMs + grace,
    );
    const m = outcome.message;
    if (m?.kind === 'progress' || m?.kind === 'done') {
      const killed =
        outcome.killedAfterMs !== undefined
          ? `still stuck ${fmt((outcome.killedAfterMs - step.warmupMs - step.measureMs) / 1000)} s after its deadline with ${m.result.pending} appends pending: killed; figures are from the last snapshot`
          : m.kind === 'progress'
            ? `the child ended (${outcome.exit}) before reporting: figures are from the last snapshot`
            : undefined;
      modes.push({ ...m.result, killed });
    } else {
      const reason = m?.kind === 'unavailable' ? m.reason : `no report (${outcome.exit}): ${outcome.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      return { available: false, reason: `${step.mode}: ${reason}` };
    }
  }
  return { available: true, probe: probe.message.probe, modes };
}

function describeEmmett(report: EmmettReport): void {
  if (!report.available) {
    out(`(e)  Emmett not measured: ${report.reason}`);
    return;
  }
  const v = report.probe.versions;
  const d = report.probe.durability;
  out(`     @event-driven-io/emmett-sqlite ${v.emmettSqlite}, @event-driven-io/emmett ${v.emmett}, sqlite3 ${v.sqlite3} (SQLite ${v.sqlite})`);
  out(
    `     durability as Emmett opens its connections: journal_mode=${d.journalMode}, synchronous=${d.synchronous} (not set by Emmett: ` +
      `the SQLite default), busy_timeout=${d.busyTimeoutMs} ms (node-sqlite3 default), wal_autocheckpoint=${d.walAutocheckpoint}`,
  );
  out(
    d.journalMode.toLowerCase() === 'wal' && d.synchronous.startsWith('FULL')
      ? '     => same durability as the engine (WAL, synchronous=FULL): a like-for-like comparison'
      : '     => NOT the engine’s durability (WAL + synchronous=FULL): the comparison is at different durability',
  );
  out('     Emmett 0.38 opens a new sqlite3 connection per operation on a file database (and closes it after), with PRAGMA journal_mode = WAL');
  for (const m of report.modes) {
    const errors = Object.entries(m.errors);
    const failed = errors.reduce((sum, [, n]) => sum + n, 0);
    out(
      `(e)  Emmett, ${m.mode}: ${fmtInt(m.eventsPerSecond)} events/s (${fmtInt(m.events)} appends ok, ${fmtInt(failed)} failed, ` +
        `in ${fmt(m.seconds, 2)} s${m.phase === 'warm-up' ? ' of warm-up' : ''}; append ${lat(m.latency)})`,
    );
    for (const [key, n] of errors.sort((x, y) => y[1] - x[1]).slice(0, 4)) out(`       ${fmtInt(n)} × ${key}`);
    if (m.uncaught > 0) out(`       ${m.uncaught} uncaught exceptions / unhandled rejections in the child`);
    if (m.consoleLines > 0) out(`       (Emmett printed ${fmtInt(m.consoleLines)} console.log lines — its failed-transaction log — suppressed)`);
    if (m.killed) out(`       ${m.killed}`);
  }
}

/** The working Emmett figure to compare with: the fastest mode in which no append failed. */
function emmettBest(report: EmmettReport | undefined): EmmettModeResult | undefined {
  if (!report?.available) return undefined;
  const clean = report.modes.filter(
    (m) => Object.keys(m.errors).length === 0 && m.uncaught === 0 && m.events > 0 && !m.killed && m.phase === 'measured',
  );
  return clean.sort((x, y) => y.eventsPerSecond - x.eventsPerSecond)[0];
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

async function main(): Promise<void> {
  const startedAt = now();
  fs.mkdirSync(config.root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(config.root, 'run-'));
  const disk = diskInfo(dir);
  const sizes = eventSizes();
  const sqliteVersion = (() => {
    const probe = openRaw(':memory:', 'full');
    const version = probe.db.prepare('SELECT sqlite_version()').pluck().get() as string;
    probe.db.close();
    return version;
  })();
  out(`Event store benchmark${QUICK ? ' (BENCH_QUICK=1: scaled down, figures are not meaningful)' : ''}`);
  out(`log tree: ${config.logTree ? 'kept by every engine store (BENCH_LOG_TREE=0 turns it off)' : 'OFF (BENCH_LOG_TREE=0)'}`);
  out(`dir ${dir} (${disk.fsType}, ${fmt(disk.freeGiB)} GiB free; ${disk.sameDeviceAsTmpdir ? 'same' : 'NOT the same'} device as os.tmpdir() ${disk.tmpdir})`);
  out(`events: DecisionTaken, data ${fmtInt(sizes.data)} B JSON on average (${sizes.minData}–${sizes.maxData} B), metadata ${fmtInt(sizes.metadata)} B`);
  out(`load average at start: ${loadAverage()}`);

  section(`(a) ceiling: raw better-sqlite3 ${packageVersion('better-sqlite3')}, SQLite ${sqliteVersion}, EVENTS_SCHEMA + pragmas('full')`);
  await step('(a)', async () => measureRaw(dir));

  section(`(b) SqliteEventStore: ${config.writers} writers, single-event appends to their own streams, durability full`);
  await step('(b)', async () => {
    results.engine = await measureEngine(dir, 'b-engine.db', 0);
    describeWriters('(b) ', results.engine);
  });

  section(`(t) the log tree's cost: (b) with the Merkle tree and without it, ${config.treeRounds} alternating rounds of ${fmt(config.treeMs / 1000)} s each`);
  if (config.treeRounds > 0) {
    await step('(t)', async () => {
      results.treeCost = await measureTreeCost({
        dir,
        rounds: config.treeRounds,
        writers: config.writers,
        warmupMs: config.warmupMs,
        measureMs: config.treeMs,
        onRound: (round, on, off) => out(`     round ${round + 1}: with the tree ${fmtInt(on)} events/s, without ${fmtInt(off)} events/s (${fmt((on / off) * 100)} %)`),
      });
      const t = results.treeCost;
      out(`(t)  median of the rounds' ratios: ${fmt(t.ratio * 100)} %; medians ${fmtInt(t.medianOn)} events/s with the tree, ${fmtInt(t.medianOff)} without (${fmt(t.ratioOfMedians * 100)} %)`);
      out(`     CPU per event (median): ${fmt(t.cpuOn)} µs with the tree, ${fmt(t.cpuOff)} µs without: the tree adds ${fmt(t.cpuOn - t.cpuOff)} µs (${fmt(t.cpuRatio * 100)} % if (b) were bound by this CPU alone)`);
    });
  } else {
    out('(t)  skipped (BENCH_TREE_ROUNDS=0)');
  }

  section(`(c) as (b), ${config.hotWriters} of the ${config.writers} writers on one hot stream (read revision, exact expectedRevision, retry on ConcurrencyError)`);
  await step('(c)', async () => {
    results.contended = await measureEngine(dir, 'c-contended.db', config.hotWriters);
    describeWriters('(c) ', results.contended);
  });

  section(`(d) reads: store of ${fmtInt(config.bigEvents)} events`);
  const bigFile = path.join(dir, 'd-big.db');
  const readStreamName = 'decision-read100';
  await step('(d) fill', async () => {
    const streams = Math.max(100, Math.round(config.bigEvents / 50));
    const fill = fillRaw(bigFile, { events: config.bigEvents, streams, extraStream: { name: readStreamName, events: 100 } });
    results.fill = { events: config.bigEvents, ...fill };
    out(
      `     filled with the raw INSERT path of (a) into the same schema, synchronous=NORMAL, 10,000 events per transaction: ` +
        `${fmtInt(config.bigEvents)} events in ${fmtInt(streams)} streams plus ${readStreamName} (100 events spread over the log) ` +
        `in ${fmt(fill.seconds)} s (${fmtInt(config.bigEvents / fill.seconds)} events/s), ${fmt(fill.bytes / 2 ** 20, 0)} MiB`,
    );
  });
  if (results.fill) await step('(d) reads', () => measureReads(bigFile, readStreamName));

  section(`append cost by store size: ${config.writers} writers × ${config.sizeAppends} appends per round, ${fmtInt(config.smallEvents)} vs ${fmtInt(config.bigEvents)} events, durability full`);
  if (results.fill) await step('size', () => measureSize(dir, bigFile, config.bigEvents));
  if (!config.keep) removeDb(bigFile);

  section(`(e) nearest peer: Emmett's SQLite event store, ${config.writers} writers appending single events to their own streams`);
  if (config.emmett) {
    await step('(e)', async () => {
      results.emmett = await runEmmett(dir);
      describeEmmett(results.emmett);
    });
  } else {
    out('(e)  skipped (BENCH_EMMETT=0)');
  }

  summary();
  out(
    `\nmachine: cpu="${cpuModel()}" cores=${os.cpus().length} node=${process.version} better-sqlite3=${packageVersion('better-sqlite3')} ` +
      `sqlite=${sqliteVersion} disk=${dir} (${disk.fsType}, same device as ${disk.tmpdir}: ${disk.sameDeviceAsTmpdir ? 'yes' : 'no'}) ` +
      `load=${loadAverage()} total=${fmt((now() - startedAt) / 1000)}s`,
  );
  if (!config.keep) fs.rmSync(dir, { recursive: true, force: true });
  else out(`kept ${dir}`);
}

function summary(): void {
  const r = results;
  const rows: string[][] = [];
  const add = (name: string, value: string, detail = '') => rows.push([name, value, detail]);
  const eps = (n: number | undefined) => (n === undefined ? 'n/a' : `${fmtInt(n)} ev/s`);
  add('(a0) durable commit, 1 event/txn', r.commitLatency ? fmtMs(r.commitLatency.p50) : 'n/a', r.commitLatency ? `p99 ${fmtMs(r.commitLatency.p99)}` : '');
  add('(a)  raw better-sqlite3, 100 ev/txn', eps(r.raw?.eventsPerSecond), r.raw ? `txn p50 ${fmtMs(r.raw.txn.p50)}` : '');
  add(`(b)  engine, ${config.writers} writers own streams`, eps(r.engine?.eventsPerSecond), r.engine ? `append p50 ${fmtMs(r.engine.latency.p50)} p99 ${fmtMs(r.engine.latency.p99)}; ${fmt(r.engine.appendsPerCommit)} appends/commit` : '');
  add(`(c)  engine, ${config.hotWriters} on one hot stream`, eps(r.contended?.eventsPerSecond), r.contended?.hot ? `hot ${fmt(r.contended.hot.eventsPerSecond)} ev/s; ${fmtInt(r.contended.hot.conflicts)} conflicts, ${fmtInt(r.contended.hot.retried)} appends retried` : '');
  add('(d)  readStream, 100 events', r.readStream ? `${fmtInt(r.readStream.opsPerSecond)} reads/s` : 'n/a', r.readStream ? `${fmt(r.readStream.usPerRead)} µs/read` : '');
  add(`(d)  readAll ${fmtInt(config.bigEvents)}, pages of 10k`, eps(r.readAll?.eventsPerSecond), r.readAll ? `${fmt(r.readAll.seconds, 2)} s` : '');
  add(`(d)  readAll ${fmtInt(config.bigEvents)}, pages of 1k`, eps(r.readAll1k?.eventsPerSecond), r.readAll1k ? `${fmt(r.readAll1k.seconds, 2)} s` : '');
  add(`(d)  readAll ${fmtInt(config.bigEvents)}, 1k, decoded`, eps(r.readAllDecoded?.eventsPerSecond), r.readAllDecoded ? `${fmt(r.readAllDecoded.seconds, 2)} s` : '');
  add(`(d)  readAllEvents ${fmtInt(config.bigEvents)}`, eps(r.readAllEvents?.eventsPerSecond), r.readAllEvents ? `${fmt(r.readAllEvents.seconds, 2)} s` : '');
  const small = r.size ? median(r.size.small) : undefined;
  const big = r.size ? median(r.size.big) : undefined;
  const kib = (list: number[] | undefined) => (list && list.every(Number.isFinite) ? `, ${fmt(median(list) / 1024)} KiB written/ev` : '');
  add(`     append cost, store of ${fmtInt(config.smallEvents)}`, small ? `${fmt(small)} µs/ev` : 'n/a', small ? `${fmtInt(1e6 / small)} ev/s${kib(r.size?.smallBytes)}` : '');
  add(`     append cost, store of ${fmtInt(config.bigEvents)}`, big ? `${fmt(big)} µs/ev` : 'n/a', big ? `${fmtInt(1e6 / big)} ev/s${kib(r.size?.bigBytes)}` : '');
  if (r.emmett?.available) {
    for (const m of r.emmett.modes) {
      const failed = Object.values(m.errors).reduce((s, n) => s + n, 0);
      add(`(e)  Emmett, ${m.mode}`, eps(m.eventsPerSecond), m.killed ? `stuck, killed (${m.pending} appends pending)` : `${fmtInt(failed)} failed appends`);
    }
  } else {
    add('(e)  Emmett', 'n/a', r.emmett ? r.emmett.reason.slice(0, 80) : 'not run');
  }
  section('Summary');
  out(table(['measure', 'value', 'detail'], rows));

  const best = emmettBest(r.emmett);
  const ratios: string[][] = [];
  const status = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'MET' : 'MISSED');
  const b = r.engine?.eventsPerSecond;
  const ba = b !== undefined && r.raw ? b / r.raw.eventsPerSecond : undefined;
  ratios.push(['(b)/(a) engine vs raw ceiling', ba === undefined ? 'n/a' : `${fmt(ba * 100)} %`, '≥ 50 %', status(ba === undefined ? undefined : ba >= 0.5)]);
  const be = b !== undefined && best ? b / best.eventsPerSecond : undefined;
  ratios.push([
    `(b)/(e) engine vs Emmett${best ? ` (${best.mode})` : ''}`,
    be === undefined ? 'n/a' : `${fmt(be)} ×`,
    '≥ 5 ×',
    status(be === undefined ? undefined : be >= 5),
  ]);
  const sizeRatio = small && big ? big / small : undefined;
  ratios.push([
    `append cost ${fmtInt(config.bigEvents)} / ${fmtInt(config.smallEvents)}`,
    sizeRatio === undefined ? 'n/a' : `${fmt(sizeRatio, 2)} ×`,
    '≤ 1.3 ×',
    status(sizeRatio === undefined ? undefined : sizeRatio <= 1.3),
  ]);
  for (const [label, value] of [
    ['readAll (pages of 10,000)', r.readAll?.eventsPerSecond],
    ['readAll (pages of 1,000, the default)', r.readAll1k?.eventsPerSecond],
    ['readAll (pages of 1,000, payloads decoded)', r.readAllDecoded?.eventsPerSecond],
  ] as const) {
    ratios.push([label, value === undefined ? 'n/a' : `${fmtInt(value)} ev/s`, '≥ 300,000 ev/s', status(value === undefined ? undefined : value >= 300_000)]);
  }
  const tc = r.treeCost?.ratio;
  ratios.push(['(t) (b) with the log tree / without', tc === undefined ? 'n/a' : `${fmt(tc * 100)} %`, '≥ 90 %', status(tc === undefined ? undefined : tc >= 0.9)]);
  const rae = r.readAllEvents?.eventsPerSecond;
  ratios.push(['readAllEvents generator', rae === undefined ? 'n/a' : `${fmtInt(rae)} ev/s`, '≥ 300,000 ev/s', status(rae === undefined ? undefined : rae >= 300_000)]);
  section('Targets');
  out(table(['ratio', 'value', 'target', 'status'], ratios));
  if (r.emmett?.available && !best) out('(no Emmett mode completed without failed appends: (b)/(e) not computed)');
  if (r.emmett && !r.emmett.available) out(`(e) unavailable: ${r.emmett.reason}`);
  if (QUICK) out('BENCH_QUICK=1: targets are judged on a scaled-down run and mean little.');
  if (r.errors.length > 0) out(`${r.errors.length} step(s) failed: see the !! lines above.`);
}

main().then(
  () => process.exit(results.errors.length > 0 ? 1 : 0),
  (error: unknown) => {
    out(`!! ${(error as Error)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
