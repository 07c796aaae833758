import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const WEBHOOK_KEY_FILE = 'webhook-key';

/**
 * The server's key for webhook secrets. A webhook's secret is HMAC-SHA256(key, webhook id): shown once when the
 * webhook is made and derived again to sign each delivery, so no secret is ever written to the log (which the
 * auditors read and export). The key lives in the data folder (mode 0600), created on first start; losing it
 * changes every secret, so it is backed up with the folder, as the signing keys are.
 */
export class WebhookKey {
  private constructor(private readonly key: Buffer) {}

  static loadOrCreate(file: string): WebhookKey {
    try {
      const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
      if (key.length !== 32) throw new Error(`${file} does not hold a webhook key (32 bytes in base64)`);
      return new WebhookKey(key);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const key = randomBytes(32);
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return WebhookKey.loadOrCreate(file);
      throw error;
    }
    chmodSync(file, 0o600);
    return new WebhookKey(key);
  }

  /** For tests: a key from bytes. */
  static of(key: Buffer): WebhookKey {
    return new WebhookKey(key);
  }

  /** The webhook's secret as Standard Webhooks writes it: `whsec_` and 32 bytes in base64. */
  secretOf(webhookId: string): string {
    return `whsec_${this.secretBytes(webhookId).toString('base64')}`;
  }

  secretBytes(webhookId: string): Buffer {
    return createHmac('sha256', this.key).update(`kansli/webhook/${webhookId}`).digest();
  }
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`: the webhook-signature header of the Standard Webhooks specification. */
export function signDelivery(secret: Buffer, messageId: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', secret).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}
