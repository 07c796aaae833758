/**
 * The auditors' proof, measured: `npm run bench:audit` (builds, then runs dist/bench/audit.bench.js).
 *
 *   1. writes a log of BENCH_AUDIT_EVENTS (default 1,000,000) realistic governance events (bench/lib/
 *      governance-log.ts) with raw INSERTs, then opens the engine on it, which builds the log's Merkle tree from
 *      the events (its catch-up), and signs a checkpoint every BENCH_AUDIT_CHECKPOINT_EVERY leaves;
 *   2. exports it (`export`) and checks the export offline (`verify`): events/s, target ≥ 300,000;
 *   3. starts the real server on it and asks `inclusionProof` of random events over GraphQL: p99, target
 *      ≤ 5 ms (and the tree's own proof, without HTTP and GraphQL, for comparison);
 *   4. the measures other parts add (see MEASURES below: the timeline page and meeting(knownAt) belong there);
 *   5. the tree's cost: store benchmark (b) with the tree and without, alternating rounds, target ≥ 90 %.
 *
 * Environment: BENCH_QUICK=1 (50,000 events, short rounds), BENCH_DIR (default ./.bench), BENCH_KEEP=1,
 * BENCH_AUDIT_EVENTS, BENCH_AUDIT_CHECKPOINT_EVERY, BENCH_AUDIT_PROOFS (requests, default 2,000),
 * BENCH_TREE_ROUNDS (default 5; 0 skips step 5), BENCH_TREE_MS (default 4,000).
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@kansli/event-store';
import { CheckpointStore, LOG_KEY_FILE, sqliteExportSource, writeAuditExport } from '@kansli/integrity';
import { generateSigner, signCheckpoint, verifyAuditExportFile } from '@kansli/tlog';
import { establishBoard, openQuorateMeeting, startBenchServer } from './lib/bench-server';
import { cpuModel, diskInfo, envInt, loadAverage, QUICK } from './lib/env';
import { writeGovernanceLog } from './lib/governance-log';
import { fmt, fmtInt, fmtMs, gc, now, summarize, table, type LatencySummary } from './lib/stats';
import { measureTreeCost, type TreeCost } from './lib/tree-cost';

const config = {
  events: envInt('BENCH_AUDIT_EVENTS', 1_000_000, 50_000),
  checkpointEvery: envInt('BENCH_AUDIT_CHECKPOINT_EVERY', 10_000, 5_000),
  proofs: envInt('BENCH_AUDIT_PROOFS', 2_000, 300),
  treeRounds: envInt('BENCH_TREE_ROUNDS', 5, 1),
  treeMs: envInt('BENCH_TREE_MS', 4_000, 800),
  writers: 64,
  keep: process.env.BENCH_KEEP === '1',
  root: path.resolve(process.env.BENCH_DIR ?? path.join(process.cwd(), '.bench')),
};
const out = (line = '') => process.stdout.write(`${line}\n`);
const section = (title: string) => out(`\n== ${title}`);
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;
const lat = (l: LatencySummary) => `p50 ${fmtMs(l.p50)}, p99 ${fmtMs(l.p99)}, max ${fmtMs(l.max)}`;

/** What a measure gets: the real server on the 1,000,000-event log, and a few of the log's facts. */
export interface AuditBenchContext {
  url: string;
  /** `Bearer <token>` with ADMIN, SEKRETERARE and REVISOR. */
  authorization: string;
  gql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Times `count` sequential calls of `call` after `warmup` unmeasured ones. */
  latency(count: number, call: (i: number) => Promise<unknown>, warmup?: number): Promise<LatencySummary>;
  /** The log's file, events and a sample of event ids (for requests about random events). */
  database: string;
  events: number;
  sampleEventIds: readonly string[];
}

/** A measure of the server on the big log, with its target: what the summary prints and judges. */
export interface AuditMeasure {
  name: string;
  /** The target in words ("≤ 5 ms"), and the test the measured p99 must pass. */
  target: string;
  met(result: LatencySummary): boolean;
  run(context: AuditBenchContext): Promise<LatencySummary>;
}

