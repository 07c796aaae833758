import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';
import { GraphQLTestClient } from '@kansli/testing';
import { until, WebhookReceiver, type Receipt } from './support/webhook-receiver';

// The real server as a child process (compiled as `npm run build` does, into a folder of its own under dist/),
// killed with SIGKILL in the middle of delivering a burst, and started again on the same data folder: every event
// arrives, the first arrivals in log order, and an event that arrives twice does so under the same webhook-id.
const ROOT = join(__dirname, '..');
const BUILD = join(ROOT, 'dist', `webhooks-crash-e2e-${process.pid}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(BUILD, 'apps', 'kansli', 'src', 'main.js')], {
    env: { ...process.env, PORT: String(port), KANSLI_DATA_DIR: dataDir, KANSLI_LOG_LEVEL: 'silent', KANSLI_RATE_LIMIT: '100000', KANSLI_WEBHOOK_ALLOW_PRIVATE: 'true' },
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`The server exited with ${child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ health { status } }"}' }).then((r) => r.ok, () => false)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The server did not start');
}

describe('webhooks across a crash (SIGKILL) of the real server', () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', '@swc', 'cli', 'bin', 'swc.js'), 'apps', 'libs', '-d', BUILD, '--quiet', '--ignore', '**/*.spec.ts', '--ignore', '**/*.contract.ts', '--ignore', 'libs/testing/**'], { cwd: ROOT, stdio: 'pipe' });
  }, 120_000);
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kansli-webhooks-crash-'));
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterAll(() => rmSync(BUILD, { recursive: true, force: true }));

  it('loses no event and sends none out of order when killed in the middle of a burst', async () => {
    const port = await freePort();
    child = await startServer(port, dataDir);
    const key = await SigningKey.loadOrCreate(join(dataDir, SIGNING_KEY_FILE));
    const client = new GraphQLTestClient(`http://127.0.0.1:${port}/graphql`).withToken(await key.sign({ sub: 'crash-test', roles: ['ADMIN', 'DIARIUM'] }, 3600));
    const { establishBody } = await client.ok<{ establishBody: { id: string } }>('mutation { establishBody(input: { name: "Styrelsen", kind: STYRELSE, seats: 5 }) { id } }');
    const { createWebhook } = await client.ok<{ createWebhook: { secret: string } }>('mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }', {
      input: { url: receiver.url, eventTypes: ['DocumentRegistered'] },
    });
    receiver.secret = createWebhook.secret;
    receiver.delayMs = 5;
    const register = (description: string) =>
      client.ok('mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) { dnr } }', {
        input: { bodyId: establishBody.id, date: '2018-06-14', direction: 'UPPRATTAD', description },
      });
    const burst = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += 10) await Promise.all(Array.from({ length: Math.min(10, from + count - i) }, (_, j) => register(`Handling ${i + j}`)));
    };
    await burst(0, 150);
    await until(() => receiver.receipts.length >= 30, 'the first deliveries');
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    const atKill = receiver.receipts.length;
    expect(atKill).toBeLessThan(150);

    child = await startServer(port, dataDir);
    await burst(150, 50);
    await until(() => new Set(receiver.accepted.map((receipt) => receipt.payload.data.documentId)).size === 200, 'all 200 documents after the restart', 60_000);
    const firsts: Receipt[] = [];
    const first = new Map<string, Receipt>();
    for (const receipt of receiver.accepted) {
      const seen = first.get(receipt.payload.data.documentId as string);
      if (seen) expect({ id: receipt.id, body: receipt.body }).toEqual({ id: seen.id, body: seen.body });
      else {
        first.set(receipt.payload.data.documentId as string, receipt);
        firsts.push(receipt);
      }
    }
    const dnrs = firsts.map((receipt) => receipt.payload.data.dnr as string);
    expect(dnrs).toEqual([...dnrs].sort());
    expect(receiver.receipts.filter((receipt) => receipt.verified !== true)).toEqual([]);
    process.stdout.write(`webhooks crash: killed after ${atKill} deliveries; 200 documents arrived, ${receiver.accepted.length - 200} again after the restart\n`);
  }, 120_000);
});
