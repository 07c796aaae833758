/**
 * Pages benchmark: `npm run bench:pages`. Starts the server (a child process, bench/api-server.ts) on a fresh,
 * durable embedded store, loads PAGES_BODIES boards (default 20, a kommun's nämnder) each with a meeting of 20
 * paragraphs, justerad and posted on the anslagstavla today, then with autocannon, 32 connections, BENCH_SECONDS
 * each (default 15):
 *   - the ceiling: bench:api's benchNoop mutation (validates its input, writes nothing) through NestJS and Apollo,
 *     before the pages and again after them (the ratios use the higher);
 *   - GET /anslagstavla (every notice up today: one per board);
 *   - GET /protokoll/{id}, the boards' protocols in turn (attendance, 20 § with their att-clauses, signatures,
 *     anslagsbevis and the log's checkpoint);
 * and then PDF_REQUESTS (default 100) GET /protokoll/{id}.pdf one after another: the time to render a protocol of
 * 20 paragraphs. Prints requests/s, p50 and p99 of each, the ratios to the ceiling and the verdicts (pages ≥ 50 %
 * of the ceiling with p99 ≤ 50 ms; the PDF p99 ≤ 200 ms). Every answer is checked: a 404 must not pass for a
 * fast page.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { establishBoard, openQuorateMeeting, startBenchServer, type BenchServer } from './lib/bench-server';
import { fmt, now, summarize } from './lib/stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 32;
const BODIES = Number(process.env.PAGES_BODIES ?? 20);
const PARAGRAPHS = 20;
const PDF_REQUESTS = Number(process.env.PDF_REQUESTS ?? 100);

const SWEDISH_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });
const day = (offset: number) => SWEDISH_DAY.format(new Date(Date.now() + offset * 86_400_000));

async function main(): Promise<void> {
  const server = await startBenchServer({ name: 'pages' });
  try {
    const meetings = await setUp(server);
    const origin = server.url.replace(/\/graphql$/, '');
    console.log(`Kansli pages benchmark: ${CONNECTIONS} connections, ${SECONDS} s each, durable embedded store in ${server.dataDir}`);
    console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}; ${meetings.length} boards, each with a justerad protocol of ${PARAGRAPHS} § posted today`);

    await post(server, 'warm-up', 3);
    await get(origin, 'warm-up', 3, () => '/anslagstavla', '<h1>Anslagstavla</h1>');
    // The ceiling before and after the pages, so a machine whose other load changes during the run shows it.
    const before = await measured(server, () => post(server, 'ceiling: benchNoop (validates, writes nothing)', SECONDS));
    const board = await measured(server, () => get(origin, 'GET /anslagstavla', SECONDS, () => '/anslagstavla', `Anslag uppsatta ${day(0)}`), 'anslagstavla');
    let next = 0;
    const protocol = await measured(server, () => get(origin, 'GET /protokoll/{id}', SECONDS, () => `/protokoll/${meetings[next++ % meetings.length]}`, `§ ${PARAGRAPHS}`), 'protokoll');
    const after = await measured(server, () => post(server, 'ceiling again: benchNoop', SECONDS));
    const ceiling = before.requests.average >= after.requests.average ? before : after;
    console.log(`the ceiling: ${Math.round(before.requests.average)} req/s before the pages, ${Math.round(after.requests.average)} after; the ratios use the higher`);

    const pdfTimes: number[] = [];
    let pdfBytes = 0;
    const pdfCpuStart = serverCpu(server);
    for (let i = 0; i < PDF_REQUESTS; i++) {
      const started = now();
      const response = await fetch(`${origin}/protokoll/${meetings[i % meetings.length]}.pdf`);
      const body = Buffer.from(await response.arrayBuffer());
      pdfTimes.push(now() - started);
      if (response.status !== 200 || body.subarray(0, 5).toString() !== '%PDF-') throw new Error(`The PDF answered ${response.status}`);
      pdfBytes = body.length;
    }
    const pdf = summarize(pdfTimes);
    const pdfCpu = (serverCpu(server) - pdfCpuStart) / PDF_REQUESTS;

    console.log('');
    console.log('| run | requests/s | p50 | p99 | of the ceiling | server CPU per request | non-2xx / errors |');
    console.log('|---|---|---|---|---|---|---|');
    for (const [name, r] of [['ceiling (benchNoop), before', before], ['GET /anslagstavla', board], ['GET /protokoll/{id}', protocol], ['ceiling (benchNoop), after', after]] as const) {
      const ratio = `${fmt((100 * r.requests.average) / ceiling.requests.average)} %`;
      console.log(`| ${name} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${ratio} | ${Math.round(cpuPerRequest.get(r)!)} µs | ${r.non2xx} / ${r.errors} |`);
    }
    console.log(`| GET /protokoll/{id}.pdf, one at a time (${PDF_REQUESTS}) | ${fmt(1000 / (pdfTimes.reduce((a, b) => a + b, 0) / pdfTimes.length))} | ${fmt(pdf.p50)} ms | ${fmt(pdf.p99)} ms | – | ${Math.round(pdfCpu)} µs | 0 / 0 |`);
    console.log('');
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    for (const [name, r] of [['/anslagstavla', board], ['/protokoll/{id}', protocol]] as const) {
      const ratio = r.requests.average / ceiling.requests.average;
      console.log(`${name} / ceiling: ${fmt(ratio * 100)} % (target ≥ 50 %): ${verdict(ratio >= 0.5)}; p99 ${r.latency.p99} ms (target ≤ 50 ms): ${verdict(r.latency.p99 <= 50)}`);
    }
    console.log(`protocol PDF of ${PARAGRAPHS} paragraphs (${fmt(pdfBytes / 1024)} KiB): p50 ${fmt(pdf.p50)} ms, p99 ${fmt(pdf.p99)} ms, max ${fmt(pdf.max)} ms (target ≤ 200 ms): ${verdict(pdf.p99 <= 200)}`);
    const cost = (r: autocannon.Result) => cpuPerRequest.get(r)!;
    const ceilingCost = Math.min(cost(before), cost(after));
    console.log(
      `server CPU per request, whatever else the machine ran: the ceiling ${Math.round(ceilingCost)} µs, /anslagstavla ${Math.round(cost(board))} µs ` +
        `(${fmt((100 * ceilingCost) / cost(board))} % of the ceiling's throughput on the same CPU), /protokoll/{id} ${Math.round(cost(protocol))} µs (${fmt((100 * ceilingCost) / cost(protocol))} %)`,
    );
    const failed = [before, after, board, protocol].reduce((sum, r) => sum + r.non2xx + r.errors + (mismatches.get(r) ?? 0), 0);
    if (failed > 0) throw new Error('Some requests failed or answered something else: the figures above do not measure what they claim');
  } finally {
    await server.stop();
  }
}

/** The server's CPU time so far (user + system, /proc/<pid>/stat), in µs: what a run cost it, whatever else the machine ran. */
function serverCpu(server: BenchServer): number {
  const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

/** Server CPU per answered request of a run. */
const cpuPerRequest = new Map<autocannon.Result, number>();
async function measured(server: BenchServer, run: () => Promise<autocannon.Result>, name = ''): Promise<autocannon.Result> {
  // BENCH_PROFILE=<file.cpuprofile> with BENCH_PROFILE_RUN=anslagstavla or protokoll: a CPU profile of the server during that run.
  const profile = process.env.BENCH_PROFILE && process.env.BENCH_PROFILE_RUN === name ? process.env.BENCH_PROFILE : undefined;
  if (profile) await server.ask({ profile: 'start' }, 'profiling');
  const start = serverCpu(server);
  const result = await run();
  if (profile) console.log(`CPU profile of the server during ${name}: ${String(await server.ask({ profile: 'stop', file: profile }, 'profiled'))}`);
  cpuPerRequest.set(result, (serverCpu(server) - start) / Math.max(1, result.requests.total));
  return result;
}

/** Answers whose body was not the page asked for, per run. */
const mismatches = new Map<autocannon.Result, number>();

function report(title: string, resolve: (result: autocannon.Result) => void, reject: (error: unknown) => void, counted: () => number) {
  return (error: unknown, result: autocannon.Result) => {
    if (error) return reject(error);
    mismatches.set(result, counted());
    console.log(`${title}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms${counted() ? `, ${counted()} wrong answers` : ''}`);
    resolve(result);
  };
}

function post(server: BenchServer, title: string, duration: number): Promise<autocannon.Result> {
  let i = 0;
  let wrong = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: server.url,
        connections: CONNECTIONS,
        duration,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: server.authorization },
        requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: 'mutation($input: BenchNoopInput!) { benchNoop(input: $input) }', variables: { input: { n: i++ } } }) }) }],
        verifyBody: (body) => {
          if (!String(body).includes('"errors"')) return true;
          wrong++;
          return false;
        },
      },
      report(title, resolve, reject, () => wrong),
    );
  });
}

