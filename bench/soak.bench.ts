/**
 * Soak benchmark: `npm run bench:soak`. Starts the server (a child process, bench/api-server.ts) on a fresh,
 * durable embedded store, sets up SOAK_BODIES boards with an open meeting each, then for SOAK_MINUTES (default
 * 10) offers a steady SOAK_RATE requests/s (default 200) from SOAK_USERS concurrent clients (default 16): writes
 * (takeDecision, raiseMotion, recordAttendance; a meeting that has DECISIONS_PER_MEETING decisions is closed,
 * justerad and posted, and the board's next meeting scheduled, opened and attended) and reads (a meeting with its
 * decisions and protocol, timeline pages, the bodies). Every minute it samples the SERVER process: RSS and open
 * file descriptors from /proc/<pid>, its heap over IPC (after a full collection). Prints a table per minute and
 * the verdicts: RSS growth after warm-up (minute 2 → last) ≤ 10 %; p99 flat, meaning the last minute's p99 is at
 * most 1.5 × minute 2's; zero errors. SOAK_MINUTE_SECONDS shortens the "minute" for a smoke run.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pragmas } from '@kansli/event-store';
import { cpuModel, diskInfo, loadAverage } from './lib/env';
import { establishBoard, openQuorateMeeting, startBenchServer, type BenchBoard, type BenchServer } from './lib/bench-server';
import { fmt, fmtInt, sleep, summarize, table } from './lib/stats';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const MINUTE_MS = Number(process.env.SOAK_MINUTE_SECONDS ?? 60) * 1000;
const RATE = Number(process.env.SOAK_RATE ?? 200);
const USERS = Number(process.env.SOAK_USERS ?? 16);
const BODIES = Number(process.env.SOAK_BODIES ?? 40);
const DECISIONS_PER_MEETING = 30;
/** People registered per board who attend as tjänstemän, one more with each recordAttendance. */
const OFFICIALS = 8;
const RSS_GROWTH_TARGET = 0.1;
const P99_FLAT_FACTOR = 1.5;
/** The most of the database SQLite keeps in memory per connection (the engine's `cache_size`, in KiB when negative). */
const PAGE_CACHE_MB = Math.abs(Number(/^cache_size = (-?\d+)$/.exec(pragmas('full').find((p) => p.startsWith('cache_size')) ?? '')?.[1] ?? 0)) / 1024;

type Gql = BenchServer['gql'];

interface Meeting {
  id: string;
  start: Date;
  decisions: number;
  motions: number;
  officials: number;
  /** Requests on this meeting not yet answered: it is closed only when none is left. */
  inflight: number;
  closing: boolean;
}

interface Board extends BenchBoard {
  name: string;
  officials: string[];
  held: number;
  /** Undefined while its next meeting is being set up. */
  meeting?: Meeting;
}

interface Minute {
  latencies: number[];
  errors: number;
}

interface Sample {
  rssMb: number;
  heapMb: number;
  fds: number;
  cpuSeconds: number;
  dbMb: number;
  load: string;
}

const minutes: Minute[] = Array.from({ length: MINUTES }, () => ({ latencies: [], errors: 0 }));
const errorMessages = new Map<string, number>();
let t0 = 0;

function record(latency: number, failed: boolean, message?: string): void {
  const minute = minutes[Math.min(MINUTES - 1, Math.max(0, Math.floor((performance.now() - t0) / MINUTE_MS)))];
  minute.latencies.push(latency);
  if (failed) {
    minute.errors++;
    const key = (message ?? 'unknown').slice(0, 300);
    errorMessages.set(key, (errorMessages.get(key) ?? 0) + 1);
  }
}

