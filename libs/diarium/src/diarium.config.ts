/** How the server delivers webhooks (KANSLI_WEBHOOK_ALLOW_PRIVATE, KANSLI_WEBHOOK_TIMEOUT_MS, the data folder's webhook-key). */
export interface WebhookConfig {
  /** Allow URLs on loopback and private addresses (tests, an in-house diarium). */
  allowPrivate: boolean;
  /** How long an attempt waits for the receiver's answer. */
  timeoutMs: number;
  /** The key webhook secrets are derived from (see WebhookKey). */
  keyFile: string;
}

export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');