function get(origin: string, title: string, duration: number, path: () => string, expected: string): Promise<autocannon.Result> {
  let wrong = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: origin,
        connections: CONNECTIONS,
        duration,
        method: 'GET',
        headers: { accept: 'text/html' },
        requests: [{ setupRequest: (request) => ({ ...request, path: path() }) }],
        verifyBody: (body) => {
          if (String(body).includes(expected)) return true;
          wrong++;
          return false;
        },
      },
      report(title, resolve, reject, () => wrong),
    );
  });
}

/** BODIES boards, each with a meeting three days ago: 20 decisions of two att-clauses, justerad two days ago, posted yesterday. */
async function setUp(server: BenchServer): Promise<string[]> {
  const meetings: string[] = [];
  for (let b = 0; b < BODIES; b++) {
    const board = await establishBoard(server.gql, `Nämnd ${b}`);
    const meetingId = await openQuorateMeeting(server.gql, board, `${day(-3)}T09:00:00+02:00`);
    const run = (mutation: string, input: Record<string, unknown>) =>
      server.gql(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`, { input });
    await run('appointJusterare', { meetingId, personIds: [board.members[1]] });
    for (let p = 0; p < PARAGRAPHS; p++) {
      await run('takeDecision', {
        meetingId,
        title: `Ansökan om medel nr ${p + 1} från föreningen för social ekonomi`,
        clauses: [
          `att bevilja sökanden upp till ${(p + 1) * 10_000} kr för perioden augusti – december`,
          'att uppdra åt förbundschefen att följa upp insatsen och återrapportera till styrelsen i december',
        ],
        outcome: 'BIFALL',
        decidedAt: `${day(-3)}T10:00:00+02:00`,
      });
    }
    await run('closeMeeting', { meetingId, at: `${day(-3)}T15:00:00+02:00` });
    await run('justeraProtocol', { meetingId, justeradAt: day(-2), signatoryIds: [board.members[0], board.members[1]] });
    await run('postAnslag', { meetingId, postedAt: day(-1), removeAfter: day(21), storageLocation: 'Kommunledningskontoret, stadshuset' });
    meetings.push(meetingId);
  }
  return meetings;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
