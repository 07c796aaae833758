/**
 * Webhook benchmark: `npm run bench:webhooks`. Starts the server (a child process, bench/api-server.ts) on a fresh
 * durable embedded store with KANSLI_WEBHOOK_ALLOW_PRIVATE=true, and a receiver on the loopback address in this
 * process that checks every delivery's signature (HMAC-SHA256 of id.timestamp.body with the webhook's secret) and
 * answers 204. A webhook subscribes to PersonRegistered; events are appended with registerPerson over GraphQL.
 *   (a) throughput: BENCH_EVENTS (default 20,000) events appended while the receiver answers 503 (the queue stops at
 *       the first and waits on the retry schedule); then the receiver answers again, the waiting delivery is
 *       redelivered, and the backlog drains: deliveries per second;
 *   (b) latency: BENCH_RATE (default 100) events a second for BENCH_LATENCY_SECONDS (default 15) while the
 *       receiver answers: from the event's recordedAt (the store's commit) to its arrival, p50 and p99;
 *   (c) outage: the receiver answers 503 for BENCH_OUTAGE_SECONDS (the issue's 10 minutes = 600; shorten it with
 *       the variable) while BENCH_OUTAGE_RATE (default 50) events a second go on being appended; then it answers
 *       again, the waiting delivery is redelivered (as the diarium's operator would; the schedule's own next attempt
 *       after a 10-minute outage is 30 minutes later), and the backlog drains: deliveries per second, against (a).
 * Prints each figure and the ratios to the targets (≥ 1,000 deliveries/s; p99 ≤ 100 ms; (c) at (a)'s rate).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';
import { startBenchServer } from './lib/bench-server';
import { fmt, fmtInt, summarize } from './lib/stats';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 600);
const OUTAGE_RATE = Number(process.env.BENCH_OUTAGE_RATE ?? 50);
const WRITERS = 32;

/** The diarium's side: verifies, counts first arrivals per webhook-id, and notes when each arrived. */
class Receiver {
  up = false;
  secret = Buffer.alloc(0);
  readonly arrived = new Map<string, number>();
  readonly latencies: number[] = [];
  measuring = false;
  badSignatures = 0;
  duplicates = 0;
  requests = 0;
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  readonly server = createServer((request, response) => this.handle(request, response));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook`;
  }

  /** Resolves when `count` distinct events have arrived. */
  until(count: number): Promise<void> {
    if (this.arrived.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      this.requests += 1;
      if (!this.up) {
        response.statusCode = 503;
        response.end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(request.headers['webhook-id']);
      const signature = createHmac('sha256', this.secret).update(`${id}.${request.headers['webhook-timestamp']}.${body}`).digest('base64');
      if (request.headers['webhook-signature'] !== `v1,${signature}`) this.badSignatures += 1;
      if (this.arrived.has(id)) this.duplicates += 1;
      else {
        this.arrived.set(id, at);
        if (this.measuring) this.latencies.push(at - Date.parse((JSON.parse(body) as { timestamp: string }).timestamp));
      }
      response.statusCode = 204;
      response.end();
      for (const waiter of this.waiters.filter((w) => this.arrived.size >= w.count)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }
}

async function main(): Promise<void> {
  process.env.KANSLI_WEBHOOK_ALLOW_PRIVATE = 'true';
  const server = await startBenchServer({ name: 'webhooks' });
  const receiver = new Receiver();
  const url = await receiver.start();
  try {
    const key = await SigningKey.loadOrCreate(join(server.dataDir, SIGNING_KEY_FILE));
    const diarium = `Bearer ${await key.sign({ sub: 'bench-diarium', roles: ['DIARIUM'] }, 24 * 3600)}`;
    const gqlAs = async <T>(authorization: string, query: string, variables?: Record<string, unknown>): Promise<T> => {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query, variables }) });
      const answer = (await response.json()) as { data?: T; errors?: unknown };
      if (answer.errors || !answer.data) throw new Error(JSON.stringify(answer.errors));
      return answer.data;
    };
    const { createWebhook } = await gqlAs<{ createWebhook: { secret: string; webhook: { id: string } } }>(
      diarium,
      'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id } } }',
      { input: { url, eventTypes: ['PersonRegistered'] } },
    );
    receiver.secret = Buffer.from(createWebhook.secret.slice('whsec_'.length), 'base64');
    const webhookId = createWebhook.webhook.id;
    let appended = 0;
    const append = () => server.gql('mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', { input: { name: `Person ${(appended += 1)}` } });
    /** The delivery the queue is waiting on: the last attempt logged (the list is oldest first). */
    const lastDelivery = async () => {
      let last: string | undefined;
      let after: string | null = null;
      for (;;) {
        const page: { webhookDeliveries: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gqlAs(diarium,
          'query($id: ID!, $after: String) { webhookDeliveries(webhookId: $id, first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }', { id: webhookId, after });
        last = page.webhookDeliveries.edges.at(-1)?.node.id ?? last;
        if (!page.webhookDeliveries.pageInfo.hasNextPage) break;
        after = page.webhookDeliveries.pageInfo.endCursor;
      }
      if (!last) throw new Error('No delivery was attempted while the receiver was down');
      return last;
    };
    const redeliver = (deliveryId: string) => gqlAs(diarium, 'mutation($input: RedeliverInput!) { redeliver(input: $input) { id status } }', { input: { deliveryId } });
    const answered: number[] = [];
    const paced = async (rate: number, seconds: number) => {
      const started = Date.now();
      const total = Math.round(rate * seconds);
      const pending: Array<Promise<unknown>> = [];
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const sentAt = Date.now();
        pending.push(append().then(() => answered.push(Date.now() - sentAt)));
      }
      await Promise.all(pending);
      return total;
    };
    console.log(`Kansli webhook benchmark: durable embedded store in ${server.dataDir}; receiver ${url}`);
    console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}`);

    // (a) a backlog of EVENTS, drained.
    receiver.up = false;
    let started = Date.now();
    let next = 0;
    await Promise.all(Array.from({ length: WRITERS }, async () => {
      while (next < EVENTS) {
        next += 1;
        await append();
      }
    }));
    const appendSeconds = (Date.now() - started) / 1000;
    console.log(`(a) ${fmtInt(EVENTS)} events appended in ${fmt(appendSeconds)} s (${fmtInt(EVENTS / appendSeconds)}/s) while the receiver answered 503 (${receiver.requests} attempts)`);
    let waiting = await lastDelivery();
    receiver.up = true;
    started = Date.now();
    await redeliver(waiting);
    await receiver.until(EVENTS);
    const drainA = (Date.now() - started) / 1000;
    const throughput = EVENTS / drainA;
    console.log(`(a) backlog of ${fmtInt(EVENTS)} delivered in ${fmt(drainA, 2)} s: ${fmtInt(throughput)} deliveries/s`);

    // (b) latency at a steady rate while the receiver answers.
    receiver.measuring = true;
    answered.length = 0;
    const before = receiver.arrived.size;
    const sent = await paced(RATE, LATENCY_SECONDS);
    await receiver.until(before + sent);
    receiver.measuring = false;
    const latency = summarize(receiver.latencies);
    const appends = summarize(answered);
    console.log(`(b) ${fmtInt(sent)} events at ${RATE}/s: append→delivery p50 ${fmt(latency.p50, 0)} ms, p99 ${fmt(latency.p99, 0)} ms, max ${fmt(latency.max, 0)} ms (the appends' own answers: p50 ${fmt(appends.p50, 0)} ms, p99 ${fmt(appends.p99, 0)} ms)`);

    // (c) an outage of OUTAGE_SECONDS with appends going on, then the backlog drained.
    receiver.up = false;
    const beforeOutage = receiver.arrived.size;
    const attemptsBefore = receiver.requests;
    const outageEvents = await paced(OUTAGE_RATE, OUTAGE_SECONDS);
    console.log(`(c) receiver down for ${OUTAGE_SECONDS} s: ${fmtInt(outageEvents)} events appended at ${OUTAGE_RATE}/s, ${receiver.requests - attemptsBefore} attempts refused meanwhile`);
    waiting = await lastDelivery();
    receiver.up = true;
    started = Date.now();
    await redeliver(waiting);
    await receiver.until(beforeOutage + outageEvents);
    const drainC = (Date.now() - started) / 1000;
    const drainRate = outageEvents / drainC;
    console.log(`(c) backlog of ${fmtInt(outageEvents)} delivered in ${fmt(drainC, 2)} s: ${fmtInt(drainRate)} deliveries/s`);

    console.log('');
    console.log('| measure | result | target | |');
    console.log('|---|---|---|---|');
    console.log(`| (a) deliveries to a local receiver | ${fmtInt(throughput)}/s | ≥ 1,000/s | ${throughput >= 1000 ? 'met' : 'MISSED'} (${fmt(throughput / 1000, 2)} ×) |`);
    console.log(`| (b) append→delivery p99 at ${RATE}/s | ${fmt(latency.p99, 0)} ms (p50 ${fmt(latency.p50, 0)} ms) | ≤ 100 ms | ${latency.p99 <= 100 ? 'met' : 'MISSED'} (${fmt(latency.p99 / 100, 2)} of the limit) |`);
    console.log(`| (c) backlog after a ${OUTAGE_SECONDS} s outage drains at | ${fmtInt(drainRate)}/s | (a)'s rate | ${fmt((drainRate / throughput) * 100, 0)} % of (a) |`);
    console.log(`signatures that did not verify: ${receiver.badSignatures}; events arrived twice: ${receiver.duplicates}; events delivered ${fmtInt(receiver.arrived.size)} of ${fmtInt(appended)} appended`);
    if (receiver.badSignatures > 0 || receiver.arrived.size !== appended) throw new Error('Deliveries were lost or unsigned: the figures above do not measure what they claim');
  } finally {
    receiver.server.close();
    receiver.server.closeAllConnections();
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

