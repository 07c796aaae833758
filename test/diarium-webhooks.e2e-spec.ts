import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Clock } from '@kansli/api';
import { SIGNING_KEY_FILE, SigningKey, type Role } from '@kansli/auth';
import { RETRY_DELAYS_MS, WebhookDeliveries } from '@kansli/diarium';
import { GraphQLTestClient, startEsdbFakeServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { configureApp } from '../apps/kansli/src/configure-app';
import { establishBoard } from './support/board';
import { until, WebhookReceiver, type Receipt } from './support/webhook-receiver';

/** The server's clock, which the tests move on to reach a retry due in minutes or hours without waiting for it. */
class MovableClock extends Clock {
  offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

interface Server {
  app: INestApplication;
  admin: GraphQLTestClient;
  diarium: GraphQLTestClient;
  /** Moves the server's clock on and wakes the delivery queues to look at it. */
  advance(ms: number): void;
  /** `kansli_webhook_backlog` as /metrics gives it. */
  backlog(): Promise<number>;
  /** /metrics: its status and text. */
  metrics(): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

const ENV = { KANSLI_WEBHOOK_ALLOW_PRIVATE: 'true', KANSLI_WEBHOOK_TIMEOUT_MS: '300' };

/** The server as `npm start` builds it, on a data folder that outlives it (a restart uses the same one). */
async function startOn(dataDir: string, clock: MovableClock, env: Record<string, string> = {}): Promise<Server> {
  const config = loadConfig({ KANSLI_DATA_DIR: dataDir, ...ENV, ...env });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, { clock })] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const key = await SigningKey.loadOrCreate(config.auth.mode === 'embedded' ? config.auth.keyFile : join(dataDir, SIGNING_KEY_FILE));
  const client = async (roles: Role[], sub: string) => new GraphQLTestClient(`http://127.0.0.1:${port}/graphql`).withToken(await key.sign({ sub, roles }, 3600));
  const deliveries = app.get(WebhookDeliveries, { strict: false });
  return {
    app,
    admin: await client(['ADMIN', 'SEKRETERARE', 'REVISOR'], 'kansli-test'),
    diarium: await client(['DIARIUM'], 'diariet'),
    advance: (ms) => {
      clock.offset += ms;
      deliveries.poke();
    },
    metrics: async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      return { status: response.status, text: await response.text() };
    },
    backlog: async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = /^kansli_webhook_backlog (\S+)$/m.exec(text);
      if (!line) throw new Error('/metrics has no kansli_webhook_backlog');
      return Number(line[1]);
    },
    close: () => app.close(),
  };
}

const REGISTER = 'mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) { id dnr } }';
const CREATE = 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id url eventTypes active createdAt } } }';
const DELIVERIES = `query($id: ID!, $first: Int, $after: String) { webhookDeliveries(webhookId: $id, first: $first, after: $after) {
  edges { cursor node { id eventId eventType attempt status responseStatus error attemptedAt nextAttemptAt deliveredAt manual } } pageInfo { hasNextPage endCursor } } }`;
type Delivery = { id: string; eventId: string; eventType: string; attempt: number; status: string; responseStatus: number | null; error: string | null; attemptedAt: string; nextAttemptAt: string | null; deliveredAt: string | null; manual: boolean };

