/**
 * API benchmark: `npm run bench:api`. Starts the server (a child process) on a fresh embedded store, durable
 * (synchronous=FULL), then with autocannon, 32 connections:
 *   - the ceiling: a mutation that validates its input and writes nothing, through the same NestJS/Apollo stack;
 *   - takeDecision over HTTP, spread over many bodies' open meetings (a kommun has many nämnder; one body's year
 *     has a few hundred paragraphs).
 * Prints requests/s, p50 and p99 of both and the ratio. BENCH_SECONDS (default 20) sets each run's length;
 * BENCH_PROFILE=<file.cpuprofile> writes a CPU profile of the server during the takeDecision run.
 */
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { establishBoard, openQuorateMeeting, startBenchServer, type BenchServer } from './lib/bench-server';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
let authorization = '';
const CONNECTIONS = 32;
const BODIES = Number(process.env.BENCH_BODIES ?? 400);

async function main(): Promise<void> {
  const server = await startBenchServer({ name: 'api' });
  const { url, dataDir } = server;
  authorization = server.authorization;
  try {
    const meetings = await setUp(server);
    console.log(`Kansli API benchmark: ${CONNECTIONS} connections, ${SECONDS} s each, durable embedded store in ${dataDir}`);
    console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}; ${meetings.length} bodies with an open, quorate meeting`);

    await run(url, 'warm-up', 3, () => noopBody(0));
    const ceiling = await run(url, 'ceiling: benchNoop (validates, writes nothing)', SECONDS, (i) => noopBody(i));
    const anonymous = await run(url, 'the same without a token (no authentication)', SECONDS, (i) => noopBody(i, 'benchNoopPublic'), false);
    let next = 0;
    const profile = process.env.BENCH_PROFILE;
    if (profile) await server.ask({ profile: 'start' }, 'profiling');
    const decisions = await run(url, 'takeDecision', SECONDS, () => decisionBody(meetings[next++ % meetings.length], next));
    if (profile) console.log(`CPU profile of the server during takeDecision: ${await server.ask({ profile: 'stop', file: profile }, 'profiled')}`);

    const written = await countDecisions(server, meetings);
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
    await server.stop();
  }
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

/** BODIES boards of five seats, three ledamöter each, each with an open meeting where all three are present. */
async function setUp(server: BenchServer): Promise<string[]> {
  const meetings: string[] = [];
  for (let b = 0; b < BODIES; b++) {
    meetings.push(await openQuorateMeeting(server.gql, await establishBoard(server.gql, `Nämnd ${b}`), '2018-06-14T09:00:00+02:00'));
  }
  return meetings;
}

async function countDecisions(server: BenchServer, meetings: string[]): Promise<number> {
  let total = 0;
  for (const id of meetings) {
    const { meeting } = await server.gql<{ meeting: { decisions: unknown[] } }>('query($id: ID!) { meeting(id: $id) { decisions { id } } }', { id });
    total += meeting.decisions.length;
  }
  return total;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