/**
 * The measures run against the server. Each part of the issue adds its own here: the timeline page of 50 filtered
 * by entity (p99 ≤ 5 ms) and meeting(knownAt) of a 50-paragraph meeting (p99 ≤ 10 ms) belong to the parts that
 * build them, and go into this list as entries like the first.
 */
const MEASURES: AuditMeasure[] = [
  {
    name: 'inclusionProof (GraphQL over HTTP)',
    target: '≤ 5 ms',
    met: (result) => result.p99 <= 5,
    run: (context) =>
      context.latency(config.proofs, (i) =>
        context.gql('query($id: ID!) { inclusionProof(eventId: $id) { leafIndex treeSize leafHash hashes root checkpoint } }', {
          id: context.sampleEventIds[(i * 7919) % context.sampleEventIds.length],
        }),
      ),
  },
  {
    name: 'timeline page of 50, filtered by entity (a meeting of the log)',
    target: '≤ 5 ms',
    met: (result) => result.p99 <= 5,
    run: async (context) => {
      // Meetings of the big log, each with dozens of events: the pages are read along the entity's (ref, seq) key.
      const { timeline } = await context.gql<{ timeline: { edges: Array<{ node: { data: { meetingId: string } } }> } }>(
        '{ timeline(filter: { types: ["MeetingScheduled"] }, first: 500) { edges { node { data } } } }',
      );
      const meetings = timeline.edges.map((edge) => edge.node.data.meetingId);
      return context.latency(config.proofs, (i) =>
        context.gql('query($id: ID!) { timeline(filter: { entityId: $id }, first: 50) { edges { cursor node { position type recordedAt data } } pageInfo { hasNextPage } } }', {
          id: meetings[(i * 7919) % meetings.length],
        }),
      );
    },
  },
  {
    name: 'meeting(knownAt) of a 50-paragraph meeting, as known halfway through',
    target: '≤ 10 ms',
    met: (result) => result.p99 <= 10,
    run: async (context) => {
      const board = await establishBoard(context.gql, 'Nämnd för meeting(knownAt)');
      const meetingId = await openQuorateMeeting(context.gql, board, '2025-06-14T09:00:00+02:00');
      let halfway = '';
      for (let paragraph = 1; paragraph <= 50; paragraph++) {
        await context.gql('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id } }', {
          input: { meetingId, title: `Ärende ${paragraph}`, clauses: ['att bevilja sökanden upp till 200 000 kr', 'att uppdra åt förvaltningen att följa upp'], outcome: 'BIFALL' },
        });
        if (paragraph === 25) halfway = new Date().toISOString();
      }
      const query = `query($id: ID!, $knownAt: DateTime) { meeting(id: $id, knownAt: $knownAt) {
        start place status agenda { title } attendance { role person { name } } decisions { paragraph title clauses outcome votes { ballot } }
        protocol { status firstParagraph lastParagraph justeradAt } } }`;
      const known = await context.gql<{ meeting: { decisions: unknown[] } }>(query, { id: meetingId, knownAt: halfway });
      if (known.meeting.decisions.length < 25 || known.meeting.decisions.length >= 50) throw new Error(`meeting(knownAt) saw ${known.meeting.decisions.length} of 50 paragraphs halfway`);
      return context.latency(config.proofs, () => context.gql(query, { id: meetingId, knownAt: halfway }));
    },
  },
];

/** The log as the engine stores it, with every (count / 5,000)th event's id as a sample to prove. */
function fill(filename: string, count: number): { seconds: number; sample: string[] } {
  const sample: string[] = [];
  const every = Math.max(1, Math.floor(count / 5000));
  const seconds = writeGovernanceLog(filename, count, (event, i) => {
    if (i % every === 0) sample.push(event.id);
  });
  return { seconds, sample };
}