/** The server's GraphQL, timed: every request of the load (lifecycle steps included) is counted in its minute. */
function timed(server: BenchServer): Gql {
  return async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const started = performance.now();
    try {
      const data = await server.gql<T>(query, variables);
      record(performance.now() - started, false);
      return data;
    } catch (error) {
      record(performance.now() - started, true, error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
}

const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');
const day = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);
const addHours = (date: Date, hours: number) => new Date(date.getTime() + hours * 3_600_000);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

async function setUpBoard(gql: Gql, b: number): Promise<Board> {
  const name = `Nämnd ${b}`;
  const board: Board = { ...(await establishBoard(gql, name)), name, officials: [], held: 0 };
  for (let i = 0; i < OFFICIALS; i++) {
    const { registerPerson } = await gql<{ registerPerson: { id: string } }>('mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', {
      input: { name: `Tjänsteman ${i}, ${name}` },
    });
    board.officials.push(registerPerson.id);
  }
  await openNextMeeting(gql, board);
  return board;
}

/** The board's next meeting, a week after the last: scheduled, opened, its ledamöter present, a justerare appointed. */
async function openNextMeeting(gql: Gql, board: Board): Promise<void> {
  const start = addDays(new Date('2018-01-08T08:00:00Z'), 7 * board.held++);
  const id = await openQuorateMeeting(gql, board, iso(start));
  await gql('mutation($input: AppointJusterareInput!) { appointJusterare(input: $input) { id } }', { input: { meetingId: id, personIds: [board.members[1]] } });
  board.meeting = { id, start, decisions: 0, motions: 0, officials: 0, inflight: 0, closing: false };
}

/** Closes a full meeting once nothing else is in flight on it, justerar and posts it, and opens the next one. */
async function finishMeeting(gql: Gql, board: Board, meeting: Meeting, closed: string[]): Promise<void> {
  meeting.closing = true;
  while (meeting.inflight > 0) await sleep(5);
  board.meeting = undefined;
  const meetingId = meeting.id;
  const justeradAt = day(addDays(meeting.start, 3));
  await gql('mutation($input: CloseMeetingInput!) { closeMeeting(input: $input) { id } }', { input: { meetingId, at: iso(addHours(meeting.start, 6)) } });
  await gql('mutation($input: JusteraProtocolInput!) { justeraProtocol(input: $input) { status } }', {
    input: { meetingId, justeradAt, signatoryIds: [board.members[0], board.members[1]] },
  });
  await gql('mutation($input: PostAnslagInput!) { postAnslag(input: $input) { status } }', {
    input: { meetingId, postedAt: justeradAt, removeAfter: day(addDays(meeting.start, 30)), storageLocation: 'Kommunledningskontoret, stadshuset' },
  });
  closed.push(meetingId);
  await openNextMeeting(gql, board);
}

const MEETING_READ = `query($id: ID!) { meeting(id: $id) { id start status decisions { paragraph title clauses outcome justerad }
  motions { title } protocol { status justeradAt findings { rule message } } } }`;
const TIMELINE_READ = `query($first: Int, $after: String, $filter: TimelineFilter) { timeline(first: $first, after: $after, filter: $filter) {
  edges { node { position type occurredAt actor } } pageInfo { hasNextPage endCursor } } }`;
const BODIES_READ = 'query { bodies { id name seats meetings(first: 3) { edges { node { id start status } } } } }';

async function user(gql: Gql, boards: Board[], closed: string[], deadline: number, nextSlot: () => number): Promise<void> {
  let timelineCursor: string | undefined;
  for (;;) {
    const slot = nextSlot();
    // Behind schedule (the server slower than the offered rate) the clients run closed-loop; they stop on time.
    if (slot >= deadline || performance.now() >= deadline) return;
    const wait = slot - performance.now();
    if (wait > 0) await sleep(wait);
    const roll = Math.random() * 100;
    try {
      if (roll < 50) await write(gql, boards, closed, roll);
      else if (roll < 75) {
        // Half of the meeting reads are of justerade meetings, half of meetings in progress.
        const id = closed.length > 0 && roll < 62 ? pick(closed.slice(-200)) : pick(boards).meeting?.id;
        await (id ? gql(MEETING_READ, { id }) : gql(BODIES_READ));
      } else if (roll < 90) {
        const page = await gql<{ timeline: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(TIMELINE_READ, {
          first: 50,
          after: timelineCursor,
          filter: roll < 82 ? { bodyId: pick(boards).bodyId } : undefined,
        });
        timelineCursor = roll >= 82 && page.timeline.pageInfo.hasNextPage ? (page.timeline.pageInfo.endCursor ?? undefined) : undefined;
      } else await gql(BODIES_READ);
    } catch {
      // counted in its minute by `timed`
    }
  }
}

/** One write on a random open meeting: a decision (70 %), a motion (20 %) or an official's attendance (10 %). */
async function write(gql: Gql, boards: Board[], closed: string[], roll: number): Promise<void> {
  const board = pick(boards);
  const meeting = board.meeting;
  if (!meeting || meeting.closing) {
    // The board's next meeting is being set up: a read instead.
    await gql(BODIES_READ);
    return;
  }
  meeting.inflight++;
  let full = false;
  try {
    if (roll < 10 && meeting.officials < board.officials.length) {
      await gql('mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }', {
        input: { meetingId: meeting.id, personId: board.officials[meeting.officials++], role: 'TJANSTEMAN' },
      });
    } else if (roll < 15) {
      meeting.motions++;
      await gql('mutation($input: RaiseMotionInput!) { raiseMotion(input: $input) { id } }', {
        input: { meetingId: meeting.id, title: `Motion om cykelbanor nr ${meeting.motions}`, proposedBy: 'Ledamot A', clauses: ['att utreda en cykelbana längs Storgatan'] },
      });
    } else {
      const n = ++meeting.decisions;
      await gql('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id paragraph } }', {
        input: {
          meetingId: meeting.id,
          title: `Ansökan om medel nr ${n}`,
          clauses: ['att bevilja sökanden upp till 200 000 kr för perioden augusti – december', 'att uppdra åt förbundschefen att följa upp insatsen'],
          outcome: 'BIFALL',
          decidedAt: iso(addHours(meeting.start, 1)),
        },
      });
      full = n >= DECISIONS_PER_MEETING && !meeting.closing;
    }
  } finally {
    meeting.inflight--;
  }
  if (full) await finishMeeting(gql, board, meeting, closed);
}

function sampleProcess(pid: number, dataDir: string): Omit<Sample, 'heapMb'> {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  // utime and stime, in clock ticks (100 a second on Linux), after the command name in parentheses.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
  const dbBytes = readdirSync(dataDir)
    .filter((file) => file.startsWith('kansli.db'))
    .reduce((sum, file) => sum + statSync(join(dataDir, file)).size, 0);
  return { rssMb: rssKb / 1024, fds, cpuSeconds, dbMb: dbBytes / 2 ** 20, load: loadAverage().split(' ')[0] };
}

async function sample(server: BenchServer): Promise<Sample> {
  const memory = (await server.ask({ memory: true }, 'memory')) as NodeJS.MemoryUsage;
  return { ...sampleProcess(server.child.pid!, server.dataDir), heapMb: memory.heapUsed / 2 ** 20 };
}

async function main(): Promise<void> {
  // The server runs with --expose-gc so that its heap is measured after a full collection.
  const server = await startBenchServer({ name: 'soak', execArgv: ['--expose-gc'] });
  try {
    const disk = diskInfo(server.dataDir);
    console.log(`Kansli soak: ${MINUTES} × ${MINUTE_MS / 1000} s, ${RATE} requests/s offered by ${USERS} clients, ${BODIES} boards; durable embedded store in ${server.dataDir} (${disk.fsType})`);
    console.log(`machine: ${cpuModel()} × ${cpus().length}, Node ${process.version}, load ${loadAverage()}`);
    const setupGql = server.gql;
    const boards: Board[] = [];
    for (let b = 0; b < BODIES; b++) boards.push(await setUpBoard(setupGql, b));
    const closed: string[] = [];
    const gql = timed(server);

    const before = await sample(server);
    t0 = performance.now();
    const deadline = t0 + MINUTES * MINUTE_MS;
    let slots = 0;
    const nextSlot = () => t0 + (slots++ * 1000) / RATE;
    const users = Promise.all(Array.from({ length: USERS }, () => user(gql, boards, closed, deadline, nextSlot)));

    const samples: Sample[] = [];
    const header = ['minute', 'requests', 'errors', 'p50 ms', 'p99 ms', 'RSS MB', 'heap MB', 'fds', 'server CPU %', 'db MB', 'load'];
    const row = (i: number) => {
      const s = samples[i];
      const latency = summarize(minutes[i].latencies);
      const cpu = (100 * (s.cpuSeconds - (i === 0 ? before : samples[i - 1]).cpuSeconds)) / (MINUTE_MS / 1000);
      return [String(i + 1), fmtInt(latency.count), fmtInt(minutes[i].errors), fmt(latency.p50), fmt(latency.p99), fmt(s.rssMb), fmt(s.heapMb), String(s.fds), fmt(cpu, 0), fmt(s.dbMb), s.load];
    };
    console.log('');
    console.log(header.join('  '));
    for (let m = 1; m <= MINUTES; m++) {
      await sleep(t0 + m * MINUTE_MS - performance.now());
      samples.push(await sample(server));
      // As the minute ends; the table below also counts the requests answered just after it.
      console.log(row(m - 1).join('  '));
    }
    await users;

    console.log('');
    console.log(table(header, samples.map((_, i) => row(i))));
    console.log(`before the load: RSS ${fmt(before.rssMb)} MB, heap ${fmt(before.heapMb)} MB, ${before.fds} fds; meetings justerade during the run: ${fmtInt(closed.length)}`);
    const errors = minutes.reduce((sum, minute) => sum + minute.errors, 0);
    for (const [message, count] of [...errorMessages].slice(0, 5)) console.log(`error × ${count}: ${message}`);
    console.log('');
    if (MINUTES < 3) {
      console.log('Too short for verdicts (minute 2 is the first after warm-up; at least 3 minutes are needed).');
    } else {
      const second = samples[1];
      const last = samples[MINUTES - 1];
      const growth = (last.rssMb - second.rssMb) / second.rssMb;
      const p99 = minutes.map((minute) => summarize(minute.latencies).p99);
      const ratio = p99[MINUTES - 1] / p99[1];
      const worst = Math.max(...p99.slice(1)) / p99[1];
      console.log(`RSS after warm-up (minute 2 → ${MINUTES}): ${fmt(second.rssMb)} → ${fmt(last.rssMb)} MB, ${growth >= 0 ? '+' : ''}${fmt(growth * 100)} % (target ≤ ${RSS_GROWTH_TARGET * 100} %): ${growth <= RSS_GROWTH_TARGET ? 'met' : 'MISSED'}`);
      // RSS grows while SQLite's page cache fills with a growing database: the part after it is full says more.
      const full = samples.findIndex((s) => s.dbMb > PAGE_CACHE_MB);
      const cacheNote =
        full >= 1 && full < MINUTES - 1
          ? `from minute ${full + 1}, when the database outgrew the page cache, to minute ${MINUTES}: ${fmt(samples[full].rssMb)} → ${fmt(last.rssMb)} MB (${fmt((100 * (last.rssMb - samples[full].rssMb)) / samples[full].rssMb)} %)`
          : 'the database did not outgrow the page cache early enough to tell';
      console.log(`  the database grew ${fmt(second.dbMb)} → ${fmt(last.dbMb)} MB and SQLite caches up to ${fmt(PAGE_CACHE_MB, 0)} MB of it; ${cacheNote}`);
      console.log(
        `p99 flat (minute ${MINUTES} at most ${P99_FLAT_FACTOR} × minute 2): ${fmt(p99[1])} → ${fmt(p99[MINUTES - 1])} ms, ${fmt(ratio, 2)} ×: ${ratio <= P99_FLAT_FACTOR ? 'met' : 'MISSED'} (worst minute after warm-up: ${fmt(worst, 2)} × minute 2)`,
      );
      console.log(`heap after a full collection (minute 2 → ${MINUTES}): ${fmt(second.heapMb)} → ${fmt(last.heapMb)} MB; open fds ${second.fds} → ${last.fds}`);
    }
    console.log(`errors: ${errors} (target 0): ${errors === 0 ? 'met' : 'MISSED'}`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
