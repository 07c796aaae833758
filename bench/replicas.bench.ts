/**
 * Replicas benchmark: `npm run bench:replicas`. The EventStoreDB protocol fake as its own process and two Kansli
 * replicas on it (test/replicas/cluster.ts, as the replicas test runs them), each with its own read models.
 *   (a) throughput: BENCH_CLIENTS (default 16) clients, half on each replica, take decisions for BENCH_SECONDS
 *       (default 20) in BENCH_BODIES (default 8) bodies' open meetings, each client in one body: decisions per
 *       second across both replicas, and the p50/p99 of a takeDecision as its client saw it;
 *   (b) read-model lag: BENCH_LAG_RATE (default 50) decisions a second for BENCH_LAG_SECONDS (default 15), taken on
 *       each replica in turn; the other replica's read-models.db (read-only, beside the running server) is polled
 *       every millisecond for the decision. The lag is counted from the append: the DecisionTaken event's
 *       recordedAt, the server's commit time (same machine, same clock, millisecond resolution). Also shown: from
 *       the writer's answer (its own read models had it then), and from the request's start (which includes the
 *       command). Target: p99 from the append ≤ 100 ms.
 * Against the fake, not EventStoreDB: the fake keeps its log in memory (and a journal), so the figures leave out a
 * real server's disk and replication; they measure Kansli's side (commands, subscription, projections).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../test/crash/kansli-process';
import { allReady, Cluster, FakeProcess, serverLog } from '../test/replicas/cluster';
import { fmt, fmtInt, sleep, summarize } from './lib/stats';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BODIES = Number(process.env.BENCH_BODIES ?? 8);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 50);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 15);
const TAKE = 'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { paragraph } }';

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'kansli-bench-replicas-'));
  const log = serverLog(join(work, 'servers.log'));
  console.log(`bench:replicas — 2 replicas on the EventStoreDB protocol fake (its own process); ${availableParallelism()} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const fake = await FakeProcess.start(await freePort(), join(work, 'fake-journal.jsonl'), log);
  const cluster = new Cluster(work, fake.connectionString, log);
  try {
    await cluster.keys();
    const replicas = [await cluster.start('replica-a'), await cluster.start('replica-b')];
    const meetings: string[] = [];
    for (let i = 0; i < BODIES; i++) meetings.push(await cluster.openMeeting(replicas[i % 2], 1, `Nämnd ${i + 1}`));
    await allReady(replicas);

    // (a) throughput across both replicas
    const latencies: number[] = [];
    let refused = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const replica = replicas[client % 2];
        const meetingId = meetings[client % meetings.length];
        for (let n = 0; performance.now() < until; n++) {
          const started = performance.now();
          const outcome = await replica.gql.send(TAKE, { input: { meetingId, title: `Klient ${client} ärende ${n}`, clauses: [], outcome: 'NOTERAD' } });
          if (outcome.kind === 'ok') latencies.push(performance.now() - started);
          else refused++;
        }
      }),
    );
    const taken = summarize(latencies);
    console.log(`(a) takeDecision, ${CLIENTS} clients over 2 replicas, ${BODIES} bodies, ${SECONDS} s: ${fmtInt(taken.count / SECONDS)} decisions/s; p50 ${fmt(taken.p50)} ms, p99 ${fmt(taken.p99)} ms, max ${fmt(taken.max)} ms; ${refused} refused`);
    await allReady(replicas);

    // (b) lag from one replica's answer to the other's read models
    const readers = replicas.map((replica) => new Database(join(replica.dataDir, 'read-models.db'), { readonly: true, fileMustExist: true }));
    const visible = readers.map((db) => db.prepare('SELECT 1 FROM rm_decisions WHERE title = ?'));
    const recordedAt = readers.map((db) => db.prepare("SELECT recorded_at FROM rm_timeline WHERE type = 'DecisionTaken' AND json_extract(data, '$.title') = ?").pluck());
    const fromAppend: number[] = [];
    const fromAnswer: number[] = [];
    const fromStart: number[] = [];
    const pending: Array<Promise<void>> = [];
    const count = LAG_RATE * LAG_SECONDS;
    const begin = performance.now();
    for (let i = 0; i < count; i++) {
      const due = begin + (i * 1000) / LAG_RATE;
      if (due > performance.now()) await sleep(due - performance.now());
      const writer = i % 2;
      const title = `Fördröjning ${i}`;
      pending.push(
        (async () => {
          const started = performance.now();
          await replicas[writer].gql.ok(TAKE, { input: { meetingId: meetings[writer], title, clauses: [], outcome: 'NOTERAD' } });
          const answered = performance.now();
          const other = visible[1 - writer];
          while (!other.get(title)) {
            if (performance.now() - answered > 30_000) throw new Error(`${title} not visible on the other replica after 30 s`);
            await sleep(1);
          }
          const seen = performance.now();
          const seenAt = Date.now();
          fromAnswer.push(seen - answered);
          fromStart.push(seen - started);
          fromAppend.push(seenAt - Date.parse(recordedAt[writer].get(title) as string));
        })(),
      );
    }
    await Promise.all(pending);
    for (const db of readers) db.close();
    const lag = summarize(fromAppend);
    const afterAnswer = summarize(fromAnswer);
    const upper = summarize(fromStart);
    console.log(`(b) read-model lag on the other replica at ${LAG_RATE} decisions/s for ${LAG_SECONDS} s (${lag.count} decisions): from the append p50 ${fmt(lag.p50)} ms, p99 ${fmt(lag.p99)} ms, max ${fmt(lag.max)} ms`);
    console.log(`    from the writer's answer p50 ${fmt(afterAnswer.p50)} ms, p99 ${fmt(afterAnswer.p99)} ms; from the request's start p50 ${fmt(upper.p50)} ms, p99 ${fmt(upper.p99)} ms`);
    console.log(`    target p99 from the append ≤ 100 ms: ${lag.p99 <= 100 ? 'met' : 'MISSED'}; load now ${loadavg()[0].toFixed(1)}`);
  } finally {
    await cluster.stopAll().catch(() => undefined);
    await fake.stop().catch(() => undefined);
    log.end();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
