/**
 * Crash test: `npm run test:crash` (CI runs it after `npm test`). Not a Jest test: it spawns the real server.
 *
 * The compiled server runs as a child process on the embedded engine (durable, synchronous=FULL). Concurrent
 * clients drive board meetings over GraphQL (decisions in many meetings, motions, closing, justering, anslag),
 * and the server is killed with SIGKILL at a random moment while requests are in flight, then started again;
 * CRASH_TRIALS times (default 20). After every restart:
 *   - every mutation answered with success is in the log and in the read models (a request without an answer
 *     may have happened or not);
 *   - the read models, as the kill left them, equal a rebuild from the log (on a copy of the killed files);
 *   - paragraph numbers are unique and without gaps per body and year, and the next decision of each series takes
 *     the number after the highest in the log (a number stranded by the crash must be taken, never skipped);
 *   - the server answers within 5 s of being spawned.
 * Prints one line per trial and the totals with the seed. CRASH_SEED replays the same plan: the same kill moments
 * and the same client choices (the interleaving with the server still varies). Exit 1 on any failure.
 * CRASH_CLIENTS (default 16) sets the load, CRASH_KEEP=1 keeps the work folder after a successful run.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';
import { GraphQLHttp } from './graphql-http';
import { KansliProcess, freePort, serverLog, sleep } from './kansli-process';
import { Prng } from './prng';
import { compareDumps, copyDatabase, dumpTables, rebuild } from './rebuild-check';
import { checkLogTree } from './tree-check';
import { checkAcks, checkSeries, decisionsDiffer, highestParagraphs, readLog, readModels, type LogFacts } from './verify';
import { Actions, establishBoards, Ledger, runClient, usable, YEARS, type World } from './workload';

const STARTUP_LIMIT_MS = 5_000;
const BOARDS = 4;
const KILL_AFTER_MS = [100, 1_500] as const;

function wholeNumber(name: string, fallback: number, max: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new Error(`${name} must be a whole number up to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

const SEED = wholeNumber('CRASH_SEED', randomInt(1, 2 ** 31), 2 ** 32 - 1);
const TRIALS = wholeNumber('CRASH_TRIALS', 20, 10_000);
const CLIENTS = Math.max(1, wholeNumber('CRASH_CLIENTS', 16, 1_000));

/** Finishes meetings a crash left half-convened, and gives every body and year two meetings ready for decisions. */
async function prepare(actions: Actions, world: World): Promise<void> {
  for (const meeting of world.meetings.values()) {
    const board = world.boards.find((b) => b.id === meeting.bodyId)!;
    const unfinished = meeting.status === 'SCHEDULED' || (meeting.status === 'OPEN' && (!usable(meeting, board) || meeting.justerare.length === 0));
    if (unfinished) await actions.convene(board, meeting.year, meeting);
  }
  for (const board of world.boards) {
    for (const year of YEARS) {
      const ready = () => [...world.meetings.values()].filter((m) => m.bodyId === board.id && m.year === year && usable(m, board)).length;
      for (let attempt = 0; ready() < 2 && attempt < 4; attempt++) await actions.convene(board, year);
    }
  }
}

/**
 * The next decision of every body and year, taken alone: it must get the number after the highest in the log.
 * A number the register handed out before the kill and no decision holds must be taken now, not skipped.
 * Returns what went wrong, and the numbers skipped (`<bodyId> <year> § n missing`, as checkSeries names them).
 */
async function probeSeries(actions: Actions, world: World, log: LogFacts): Promise<{ problems: string[]; skipped: string[] }> {
  const highest = highestParagraphs(log);
  const problems: string[] = [];
  const skipped: string[] = [];
  for (const board of world.boards) {
    for (const year of YEARS) {
      const key = `${board.id} ${year}`;
      const meeting = [...world.meetings.values()].find((m) => m.bodyId === board.id && m.year === year && usable(m, board));
      if (!meeting) {
        problems.push(`${key}: no meeting could be convened for the next decision (${actions.lastFailure})`);
        continue;
      }
      const expected = (highest.get(key) ?? 0) + 1;
      const paragraph = await actions.takeDecision(meeting);
      if (paragraph === undefined) {
        problems.push(`${key}: the next decision failed (${actions.lastFailure})`);
      } else if (paragraph !== expected) {
        problems.push(`${key}: the next decision got § ${paragraph}, expected § ${expected}`);
        for (let n = expected; n < paragraph; n++) skipped.push(`${key} § ${n} missing`);
      }
    }
  }
  return { problems, skipped };
}

interface Totals {
  startups: number[];
  startupCpu: number[];
  rebuildsEqual: number;
  skips: number;
  /** Missing and doubled paragraph numbers already reported (each once, in the trial that caused it). */
  holes: Set<string>;
  failures: string[];
}

