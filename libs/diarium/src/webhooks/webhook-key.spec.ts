import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { RETRY_DELAYS_MS, retryDelayAfter } from './retry-schedule';
import { signDelivery, WebhookKey } from './webhook-key';

describe('webhook secrets and signatures', () => {
  it('derives a whsec_ secret per webhook from the key in the data folder (0600, kept across starts)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'kansli-webhook-key-'));
    try {
      const file = join(folder, 'webhook-key');
      const first = WebhookKey.loadOrCreate(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const secret = first.secretOf('w1');
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(WebhookKey.loadOrCreate(file).secretOf('w1')).toBe(secret);
      expect(first.secretOf('w2')).not.toBe(secret);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('signs as the Standard Webhooks library verifies: v1,<base64 HMAC-SHA256 of id.timestamp.body>', () => {
    const key = WebhookKey.of(Buffer.alloc(32, 7));
    const body = JSON.stringify({ type: 'DocumentRegistered', timestamp: '2018-06-20T08:00:00.000Z', data: { dnr: '2018-0001' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'e1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signDelivery(key.secretBytes('w1'), 'e1', timestamp, body) };
    expect(new Webhook(key.secretOf('w1')).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(key.secretOf('w2')).verify(body, headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(key.secretOf('w1')).verify(body.replace('0001', '0002'), headers)).toThrow(/No matching signature/);
  });

  it('retries on Svix\'s schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, and no more', () => {
    expect(RETRY_DELAYS_MS.map((ms) => ms / 1000)).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelayAfter)).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, null]);
  });
});
