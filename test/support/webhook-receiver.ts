import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, as a diarium would log it. */
export interface Receipt {
  /** webhook-id: the event's id, the idempotency key. */
  id: string;
  timestamp: string;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Whether the signature verified with the webhook's secret (the error when it did not). */
  verified: true | string;
  answer: number | 'hang';
}

export type Answer = number | 'hang';

/**
 * A webhook receiver on the loopback address, written as a diarium would write one: every delivery's signature is
 * verified with the `standardwebhooks` package. `answer` decides each request's fate: an HTTP status, or `hang`
 * (no answer at all, so the sender times out).
 */
export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  secret = '';
  answer: (receipt: Omit<Receipt, 'answer'>, nth: number) => Answer = () => 204;
  /** How long each answer takes (a slow receiver). */
  delayMs = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/kansli-hook`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => receiver.handle(request, response));
    server.on('connection', (socket: Socket) => {
      receiver.sockets.add(socket);
      socket.on('close', () => receiver.sockets.delete(socket));
    });
    return receiver;
  }

  /** The receipts that were answered 2xx, in the order they came. */
  get accepted(): Receipt[] {
    return this.receipts.filter((receipt) => typeof receipt.answer === 'number' && receipt.answer >= 200 && receipt.answer < 300);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: true | string = true;
      try {
        new Webhook(this.secret).verify(body, request.headers as Record<string, string>);
      } catch (error) {
        verified = (error as Error).message;
      }
      const base: Omit<Receipt, 'answer'> = {
        id: String(request.headers['webhook-id']),
        timestamp: String(request.headers['webhook-timestamp']),
        body,
        payload: JSON.parse(body) as Receipt['payload'],
        verified,
      };
      const answer = this.answer(base, this.receipts.length + 1);
      this.receipts.push({ ...base, answer });
      if (answer === 'hang') return;
      const respond = () => {
        response.statusCode = answer;
        response.end();
      };
      if (this.delayMs > 0) setTimeout(respond, this.delayMs);
      else respond();
    });
  }
}

/** Waits until `check` holds, looking every 20 ms; fails naming `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
