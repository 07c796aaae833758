import http from 'node:http';
import https from 'node:https';
import { guardedLookup, hostOf, insideAddressKind, ALLOW_PRIVATE_HINT } from './address-policy';
import { signDelivery } from './webhook-key';

/** What one attempt came to. `interrupted`: the server stopped while it was under way (not an attempt to count). */
export interface SendOutcome {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  interrupted: boolean;
}

export interface SendRequest {
  url: string;
  /** webhook-id: the event's id, the receiver's idempotency key. */
  messageId: string;
  body: string;
  secret: Buffer;
  /** The attempt's own time, in seconds (webhook-timestamp). */
  timestampSeconds: number;
  signal?: AbortSignal;
}

/**
 * POSTs one delivery as the Standard Webhooks specification has it: JSON, with webhook-id, webhook-timestamp and
 * webhook-signature. A 2xx answer is success; any other answer, a timeout or a failed connection is a failure.
 * Redirects are not followed. Each webhook keeps one connection alive (its deliveries go one at a time, in order).
 * The socket's address is checked when it connects, so a host name cannot be pointed inside the network later.
 */
export class WebhookSender {
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly options: { allowPrivate: boolean; timeoutMs: number }) {}

  send(request: SendRequest): Promise<SendOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const refused = (error: string): Promise<SendOutcome> => Promise.resolve({ ok: false, responseStatus: null, error, interrupted: false, durationMs: elapsed() });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refused('the URL no longer parses');
    }
    const host = hostOf(url);
    const literalKind = this.options.allowPrivate ? null : insideAddressKind(host);
    if (literalKind && literalKind !== 'not an IP address') return refused(`${host} is ${literalKind}: refused; ${ALLOW_PRIVATE_HINT}`);
    if (request.signal?.aborted) return Promise.resolve({ ok: false, responseStatus: null, error: 'the server stopped', interrupted: true, durationMs: 0 });
    return new Promise<SendOutcome>((resolve) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'POST',
        agent: this.agentFor(url),
        lookup: guardedLookup(this.options.allowPrivate) as never,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'Kansli-Webhooks/1',
          'webhook-id': request.messageId,
          'webhook-timestamp': String(request.timestampSeconds),
          'webhook-signature': signDelivery(request.secret, request.messageId, request.timestampSeconds, request.body),
        },
      });
      const timer = setTimeout(() => {
        req.destroy();
        fail(`no answer within ${this.options.timeoutMs} ms`);
      }, this.options.timeoutMs);
      const onAbort = () => {
        req.destroy();
        fail('the server stopped during the attempt', true);
      };
      let settled = false;
      const done = (outcome: Omit<SendOutcome, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        resolve({ ...outcome, durationMs: elapsed() });
      };
      const fail = (error: string, interrupted = false) => done({ ok: false, responseStatus: null, error, interrupted });
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('response', (response) => {
        const status = response.statusCode ?? 0;
        // The answer's body is not read; it is drained so that the connection can be used again.
        response.resume();
        response.on('end', () => done({ ok: status >= 200 && status < 300, responseStatus: status, error: null, interrupted: false }));
        response.on('error', (error) => fail(error.message));
      });
      req.on('error', (error: NodeJS.ErrnoException) => fail(error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message));
      req.end(request.body);
    });
  }

  private agentFor(url: URL): http.Agent {
    let agent = this.agents.get(url.origin);
    if (!agent) {
      agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 4 }) : new http.Agent({ keepAlive: true, maxSockets: 4 });
      this.agents.set(url.origin, agent);
    }
    return agent;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
