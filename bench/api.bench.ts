/**
 * API benchmark: `npm run bench:api`. Starts the server (a child process) on a fresh embedded store, durable
 * (synchronous=FULL), then with autocannon, 32 connections:
 *   - the ceiling: a mutation that validates its input and writes nothing, through the same NestJS/Apollo stack;
 *   - takeDecision over HTTP, spread over many bodies' open meetings (a kommun has many nämnder; one body's year
 *     has a few hundred paragraphs);
 *   - reviseBudget: each request revises one line of one body's budget, citing the body's budget decision;
 *   - delegationOrder(asOf): each request asks for one body's delegation order on a day of the year, where each
 *     body has granted, amended and revoked delegations through the year (answered from read models).
 * Prints requests/s, p50 and p99 of each and the ratio. BENCH_SECONDS (default 20) sets each run's length;
 * BENCH_PROFILE=<file.cpuprofile> writes a CPU profile of the server during one run: BENCH_PROFILE_RUN names it
 * (takeDecision by default, reviseBudget or delegationOrder).
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
    const registers = await setUpRegisters(server, meetings);
    console.log(`Kansli API benchmark: ${CONNECTIONS} connections, ${SECONDS} s each, durable embedded store in ${dataDir}`);
    console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}; ${meetings.length} bodies with an open, quorate meeting`);

    await run(url, 'warm-up', 3, () => noopBody(0));
    const ceiling = await run(url, 'ceiling: benchNoop (validates, writes nothing)', SECONDS, (i) => noopBody(i));
    const anonymous = await run(url, 'the same without a token (no authentication)', SECONDS, (i) => noopBody(i, 'benchNoopPublic'), false);
    let next = 0;
    const profiled = async (name: string, measure: () => Promise<autocannon.Result>) => {
      const profile = process.env.BENCH_PROFILE;
      if (!profile || (process.env.BENCH_PROFILE_RUN ?? 'takeDecision') !== name) return measure();
      await server.ask({ profile: 'start' }, 'profiling');
      const result = await measure();
      console.log(`CPU profile of the server during ${name}: ${await server.ask({ profile: 'stop', file: profile }, 'profiled')}`);
      return result;
    };
    const decisions = await profiled('takeDecision', () => run(url, 'takeDecision', SECONDS, () => decisionBody(meetings[next++ % meetings.length], next)));
    const revisions = await profiled('reviseBudget', () => run(url, 'reviseBudget', SECONDS, (i) => reviseBody(registers[i % registers.length], i)));
    const orders = await profiled('delegationOrder', () =>
      run(url, 'delegationOrder(asOf)', SECONDS, (i) => delegationOrderBody(registers[(i * 7) % registers.length].bodyId, i)),
    );

    const written = await countDecisions(server, meetings);
    const ratio = decisions.requests.average / ceiling.requests.average;
    console.log('');
    console.log('| run | requests/s | p50 | p99 | non-2xx / errors |');
    console.log('|---|---|---|---|---|');
    const runs = [['ceiling (benchNoop)', ceiling], ['benchNoop without a token', anonymous], ['takeDecision', decisions], ['reviseBudget', revisions], ['delegationOrder(asOf)', orders]] as const;
    for (const [name, r] of runs) {
      console.log(`| ${name} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx} / ${r.errors} |`);
    }
    console.log('');
    console.log(`decisions written: ${written.toLocaleString('en')} of ${decisions.requests.total.toLocaleString('en')} requests answered`);
    const authCost = 1000 / ceiling.requests.average - 1000 / anonymous.requests.average;
    console.log(`authentication: ${(100 * (1 - ceiling.requests.average / anonymous.requests.average)).toFixed(1)} % of the no-op's throughput, about ${(authCost * 1000).toFixed(0)} µs of server time per request`);
    console.log(`takeDecision / ceiling: ${(ratio * 100).toFixed(1)} % (target ≥ 60 %): ${ratio >= 0.6 ? 'met' : 'MISSED'}`);
    console.log(`takeDecision p99: ${decisions.latency.p99} ms (target ≤ 50 ms): ${decisions.latency.p99 <= 50 ? 'met' : 'MISSED'}`);
    console.log(`reviseBudget p99: ${revisions.latency.p99} ms (target ≤ 50 ms): ${revisions.latency.p99 <= 50 ? 'met' : 'MISSED'}`);
    console.log(`delegationOrder(asOf) p99: ${orders.latency.p99} ms (target ≤ 50 ms): ${orders.latency.p99 <= 50 ? 'met' : 'MISSED'}`);
    const revised = await countRevisions(server, registers);
    console.log(`budget revisions written: ${revised.toLocaleString('en')} of ${revisions.requests.total.toLocaleString('en')} requests answered`);
    const failed = runs.reduce((sum, [, r]) => sum + r.non2xx + r.errors + graphqlErrors.get(r)!, 0);
    if (failed > 0 || written < decisions['2xx'] || revised < revisions['2xx']) {
      throw new Error('Some requests failed or wrote nothing: the figures above do not measure what they claim');
    }
  } finally {
    await server.stop();
  }
}

/** Answers with HTTP 200 whose body carries GraphQL errors, per run: a refused request must not pass for a fast one. */
const graphqlErrors = new Map<autocannon.Result, number>();