async function main(): Promise<void> {
  const started = performance.now();
  const workDir = mkdtempSync(join(tmpdir(), 'kansli-crash-'));
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir);
  const dbFile = join(dataDir, 'kansli.db');
  const log = serverLog(join(workDir, 'server.log'));
  const replay = `CRASH_SEED=${SEED} CRASH_TRIALS=${TRIALS}${CLIENTS !== 16 ? ` CRASH_CLIENTS=${CLIENTS}` : ''} npm run test:crash`;
  console.log(`crash test: seed ${SEED}, ${TRIALS} trials, ${CLIENTS} clients, ${BOARDS} bodies × ${YEARS.length} years, SIGKILL ${KILL_AFTER_MS[0]}–${KILL_AFTER_MS[1]} ms into each trial`);
  console.log(`work folder ${workDir} (server output in server.log)`);

  const key = await SigningKey.loadOrCreate(join(dataDir, SIGNING_KEY_FILE));
  const authorization = `Bearer ${await key.sign({ sub: 'crash-test', roles: ['ADMIN', 'SEKRETERARE'] }, 12 * 3600)}`;
  const port = await freePort();
  const rng = new Prng(SEED);
  const ledger = new Ledger();
  const totals: Totals = { startups: [], startupCpu: [], rebuildsEqual: 0, skips: 0, holes: new Set(), failures: [] };

  let server = await KansliProcess.start(dataDir, port, log);
  let gql = new GraphQLHttp(port, authorization);
  try {
    const boards = await establishBoards(gql, ledger, BOARDS);
    for (let trial = 1; trial <= TRIALS; trial++) {
      const fail = (what: string) => totals.failures.push(`trial ${trial}: ${what}`);
      ledger.startTrial(trial);
      const world = (await readModels(gql, boards)).world;
      await prepare(new Actions(gql, world, ledger, new Prng(SEED, trial * 1000)), world);

      // The load, and the kill in the middle of it.
      const killAt = rng.int(KILL_AFTER_MS[0], KILL_AFTER_MS[1]);
      let stopped = false;
      const client = gql;
      const clients = Array.from({ length: CLIENTS }, (_, c) => {
        const clientRng = new Prng(SEED, trial * 1000 + 1 + c);
        return runClient(new Actions(client, world, ledger, clientRng), world, clientRng, () => stopped);
      });
      await sleep(killAt);
      stopped = true;
      await server.kill();
      client.close();
      await Promise.all(clients);
      const acknowledged = ledger.trialAcks;
      const decided = ledger.trialDecisions;
      const unanswered = ledger.trialUnknown;
      const crashed = copyDatabase(dataDir, join(workDir, `crash-${trial}`));

      server = await KansliProcess.start(dataDir, port, log);
      totals.startups.push(server.startupMs);
      if (server.startupCpuMs !== undefined) totals.startupCpu.push(server.startupCpuMs);
      if (server.startupMs > STARTUP_LIMIT_MS) fail(`the server took ${Math.round(server.startupMs)} ms to answer after the restart (limit ${STARTUP_LIMIT_MS} ms)`);
      gql = new GraphQLHttp(port, authorization);

      // Everything acknowledged is in the log and the read models; the series has no hole.
      const logFacts = readLog(dbFile);
      const models = await readModels(gql, boards);
      const acks = checkAcks(ledger.acks, logFacts, models);
      const lost = ledger.acks.length - acks.found;
      if (acks.notInLog.length) fail(`${acks.notInLog.length} acknowledged mutations are not in the log, e.g. ${describe(acks.notInLog)}`);
      if (acks.notInModels.length) fail(`${acks.notInModels.length} acknowledged mutations are not in the read models, e.g. ${describe(acks.notInModels)}`);
      const differ = decisionsDiffer(logFacts, models);
      if (differ) fail(`read models and log disagree: ${differ}`);
      const series = checkSeries(logFacts);
      const fresh = series.holes.filter((hole) => !totals.holes.has(hole));
      for (const hole of fresh) totals.holes.add(hole);
      if (fresh.length) fail(`paragraph numbers: ${fresh.slice(0, 6).join('; ')}${fresh.length > 6 ? ` and ${fresh.length - 6} more` : ''}`);

      // The log's tree as the kill left it holds exactly the committed events.
      const treeProblem = checkLogTree(join(crashed, 'kansli.db'));
      if (treeProblem) fail(`the log tree as the kill left it: ${treeProblem}`);

      // The read models as the kill left them must equal a rebuild from the same log: rebuilt on the copy, in a
      // child process, while the checks below run.
      const asLeft = dumpTables(join(crashed, 'kansli.db'));
      const rebuildStarted = performance.now();
      const rebuilding = rebuild(crashed).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );

      // The next decision of every series takes the number after the highest in the log.
      const next = (await readModels(gql, boards)).world;
      await prepare(new Actions(gql, next, ledger, new Prng(SEED, trial * 1000 + 999)), next);
      const probe = await probeSeries(new Actions(gql, next, ledger, new Prng(SEED, trial * 1000 + 998)), next, readLog(dbFile));
      totals.skips += probe.problems.length;
      for (const problem of probe.problems) fail(problem);
      for (const hole of probe.skipped) totals.holes.add(hole);

      const rebuildFailed = await rebuilding;
      const rebuildMs = performance.now() - rebuildStarted;
      const difference = rebuildFailed ?? compareDumps(asLeft, dumpTables(join(crashed, 'kansli.db')));
      if (difference) fail(`the read models as the kill left them differ from a rebuild from the log; copy kept in ${crashed}: ${difference}`);
      else {
        totals.rebuildsEqual++;
        rmSync(crashed, { recursive: true, force: true });
      }

      console.log(
        `trial ${String(trial).padStart(2)}/${TRIALS}  kill at ${String(killAt).padStart(4)} ms: acknowledged ${String(acknowledged).padStart(3)} ` +
          `(decisions ${String(decided).padStart(3)}), no answer ${String(unanswered).padStart(2)} | restart ${String(Math.round(server.startupMs)).padStart(4)} ms${server.startupCpuMs === undefined ? '' : ` (cpu ${server.startupCpuMs})`} | ` +
          `lost ${lost} | ${series.decisions} decisions: gaps ${series.gaps}, twice ${series.duplicates}, stranded ${series.stranded}, ` +
          `next number ${probe.problems.length ? `NOT TAKEN in ${probe.problems.length} series` : 'taken'} | read models ${difference ? 'DIFFER from' : '='} rebuild (${Math.round(rebuildMs)} ms) | log tree ${treeProblem ? 'WRONG' : 'ok'}`,
      );
    }

    // Everything acknowledged, the last probes included, once more.
    const logFacts = readLog(dbFile);
    const acks = checkAcks(ledger.acks, logFacts, await readModels(gql, boards));
    const series = checkSeries(logFacts);
    const fresh = series.holes.filter((hole) => !totals.holes.has(hole));
    if (fresh.length) totals.failures.push(`at the end: paragraph numbers ${fresh.slice(0, 6).join('; ')}`);
    const lost = ledger.acks.length - acks.found;
    if (lost > 0) totals.failures.push(`at the end: ${lost} acknowledged mutations missing, e.g. ${describe([...acks.notInLog, ...acks.notInModels])}`);
    for (const [key, message] of ledger.unexpected) totals.failures.push(`unexpected refusal ${key}: ${message}`);

    const decisions = ledger.acks.filter((a) => a.kind === 'takeDecision').length;
    const refusals = [...ledger.refusals].map(([key, count]) => `${key} ${count}`).join(', ');
    console.log('');
    console.log(`trials ${TRIALS}, seed ${SEED}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(`acknowledged ${ledger.acks.length} (decisions ${decisions}), found ${acks.found}, lost ${lost}`);
    console.log(
      `paragraph numbers in ${series.series} series (body, year), ${series.decisions} decisions: gaps ${series.gaps}, twice ${series.duplicates}, ` +
        `stranded in the registers ${series.stranded}, next decision did not take the next number ${totals.skips} times`,
    );
    console.log(`read models = rebuild from the log (\`kansli rebuild\` on a copy of the killed files) after ${totals.rebuildsEqual} of ${TRIALS} kills`);
    console.log(
      `startup after a kill: max ${Math.round(Math.max(...totals.startups))} ms, median ${Math.round(median(totals.startups))} ms (limit ${STARTUP_LIMIT_MS} ms)` +
        `${totals.startupCpu.length ? `; the server's own CPU time for it: median ${Math.round(median(totals.startupCpu))} ms` : ''}; ` +
        `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`,
    );
    console.log(`refused (races the workload provokes): ${refusals || 'none'}`);
    if (totals.failures.length) {
      console.log('');
      console.log(`FAILED (${totals.failures.length}):`);
      for (const failure of totals.failures.slice(0, 40)) console.log(`  - ${failure}`);
      if (totals.failures.length > 40) console.log(`  … and ${totals.failures.length - 40} more`);
      console.log(`work folder kept: ${workDir}`);
      console.log(`replay: ${replay}`);
      process.exitCode = 1;
    } else {
      console.log(`passed (replay: ${replay})`);
    }
  } catch (error) {
    process.exitCode = 1;
    console.error(`work folder kept: ${workDir}`);
    throw error;
  } finally {
    gql.close();
    await server.stop();
    log.end();
    if (!process.exitCode && !process.env.CRASH_KEEP) rmSync(workDir, { recursive: true, force: true });
  }
}

function describe(acks: ReadonlyArray<{ kind: string; trial: number; log: string }>): string {
  return acks.slice(0, 3).map((a) => `${a.kind} ${a.log} (acknowledged in trial ${a.trial})`).join('; ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

main().catch((error: unknown) => {
  console.error(error);
  console.error(`replay: CRASH_SEED=${SEED} CRASH_TRIALS=${TRIALS} npm run test:crash`);
  process.exit(1);
});
