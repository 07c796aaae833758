/**
 * How the server delivers webhooks (KANSLI_WEBHOOK_DELIVERY, KANSLI_WEBHOOK_ALLOW_PRIVATE, KANSLI_WEBHOOK_TIMEOUT_MS,
 * the secrets folder's webhook-key).
 */
export interface WebhookConfig {
  /**
   * Whether this server delivers webhooks and keeps their delivery log (default true). Replicas on one EventStoreDB
   * log: exactly one delivers; the others set it false, or every event would go out once per replica.
   */
  deliver: boolean;
  /** Allow URLs on loopback and private addresses (tests, an in-house diarium). */
  allowPrivate: boolean;
  /** How long an attempt waits for the receiver's answer. */
  timeoutMs: number;
  /** The key webhook secrets are derived from (see WebhookKey). */
  keyFile: string;
}

export const WEBHOOK_CONFIG = Symbol('WEBHOOK_CONFIG');