async function latency(count: number, call: (i: number) => Promise<unknown>, warmup = Math.min(200, count)): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = now();
    await call(i);
    samples.push(now() - started);
  }
  return summarize(samples);
}

interface Results {
  fillSeconds?: number;
  treeSeconds?: number;
  checkpoints?: number;
  export?: { seconds: number; bytes: number };
  verify?: { eventsPerSecond: number; seconds: number; runs: number[] };
  verifySingle?: number[];
  verifyParallel?: number[];
  serverStartSeconds?: number;
  coreProof?: LatencySummary;
  measures: Array<{ measure: AuditMeasure; result?: LatencySummary; error?: string }>;
  treeCost?: TreeCost;
  errors: string[];
}
const results: Results = { measures: [], errors: [] };

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

async function main(): Promise<void> {
  const startedAt = now();
  fs.mkdirSync(config.root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(config.root, 'audit-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const database = path.join(dataDir, 'kansli.db');
  const exportFile = path.join(dir, 'audit.jsonl');
  const disk = diskInfo(dir);
  out(`Audit benchmark${QUICK ? ' (BENCH_QUICK=1: scaled down, figures are not meaningful)' : ''}: a log of ${fmtInt(config.events)} events`);
  out(`dir ${dir} (${disk.fsType}, ${fmt(disk.freeGiB)} GiB free); load average at start: ${loadAverage()}`);
  let sample: string[] = [];
  const signer = generateSigner('bench.kansli/audit');
  writeFileSync(path.join(dataDir, LOG_KEY_FILE), `${signer.encoded}\n`, { mode: 0o600 });

  section('1. the log, its tree and its checkpoints');
  await step('fill', async () => {
    const filled = fill(database, config.events);
    sample = filled.sample;
    results.fillSeconds = filled.seconds;
    out(`     ${fmtInt(config.events)} governance events written with raw INSERTs in ${fmt(filled.seconds)} s (${mib(fs.statSync(database).size)})`);
    const started = now();
    const store = new SqliteEventStore({ filename: database, durability: 'normal' });
    results.treeSeconds = (now() - started) / 1000;
    const tree = store.logTree!;
    out(`     the engine opened on it built the tree from the events (its catch-up): ${fmtInt(tree.size)} leaves in ${fmt(results.treeSeconds)} s (${fmtInt(tree.size / results.treeSeconds)} leaves/s)`);
    const checkpoints = new CheckpointStore(store.database);
    let count = 0;
    for (let size = config.checkpointEvery; size <= tree.size; size += config.checkpointEvery) {
      checkpoints.add({ size, root: tree.root(size), note: signCheckpoint({ origin: signer.name, size, root: tree.root(size) }, signer), issuedAt: new Date().toISOString() });
      count++;
    }
    if (tree.size % config.checkpointEvery !== 0) {
      checkpoints.add({ size: tree.size, root: tree.root(), note: signCheckpoint({ origin: signer.name, size: tree.size, root: tree.root() }, signer), issuedAt: new Date().toISOString() });
      count++;
    }
    results.checkpoints = count;
    out(`     ${fmtInt(count)} checkpoints signed, one every ${fmtInt(config.checkpointEvery)} leaves and one at the end`);
    await store.close();
  });

  section('2. export and verify');
  await step('export', async () => {
    const started = now();
    const db = new Database(database, { fileMustExist: true });
    const source = sqliteExportSource(db);
    const stream = createWriteStream(exportFile);
    const write = (chunk: string) => new Promise<void>((resolve) => (stream.write(chunk) ? resolve() : stream.once('drain', resolve)));
    await writeAuditExport(source, write, { origin: signer.name, publicKey: signer.verifier.encoded, exportedAt: new Date().toISOString() });
    await new Promise<void>((resolve) => stream.end(resolve));
    source.close();
    db.close();
    results.export = { seconds: (now() - started) / 1000, bytes: fs.statSync(exportFile).size };
    out(`     export: ${mib(results.export.bytes)} in ${fmt(results.export.seconds)} s`);
  });
  await step('verify', async () => {
    // Both ways verify can run, alternating: on one thread, and with the leaf hashes on a worker thread (what
    // `verify` does for a file this size on a machine with more than one core). CPU time is the process's, all
    // threads: events per CPU-second tell the cost on a core of one's own, whatever else the machine runs.
    const runs: number[] = [];
    for (let run = 0; run < 4; run++) {
      const parallel = run % 2 === 1;
      gc();
      const cpu = process.cpuUsage();
      const started = now();
      const report = await verifyAuditExportFile(exportFile, { key: signer.verifier.encoded, parallelAbove: parallel ? 0 : Number.MAX_SAFE_INTEGER });
      const seconds = (now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6;
      if (!report.ok) throw new Error(`verify failed on the untouched export: ${report.problem.message}`);
      runs.push(report.events / seconds);
      (parallel ? (results.verifyParallel ??= []) : (results.verifySingle ??= [])).push(report.events / seconds);
      out(
        `     verify ${parallel ? 'with a worker' : 'on one thread'}: ${fmtInt(report.events)} events and ${fmtInt(report.checkpoints)} checkpoints in ${fmt(seconds, 2)} s ` +
          `= ${fmtInt(report.events / seconds)} events/s (${fmt(cpuSeconds, 2)} CPU-s: ${fmtInt(report.events / cpuSeconds)} events per CPU-second)`,
      );
    }
    const best = Math.max(...runs);
    results.verify = { eventsPerSecond: best, seconds: config.events / best, runs };
  });

  section('3. the server on the log: proofs and the measures of other parts');
  await step('server', async () => {
    // The tree's own proof, as the resolver computes it, without HTTP and GraphQL.
    const store = new SqliteEventStore({ filename: database, durability: 'normal' });
    try {
      const tree = store.logTree!;
      results.coreProof = await latency(config.proofs, async (i) => {
        const leaf = tree.leafIndexOf(sample[(i * 7919) % sample.length])!;
        return [tree.inclusionProof(leaf, tree.size), tree.root(tree.size), tree.leafHash(leaf)];
      });
      out(`     the tree's inclusion proof alone (leafIndexOf, proof, root): ${lat(results.coreProof)}`);
    } finally {
      await store.close();
    }
    // The real server in a child process, as bench:api runs it: the client's work is not the server's.
    const started = now();
    const server = await startBenchServer({ name: 'audit', dataDir, env: { KANSLI_CHECKPOINT_INTERVAL_MS: '3600000' }, roles: ['ADMIN', 'SEKRETERARE', 'REVISOR'] });
    results.serverStartSeconds = (now() - started) / 1000;
    out(`     the server started on it in ${fmt(results.serverStartSeconds)} s (its read models caught up with the log)`);
    try {
      const context: AuditBenchContext = { url: server.url, authorization: server.authorization, gql: server.gql, latency, database, events: config.events, sampleEventIds: sample };
      for (const measure of MEASURES) {
        gc();
        try {
          const result = await measure.run(context);
          results.measures.push({ measure, result });
          out(`     ${measure.name}: ${lat(result)} (target p99 ${measure.target})`);
        } catch (error) {
          results.measures.push({ measure, error: (error as Error).message });
          out(`!!   ${measure.name}: ${(error as Error).message}`);
        }
      }
    } finally {
      await server.stop();
    }
  });

  section(`4. the tree's cost: store benchmark (b), ${config.writers} writers, with the tree and without, ${config.treeRounds} alternating rounds of ${fmt(config.treeMs / 1000)} s`);
  if (config.treeRounds > 0) {
    await step('tree cost', async () => {
      results.treeCost = await measureTreeCost({
        dir,
        rounds: config.treeRounds,
        writers: config.writers,
        warmupMs: QUICK ? 200 : 1000,
        measureMs: config.treeMs,
        onRound: (round, on, off) => out(`     round ${round + 1}: with the tree ${fmtInt(on)} events/s, without ${fmtInt(off)} events/s (${fmt((on / off) * 100)} %)`),
      });
      const t = results.treeCost;
      out(`     CPU per event (median): ${fmt(t.cpuOn)} µs with the tree, ${fmt(t.cpuOff)} µs without: the tree adds ${fmt(t.cpuOn - t.cpuOff)} µs`);
    });
  } else {
    out('     skipped (BENCH_TREE_ROUNDS=0)');
  }

  summary();
  out(`\nmachine: cpu="${cpuModel()}" cores=${os.cpus().length} node=${process.version} load=${loadAverage()} total=${fmt((now() - startedAt) / 1000)}s`);
  if (config.keep) out(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}

function summary(): void {
  const r = results;
  section('Summary');
  const rows: string[][] = [];
  rows.push(['log', `${fmtInt(config.events)} events`, r.fillSeconds === undefined ? '' : `written in ${fmt(r.fillSeconds)} s`]);
  rows.push(['tree built from the events (catch-up)', r.treeSeconds === undefined ? 'n/a' : `${fmt(r.treeSeconds)} s`, r.treeSeconds ? `${fmtInt(config.events / r.treeSeconds)} leaves/s` : '']);
  rows.push(['export', r.export ? `${fmt(r.export.seconds)} s` : 'n/a', r.export ? `${mib(r.export.bytes)}, ${fmtInt(config.events / r.export.seconds)} events/s` : '']);
  rows.push([
    'verify (best of 4)',
    r.verify ? `${fmtInt(r.verify.eventsPerSecond)} ev/s` : 'n/a',
    r.verify ? `one thread ${(r.verifySingle ?? []).map((x) => fmtInt(x)).join(', ')}; worker ${(r.verifyParallel ?? []).map((x) => fmtInt(x)).join(', ')} ev/s` : '',
  ]);
  rows.push(['tree inclusion proof alone', r.coreProof ? `p99 ${fmtMs(r.coreProof.p99)}` : 'n/a', r.coreProof ? `p50 ${fmtMs(r.coreProof.p50)}` : '']);
  for (const { measure, result, error } of r.measures) rows.push([measure.name, result ? `p99 ${fmtMs(result.p99)}` : 'failed', result ? `p50 ${fmtMs(result.p50)}, max ${fmtMs(result.max)}` : (error ?? '').slice(0, 80)]);
  if (r.treeCost) {
    rows.push(['(b) with the tree / without', `${fmt(r.treeCost.ratio * 100)} %`, `median of the rounds' ratios; medians ${fmtInt(r.treeCost.medianOn)} / ${fmtInt(r.treeCost.medianOff)} ev/s (${fmt(r.treeCost.ratioOfMedians * 100)} %)`]);
    rows.push(['(b) CPU per event, with / without', `${fmt(r.treeCost.cpuOn)} / ${fmt(r.treeCost.cpuOff)} µs`, `the tree adds ${fmt(r.treeCost.cpuOn - r.treeCost.cpuOff)} µs; CPU-bound share left ${fmt(r.treeCost.cpuRatio * 100)} %`]);
  }
  out(table(['measure', 'value', 'detail'], rows));

  const status = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'MET' : 'MISSED');
  const targets: string[][] = [];
  const v = r.verify?.eventsPerSecond;
  targets.push(['verify', v === undefined ? 'n/a' : `${fmtInt(v)} ev/s`, '≥ 300,000 ev/s', status(v === undefined ? undefined : v >= 300_000)]);
  for (const { measure, result } of r.measures) targets.push([`${measure.name} p99`, result ? fmtMs(result.p99) : 'n/a', measure.target, status(result ? measure.met(result) : undefined)]);
  const t = r.treeCost?.ratio;
  targets.push(['(b) with the tree / without', t === undefined ? 'n/a' : `${fmt(t * 100)} %`, '≥ 90 %', status(t === undefined ? undefined : t >= 0.9)]);
  section('Targets');
  out(table(['target', 'value', 'wanted', 'status'], targets));
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