async function deliveriesOf(gql: GraphQLTestClient, webhookId: string): Promise<Delivery[]> {
  const all: Delivery[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { webhookDeliveries: { edges: Array<{ node: Delivery }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gql.ok(DELIVERIES, { id: webhookId, first: 100, after });
    all.push(...page.webhookDeliveries.edges.map((edge) => edge.node));
    if (!page.webhookDeliveries.pageInfo.hasNextPage) return all;
    after = page.webhookDeliveries.pageInfo.endCursor;
  }
}

async function subscribe(gql: GraphQLTestClient, receiver: WebhookReceiver, eventTypes = ['DocumentRegistered']): Promise<string> {
  const { createWebhook } = await gql.ok<{ createWebhook: { secret: string; webhook: { id: string; active: boolean; eventTypes: string[] } } }>(CREATE, { input: { url: receiver.url, eventTypes } });
  expect(createWebhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  expect(createWebhook.webhook).toMatchObject({ active: true, eventTypes });
  receiver.secret = createWebhook.secret;
  return createWebhook.webhook.id;
}

const documentOf = (receipt: Receipt) => receipt.payload.data.documentId as string;
const dnrOf = (receipt: Receipt) => receipt.payload.data.dnr as string;

/** Every receipt's signature verified, and a document always came under the same webhook-id with the same body. */
function expectSignedAndIdempotent(receipts: Receipt[]): void {
  expect(receipts.filter((receipt) => receipt.verified !== true)).toEqual([]);
  const first = new Map<string, Receipt>();
  for (const receipt of receipts) {
    const seen = first.get(documentOf(receipt));
    if (!seen) first.set(documentOf(receipt), receipt);
    else expect({ id: receipt.id, body: receipt.body }).toEqual({ id: seen.id, body: seen.body });
  }
}

describe('webhooks from the log, by the Standard Webhooks specification', () => {
  let receiver: WebhookReceiver;
  let dataDir: string;
  let server: Server | undefined;
  let clock: MovableClock;
  const letter = (bodyId: string, description: string) => ({ bodyId, date: '2018-06-14', direction: 'INKOMMANDE', counterpart: 'Skellefteå kommun', description });

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    dataDir = mkdtempSync(join(tmpdir(), 'kansli-webhooks-'));
    clock = new MovableClock();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('retries a failed event on the schedule (a 500, then a timeout, then 5 minutes later a success) and never passes it meanwhile; every attempt is logged', async () => {
    server = await startOn(dataDir, clock);
    const board = await establishBoard(server.admin);
    const webhookId = await subscribe(server.diarium, receiver);
    receiver.answer = (_receipt, nth) => (nth === 1 ? 500 : nth === 2 ? 'hang' : 204);
    for (let i = 1; i <= 5; i++) await server.diarium.ok(REGISTER, { input: letter(board.bodyId, `Handling ${i}`) });

    await until(() => receiver.receipts.length === 1, 'the first attempt');
    await until(async () => (await deliveriesOf(server!.admin, webhookId)).length === 1, 'the first attempt to be logged');
    const [failed] = await deliveriesOf(server.admin, webhookId);
    expect(failed).toMatchObject({ eventType: 'DocumentRegistered', attempt: 1, status: 'FAILED', responseStatus: 500, deliveredAt: null, manual: false });
    expect(Date.parse(failed.nextAttemptAt!) - Date.parse(failed.attemptedAt)).toBeGreaterThanOrEqual(5_000);
    expect(Date.parse(failed.nextAttemptAt!) - Date.parse(failed.attemptedAt)).toBeLessThan(6_000);
    // The queue does not pass the failing event: nothing else is sent while it waits.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.receipts).toHaveLength(1);
    // The failing event and the four behind it wait: the operators see the backlog on /metrics.
    expect(await server.backlog()).toBe(5);

    server.advance(5_000);
    await until(async () => (await deliveriesOf(server!.admin, webhookId)).length === 2, 'the second attempt (5 s later) to time out');
    const timedOut = (await deliveriesOf(server.admin, webhookId))[1];
    expect(timedOut).toMatchObject({ eventId: failed.eventId, attempt: 2, status: 'FAILED', responseStatus: null, error: 'no answer within 300 ms' });
    expect(Date.parse(timedOut.nextAttemptAt!) - Date.parse(timedOut.attemptedAt)).toBeGreaterThanOrEqual(300_000);
    expect(receiver.receipts).toHaveLength(2);

    server.advance(300_000);
    await until(() => receiver.accepted.length === 5, 'the third attempt and the four events behind it');
    expect(receiver.accepted.map((receipt) => receipt.payload.data.dnr)).toEqual(['2018-0001', '2018-0002', '2018-0003', '2018-0004', '2018-0005'].map((dnr) => dnr.replace('2018', String(clock.now().getFullYear()))));
    expect(receiver.receipts.slice(0, 3).map((receipt) => receipt.id)).toEqual([failed.eventId, failed.eventId, failed.eventId]);
    expectSignedAndIdempotent(receiver.receipts);
    expect(receiver.accepted[0].payload).toMatchObject({ type: 'DocumentRegistered', data: { bodyId: board.bodyId, eventId: failed.eventId } });
    expect(receiver.accepted[0].payload.data).not.toHaveProperty('description');

    await until(async () => (await deliveriesOf(server!.admin, webhookId)).length === 7, 'every attempt to be logged');
    await until(async () => (await server!.backlog()) === 0, 'the backlog to drain');
    const log = await deliveriesOf(server.admin, webhookId);
    expect(log.map((delivery) => [delivery.attempt, delivery.status, delivery.responseStatus])).toEqual([
      [1, 'FAILED', 500], [2, 'FAILED', null], [3, 'DELIVERED', 204], [1, 'DELIVERED', 204], [1, 'DELIVERED', 204], [1, 'DELIVERED', 204], [1, 'DELIVERED', 204],
    ]);
    expect(log[2].deliveredAt).not.toBeNull();
    expect(log.map((delivery) => delivery.eventId)).toEqual(receiver.receipts.map((receipt) => receipt.id));
    const { webhookDeliveries: page } = await server.diarium.ok<{ webhookDeliveries: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }>(DELIVERIES, { id: webhookId, first: 3 });
    expect(page.edges).toHaveLength(3);
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('loses nothing and sends nothing out of order when the server is stopped in the middle of a burst and started again on the same data', async () => {
    server = await startOn(dataDir, clock);
    const board = await establishBoard(server.admin);
    await subscribe(server.diarium, receiver);
    // A receiver a little slower than the burst, so that deliveries are under way when the server stops.
    receiver.answer = () => 200;
    receiver.delayMs = 10;
    const burst = async (target: Server, from: number, count: number) => {
      for (let i = from; i < from + count; i += 10) {
        await Promise.all(Array.from({ length: Math.min(10, from + count - i) }, (_, j) => target.diarium.ok(REGISTER, { input: letter(board.bodyId, `Handling ${i + j}`) })));
      }
    };
    const first = burst(server, 0, 150);
    await until(() => receiver.receipts.length >= 20, 'the first deliveries');
    await first;
    const beforeStop = receiver.receipts.length;
    await server.close();
    server = undefined;
    const atStop = receiver.receipts.length;
    expect(atStop).toBeLessThan(150);

    server = await startOn(dataDir, clock);
    await burst(server, 150, 50);
    await until(() => new Set(receiver.accepted.map(documentOf)).size === 200, 'all 200 documents after the restart', 30_000);
    const firsts: Receipt[] = [];
    const seen = new Set<string>();
    for (const receipt of receiver.accepted) {
      if (!seen.has(receipt.id)) firsts.push(receipt);
      seen.add(receipt.id);
    }
    // In log order: the dnr series is handed out in the order the documents were appended.
    const dnrs = firsts.map(dnrOf);
    expect(dnrs).toEqual([...dnrs].sort());
    expect(dnrs).toHaveLength(200);
    expectSignedAndIdempotent(receiver.receipts);
    const duplicates = receiver.accepted.length - 200;
    process.stdout.write(`webhooks restart: ${beforeStop} delivered before the stop began, ${atStop} when it ended; 200 documents arrived, ${duplicates} again after the restart (at least once)\n`);
  }, 60_000);

  it('disables the webhook when the schedule runs out (8 attempts over 27.6 hours), and a redelivery turns it on again', async () => {
    server = await startOn(dataDir, clock);
    const board = await establishBoard(server.admin);
    const webhookId = await subscribe(server.diarium, receiver);
    receiver.answer = () => 503;
    await server.diarium.ok(REGISTER, { input: letter(board.bodyId, 'Första') });
    await server.diarium.ok(REGISTER, { input: letter(board.bodyId, 'Andra') });
    await until(() => receiver.receipts.length === 1, 'the first attempt');
    for (const [index, delay] of RETRY_DELAYS_MS.entries()) {
      await until(async () => (await deliveriesOf(server!.admin, webhookId)).length === index + 1, `attempt ${index + 1} to be logged`);
      server.advance(delay);
      await until(() => receiver.receipts.length === index + 2, `attempt ${index + 2}`);
    }
    const webhookState = async () => (await server!.diarium.ok<{ webhooks: Array<{ id: string; active: boolean; disabledReason: string | null }> }>('{ webhooks { id active disabledReason } }')).webhooks.find((w) => w.id === webhookId)!;
    await until(async () => !(await webhookState()).active, 'the webhook to be disabled');
    expect((await webhookState()).disabledReason).toMatch(/^8 attempts to deliver event .+ failed$/);
    const log = await deliveriesOf(server.admin, webhookId);
    expect(log.map((delivery) => delivery.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(log.at(-1)).toMatchObject({ status: 'FAILED', responseStatus: 503, nextAttemptAt: null });
    expect(new Set(receiver.receipts.map((receipt) => receipt.id)).size).toBe(1);
    const { timeline } = await server.admin.ok<{ timeline: { edges: Array<{ node: { type: string; actor: string } }> } }>('{ timeline(filter: { types: ["WebhookDisabled"] }) { edges { node { type actor } } } }');
    expect(timeline.edges.map((edge) => edge.node)).toEqual([{ type: 'WebhookDisabled', actor: 'kansli-webhooks' }]);
    // Nothing more is sent while it is disabled, even when the clock moves on.
    server.advance(36_000_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.receipts).toHaveLength(8);

    receiver.answer = () => 200;
    const { redeliver } = await server.diarium.ok<{ redeliver: Delivery }>('mutation($input: RedeliverInput!) { redeliver(input: $input) { id eventId attempt status responseStatus deliveredAt manual } }', { input: { deliveryId: log.at(-1)!.id } });
    expect(redeliver).toMatchObject({ eventId: log[0].eventId, attempt: 1, status: 'DELIVERED', responseStatus: 200, manual: false });
    expect((await webhookState()).active).toBe(true);
    await until(() => receiver.accepted.length === 2, 'the event behind it');
    expect(receiver.accepted.map((receipt) => receipt.payload.data.dnr)).toEqual([dnrOf(receiver.receipts[0]), expect.stringMatching(/-0002$/)]);

    // An event already delivered is sent once more, outside the queue, under the same webhook-id.
    const delivered = (await deliveriesOf(server.admin, webhookId)).find((delivery) => delivery.eventId === receiver.accepted[1].id)!;
    const again = await server.diarium.ok<{ redeliver: Delivery }>('mutation($input: RedeliverInput!) { redeliver(input: $input) { eventId attempt status manual } }', { input: { deliveryId: delivered.id } });
    expect(again.redeliver).toEqual({ eventId: delivered.eventId, attempt: 2, status: 'DELIVERED', manual: true });
    expect(receiver.receipts.at(-1)!.id).toBe(delivered.eventId);
    expectSignedAndIdempotent(receiver.receipts);
  }, 60_000);

  it('stops delivering when the webhook is deleted, and delivers only the types it names', async () => {
    server = await startOn(dataDir, clock);
    const board = await establishBoard(server.admin);
    const webhookId = await subscribe(server.diarium, receiver, ['DocumentRegistered']);
    await server.admin.ok('mutation { registerPerson(input: { name: "Inte levererad" }) { id } }');
    await server.diarium.ok(REGISTER, { input: letter(board.bodyId, 'Levereras') });
    await until(() => receiver.receipts.length === 1, 'the delivery');
    expect(receiver.receipts[0].payload.type).toBe('DocumentRegistered');
    const { deleteWebhook } = await server.diarium.ok<{ deleteWebhook: { active: boolean } }>('mutation($input: DeleteWebhookInput!) { deleteWebhook(input: $input) { active } }', { input: { webhookId } });
    expect(deleteWebhook.active).toBe(false);
    await server.diarium.ok(REGISTER, { input: letter(board.bodyId, 'Levereras inte') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.receipts).toHaveLength(1);
    expect((await server.diarium.ok<{ webhooks: unknown[] }>('{ webhooks { id } }')).webhooks).toEqual([]);
  });

  it('refuses a loopback receiver unless KANSLI_WEBHOOK_ALLOW_PRIVATE=true', async () => {
    server = await startOn(dataDir, clock, { KANSLI_WEBHOOK_ALLOW_PRIVATE: 'false' });
    const refused = await server.diarium.request(CREATE, { input: { url: receiver.url, eventTypes: ['DocumentRegistered'] } });
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/127\.0\.0\.1 is a loopback address\): refused; set KANSLI_WEBHOOK_ALLOW_PRIVATE=true/), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('webhooks on EventStoreDB (protocol fake)', () => {
  it('delivers from the replica\'s checkpointed subscription, signed and in log order', async () => {
    const fake = await startEsdbFakeServer();
    const receiver = await WebhookReceiver.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'kansli-webhooks-esdb-'));
    const server = await startOn(dataDir, new MovableClock(), { KANSLI_EVENTSTORE: fake.connectionString, KANSLI_LOG_ORIGIN: 'kansli.test/log' });
    try {
      const board = await establishBoard(server.admin);
      await subscribe(server.diarium, receiver);
      for (let i = 1; i <= 5; i++) await server.diarium.ok(REGISTER, { input: { bodyId: board.bodyId, date: '2018-06-14', direction: 'UPPRATTAD', description: `Tjänsteskrivelse ${i}` } });
      await until(() => receiver.accepted.length === 5, 'five deliveries');
      expect(receiver.accepted.map((receipt) => (receipt.payload.data.dnr as string).slice(5))).toEqual(['0001', '0002', '0003', '0004', '0005']);
      expectSignedAndIdempotent(receiver.receipts);
    } finally {
      await server.close();
      await receiver.close();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('with two replicas, only the one with KANSLI_WEBHOOK_DELIVERY delivers: each event once; the other says where the log is', async () => {
    const fake = await startEsdbFakeServer();
    const receiver = await WebhookReceiver.start();
    const work = mkdtempSync(join(tmpdir(), 'kansli-webhooks-replicas-'));
    const shared = { KANSLI_EVENTSTORE: fake.connectionString, KANSLI_LOG_ORIGIN: 'kansli.test/log', KANSLI_SECRETS_DIR: join(work, 'secrets') };
    const delivering = await startOn(join(work, 'a'), new MovableClock(), shared);
    const quiet = await startOn(join(work, 'b'), new MovableClock(), { ...shared, KANSLI_WEBHOOK_DELIVERY: 'false' });
    try {
      const board = await establishBoard(quiet.admin);
      const webhookId = await subscribe(quiet.diarium, receiver);
      for (let i = 1; i <= 4; i++) {
        const replica = i % 2 ? delivering : quiet;
        await replica.diarium.ok(REGISTER, { input: { bodyId: board.bodyId, date: '2018-06-14', direction: 'UPPRATTAD', description: `Tjänsteskrivelse ${i}` } });
      }
      await until(() => receiver.accepted.length >= 4, 'four deliveries');
      // The last event's delivery is in, and the delivering replica has logged it: a second sender would have had
      // as long to send its own copies.
      await until(async () => (await deliveriesOf(delivering.diarium, webhookId)).length === 4, 'four logged deliveries');
      expect(receiver.receipts.map((receipt) => (receipt.payload.data.dnr as string).slice(5))).toEqual(['0001', '0002', '0003', '0004']);
      const refused = await quiet.diarium.request(DELIVERIES, { id: webhookId, first: 10, after: null });
      expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^This replica does not deliver webhooks \(KANSLI_WEBHOOK_DELIVERY=false\)/), extensions: { code: 'CONFLICT' } });
      // The backlog is the sender's: the other replica's /metrics answers without it.
      expect(await delivering.backlog()).toBe(0);
      const metrics = await quiet.metrics();
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^kansli_event_store_group_commit_appends|^# HELP/m);
      expect(metrics.text).not.toMatch(/kansli_webhook_backlog/);
    } finally {
      await quiet.close();
      await delivering.close();
      await receiver.close();
      await fake.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
