/**
 * API benchmark: `npm run bench:api`. Starts the server (a child process) on a fresh embedded store, durable
 * (synchronous=FULL), then with autocannon, 32 connections:
 *   - the ceiling: a mutation that validates its input and writes nothing, through the same NestJS/Apollo stack;
 *   - takeDecision over HTTP, spread over many bodies' open meetings (a kommun has many nämnder; one body's year
 *     has a few hundred paragraphs).
 * Prints requests/s, p50 and p99 of both and the ratio. BENCH_SECONDS (default 20) sets each run's length;
 * BENCH_PROFILE=<file.cpuprofile> writes a CPU profile of the server during the takeDecision run.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
let authorization = '';
const CONNECTIONS = 32;
const BODIES = Number(process.env.BENCH_BODIES ?? 400);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'kansli-bench-api-'));
  const child = fork(join(__dirname, 'api-server.js'), [], {
    // One token drives the whole load: lift the per-token rate limit, which would otherwise answer 429.
    env: { ...process.env, KANSLI_DATA_DIR: dataDir, KANSLI_RATE_LIMIT: '1000000' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  // Authentication is on, as in production: every request carries a token signed with the server's key.
  const key = await SigningKey.loadOrCreate(join(dataDir, SIGNING_KEY_FILE));
  authorization = `Bearer ${await key.sign({ sub: 'bench', roles: ['ADMIN', 'SEKRETERARE'] }, 3600)}`;
  try {
    const meetings = await setUp(url);
    console.log(`Kansli API benchmark: ${CONNECTIONS} connections, ${SECONDS} s each, durable embedded store in ${dataDir}`);
    console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}; ${meetings.length} bodies with an open, quorate meeting`);

    await run(url, 'warm-up', 3, () => noopBody(0));
    const ceiling = await run(url, 'ceiling: benchNoop (validates, writes nothing)', SECONDS, (i) => noopBody(i));
    const anonymous = await run(url, 'the same without a token (no authentication)', SECONDS, (i) => noopBody(i, 'benchNoopPublic'), false);
    let next = 0;
    const profile = process.env.BENCH_PROFILE;
    if (profile) await ask(child, { profile: 'start' }, 'profiling');
    const decisions = await run(url, 'takeDecision', SECONDS, () => decisionBody(meetings[next++ % meetings.length], next));
    if (profile) console.log(`CPU profile of the server during takeDecision: ${await ask(child, { profile: 'stop', file: profile }, 'profiled')}`);

    const written = await countDecisions(url, meetings);
    const ratio = decisions.requests.average / ceiling.requests.average;
    console.log('');
    console.log('| run | requests/s | p50 | p99 | non-2xx / errors |');
    console.log('|---|---|---|---|---|');
    for (const [name, r] of [['ceiling (benchNoop)', ceiling], ['benchNoop without a token', anonymous], ['takeDecision', decisions]] as const) {
      console.log(`| ${name} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx} / ${r.errors} |`);
    }
    console.log('');
    console.log(`decisions written: ${written.toLocaleString('en')} of ${decisions.requests.total.toLocaleString('en')} requests answered`);
    const authCost = 1000 / ceiling.requests.average - 1000 / anonymous.requests.average;
    console.log(`authentication: ${(100 * (1 - ceiling.requests.average / anonymous.requests.average)).toFixed(1)} % of the no-op's throughput, about ${(authCost * 1000).toFixed(0)} µs of server time per request`);
    console.log(`takeDecision / ceiling: ${(ratio * 100).toFixed(1)} % (target ≥ 60 %): ${ratio >= 0.6 ? 'met' : 'MISSED'}`);
    console.log(`takeDecision p99: ${decisions.latency.p99} ms (target ≤ 50 ms): ${decisions.latency.p99 <= 50 ? 'met' : 'MISSED'}`);
    const failed = [ceiling, anonymous, decisions].reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    if (failed > 0 || written < decisions['2xx']) {
      throw new Error('Some requests failed or wrote nothing: the figures above do not measure what they claim');
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Sends the server a message and waits for its answer under `key`. */
function ask(child: ReturnType<typeof fork>, message: object, key: string): Promise<unknown> {
  return new Promise((resolve) => {
    const listener = (answer: Record<string, unknown>) => {
      if (key in answer) {
        child.off('message', listener);
        resolve(answer[key]);
      }
    };
    child.on('message', listener);
    child.send(message);
  });
}

function run(url: string, title: string, duration: number, body: (i: number) => string, withToken = true): Promise<autocannon.Result> {
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: withToken ? { 'content-type': 'application/json', authorization } : { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: body(i++) }) }],
      },
      (error, result) => {
        if (error) reject(error);
        else {
          console.log(`${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
          resolve(result);
        }
      },
    );
  });
}

const noopBody = (n: number, mutation = 'benchNoop') => JSON.stringify({ query: `mutation($input: BenchNoopInput!) { ${mutation}(input: $input) }`, variables: { input: { n } } });

const decisionBody = (meetingId: string, n: number) =>
  JSON.stringify({
    query: 'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id paragraph } }',
    variables: {
      input: {
        meetingId,
        title: `Ansökan om medel nr ${n}`,
        clauses: ['att bevilja sökanden upp till 200 000 kr för perioden augusti – december', 'att uppdra åt förbundschefen att följa upp insatsen'],
        outcome: 'BIFALL',
        decidedAt: '2018-06-14T10:00:00+02:00',
      },
    },
  });

async function gql<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** BODIES boards of five seats, three ledamöter each, each with an open meeting where all three are present. */
async function setUp(url: string): Promise<string[]> {
  const meetings: string[] = [];
  for (let b = 0; b < BODIES; b++) {
    const { establishBody } = await gql<{ establishBody: { id: string } }>(url, 'mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id } }', {
      input: { name: `Nämnd ${b}`, kind: 'NAMND', seats: 5 },
    });
    const members: string[] = [];
    for (const name of ['Ordförande', 'Ledamot A', 'Ledamot B']) {
      const { appointMember } = await gql<{ appointMember: { person: { id: string } } }>(url, 'mutation($input: AppointMemberInput!) { appointMember(input: $input) { person { id } } }', {
        input: { bodyId: establishBody.id, personName: `${name} ${b}`, role: 'LEDAMOT', from: '2018-01-01' },
      });
      members.push(appointMember.person.id);
    }
    const { scheduleMeeting } = await gql<{ scheduleMeeting: { id: string } }>(url, 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }', {
      input: { bodyId: establishBody.id, start: '2018-06-14T09:00:00+02:00' },
    });
    await gql(url, 'mutation($input: OpenMeetingInput!) { openMeeting(input: $input) { id } }', { input: { meetingId: scheduleMeeting.id, at: '2018-06-14T09:00:00+02:00' } });
    for (const personId of members) {
      await gql(url, 'mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }', { input: { meetingId: scheduleMeeting.id, personId, role: 'BESLUTANDE' } });
    }
    meetings.push(scheduleMeeting.id);
  }
  return meetings;
}

async function countDecisions(url: string, meetings: string[]): Promise<number> {
  let total = 0;
  for (const id of meetings) {
    const { meeting } = await gql<{ meeting: { decisions: unknown[] } }>(url, 'query($id: ID!) { meeting(id: $id) { decisions { id } } }', { id });
    total += meeting.decisions.length;
  }
  return total;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