function run(url: string, title: string, duration: number, body: (i: number) => string, withToken = true): Promise<autocannon.Result> {
  let i = 0;
  let errors = 0;
  let firstError = '';
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: withToken ? { 'content-type': 'application/json', authorization } : { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: body(i++) }) }],
        verifyBody: (response) => {
          const text = String(response ?? '');
          if (!text.includes('"errors"')) return true;
          errors++;
          firstError ||= text.slice(0, 300);
          return false;
        },
      },
      (error, result) => {
        if (error) reject(error);
        else {
          graphqlErrors.set(result, errors);
          const failures = errors > 0 ? `, ${errors} GraphQL errors (first: ${firstError})` : '';
          console.log(`${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${failures}`);
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

interface Registers {
  bodyId: string;
  budgetId: string;
  decisionId: string;
}

const BUDGET_LINES = 12;
const DELEGATIONS = 8;
/** A day from the registers' start (2018-06-14) to the year's end, spread over the months and days. */
const dayOf = (n: number) => `2018-${String(7 + (n % 6)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;

/**
 * Each body's registers for the year: a budget decision (§ in its open meeting of 2018-06-14), a budget of
 * BUDGET_LINES lines adopted by it, and DELEGATIONS delegations granted on different days, each amended later and
 * every fourth revoked, all citing that decision.
 */
async function setUpRegisters(server: BenchServer, meetings: string[]): Promise<Registers[]> {
  const registers: Registers[] = [];
  for (const [b, meetingId] of meetings.entries()) {
    const { takeDecision } = await server.gql<{ takeDecision: { id: string; meeting: { body: { id: string } } } }>(
      'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id meeting { body { id } } } }',
      { input: { meetingId, title: 'Budget och delegationsordning 2018', clauses: ['att fastställa budget 2018', 'att anta delegationsordningen'], outcome: 'BIFALL', decidedAt: '2018-06-14T10:00:00+02:00' } },
    );
    const bodyId = takeDecision.meeting.body.id;
    const decisionId = takeDecision.id;
    const lines = Array.from({ length: BUDGET_LINES }, (_, l) => ({
      code: `L${l}`,
      name: l === 0 ? 'Medlemsavgifter' : `Insats ${l}`,
      amount: l === 0 ? 5_000_000 : 300_000 + 10_000 * l,
      kind: l === 0 ? 'INCOME' : 'COST',
    }));
    const { adoptBudget } = await server.gql<{ adoptBudget: { id: string } }>('mutation($input: AdoptBudgetInput!) { adoptBudget(input: $input) { id } }', {
      input: { bodyId, year: 2018, lines, decisionId, adoptedAt: '2018-06-14T10:00:00+02:00' },
    });
    for (let d = 0; d < DELEGATIONS; d++) {
      const change = (input: Record<string, unknown>) =>
        server.gql<{ changeDelegation: { id: string } }>('mutation($input: ChangeDelegationInput!) { changeDelegation(input: $input) { id } }', {
          input: { bodyId, decisionId, ...input },
        });
      const granted = await change({ action: 'GRANT', matter: `Ärende ${d} i nämnd ${b}`, category: 'EKONOMI', delegate: 'Förbundschef', limitAmount: 100_000, validFrom: `2018-06-${String(14 + d).padStart(2, '0')}` });
      const delegationId = granted.changeDelegation.id;
      await change({ action: 'AMEND', delegationId, limitAmount: 200_000, validFrom: `2018-${String(7 + (d % 6)).padStart(2, '0')}-01` });
      if (d % 4 === 3) await change({ action: 'REVOKE', delegationId, validFrom: '2018-12-15' });
    }
    registers.push({ bodyId, budgetId: adoptBudget.id, decisionId });
  }
  return registers;
}

const reviseBody = (registers: Registers, n: number) =>
  JSON.stringify({
    query: 'mutation($input: ReviseBudgetInput!) { reviseBudget(input: $input) { id total result } }',
    variables: {
      input: {
        budgetId: registers.budgetId,
        changes: [{ code: `L${1 + (n % (BUDGET_LINES - 1))}`, amount: 250_000 + (n % 1000) * 100 }],
        reason: `Omfördelning nr ${n}`,
        decisionId: registers.decisionId,
        revisedAt: '2018-06-14T12:00:00+02:00',
      },
    },
  });

const delegationOrderBody = (bodyId: string, n: number) =>
  JSON.stringify({
    query: 'query($bodyId: ID!, $asOf: Date) { delegationOrder(bodyId: $bodyId, asOf: $asOf) { id matter category delegate substitute limitAmount validFrom validTo } }',
    variables: { bodyId, asOf: dayOf(n) },
  });

async function countRevisions(server: BenchServer, registers: Registers[]): Promise<number> {
  let total = 0;
  for (const { bodyId } of registers) {
    const { budget } = await server.gql<{ budget: { revisions: unknown[] } }>('query($bodyId: ID!) { budget(bodyId: $bodyId, year: 2018) { revisions { revisedAt } } }', { bodyId });
    total += budget.revisions.length;
  }
  return total;
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
