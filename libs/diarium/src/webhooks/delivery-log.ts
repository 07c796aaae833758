import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { statement } from '@kansli/projections';
import type { SendOutcome } from './webhook-sender';

/**
 * The delivery worker's own state, in the read-model database beside the read models but not one of them: where
 * each webhook's queue stands in the log, and every attempt. A rebuild leaves these tables alone (no projection
 * creates them), so a rebuild never sends the log again.
 */
export const DELIVERY_TABLES = `
  CREATE TABLE IF NOT EXISTS webhook_delivery_queues (
    webhook_id TEXT PRIMARY KEY, position TEXT NOT NULL, head_event_id TEXT, attempts INTEGER NOT NULL, next_attempt_at TEXT) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS webhook_delivery_attempts (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, webhook_id TEXT NOT NULL, event_id TEXT NOT NULL, event_position TEXT NOT NULL,
    event_type TEXT NOT NULL, attempt INTEGER NOT NULL, status TEXT NOT NULL, response_status INTEGER, error TEXT,
    attempted_at TEXT NOT NULL, duration_ms REAL NOT NULL, next_attempt_at TEXT, delivered_at TEXT, manual INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS webhook_delivery_attempts_webhook ON webhook_delivery_attempts (webhook_id, seq);
`;

export type DeliveryStatus = 'DELIVERED' | 'FAILED';

/** One attempt to deliver one event to one webhook. */
export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventPosition: string;
  eventType: string;
  /** 1 for the first attempt of the event, 2 for the first retry… */
  attempt: number;
  status: DeliveryStatus;
  responseStatus: number | null;
  /** Why it failed without an answer (timeout, refused connection). */
  error: string | null;
  attemptedAt: string;
  durationMs: number;
  /** When the next attempt is due; null when this one succeeded or none is left. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** Made by redeliver on an event the queue had passed, outside the queue. */
  manual: boolean;
}

/**
 * The record of one attempt: of `event` to `webhookId`, the `attempt`-th, begun at `attemptedAt`, as `outcome` says
 * it went, logged `now`. The queue's attempts and redeliver's (`manual`) are made here alike; the queue fills in
 * `nextAttemptAt` when a failed attempt is to be tried again.
 */
export function attemptRecord(
  webhookId: string,
  event: { id: string; type: string; position: string },
  attempt: number,
  attemptedAt: Date,
  outcome: Pick<SendOutcome, 'ok' | 'responseStatus' | 'error' | 'durationMs'>,
  now: Date,
  manual: boolean,
): DeliveryView {
  return {
    id: uuidv7(),
    webhookId,
    eventId: event.id,
    eventPosition: event.position,
    eventType: event.type,
    attempt,
    status: outcome.ok ? 'DELIVERED' : 'FAILED',
    responseStatus: outcome.responseStatus,
    error: outcome.error,
    attemptedAt: attemptedAt.toISOString(),
    durationMs: outcome.durationMs,
    nextAttemptAt: null,
    deliveredAt: outcome.ok ? now.toISOString() : null,
    manual,
  };
}

/**
 * Where a webhook's queue stands: `position` is the last event it is done with (events after it come next, in log
 * order); `headEventId` the event it is retrying, with its failed `attempts` and when it tries again.
 */
export interface QueueState {
  webhookId: string;
  position: bigint;
  headEventId: string | null;
  attempts: number;
  nextAttemptAt: string | null;
}

interface AttemptRow {
  seq: number; id: string; webhook_id: string; event_id: string; event_position: string; event_type: string; attempt: number; status: DeliveryStatus;
  response_status: number | null; error: string | null; attempted_at: string; duration_ms: number; next_attempt_at: string | null;
  delivered_at: string | null; manual: number;
}

const toDelivery = (r: AttemptRow): DeliveryView & { seq: number } => ({
  seq: r.seq,
  id: r.id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  eventPosition: r.event_position,
  eventType: r.event_type,
  attempt: r.attempt,
  status: r.status,
  responseStatus: r.response_status,
  error: r.error,
  attemptedAt: r.attempted_at,
  durationMs: r.duration_ms,
  nextAttemptAt: r.next_attempt_at,
  deliveredAt: r.delivered_at,
  manual: r.manual === 1,
});

/** Writes are gathered and written together at most this long after the first of them. */
const FLUSH_AFTER_MS = 20;
const FLUSH_AT = 500;

/**
 * The delivery state, written behind: attempts and queue positions are written together, one transaction every few
 * milliseconds, so delivering costs no commit of its own. A crash loses at most the last few milliseconds of
 * progress: those events are sent again after the restart, with the same webhook-id (at least once), in order.
 */
export class DeliveryLog {
  private attempts: DeliveryView[] = [];
  private queues = new Map<string, QueueState>();
  private timer?: NodeJS.Timeout;
  private readonly write: () => void;

  constructor(private readonly db: Database.Database) {
    db.exec(DELIVERY_TABLES);
    this.write = db.transaction(() => {
      const insert = statement(
        db,
        `INSERT INTO webhook_delivery_attempts (id, webhook_id, event_id, event_position, event_type, attempt, status, response_status, error,
           attempted_at, duration_ms, next_attempt_at, delivered_at, manual) VALUES (@id, @webhookId, @eventId, @eventPosition, @eventType, @attempt,
           @status, @responseStatus, @error, @attemptedAt, @durationMs, @nextAttemptAt, @deliveredAt, @manual)`,
      );
      for (const attempt of this.attempts) insert.run({ ...attempt, manual: attempt.manual ? 1 : 0 });
      const save = statement(
        db,
        `INSERT INTO webhook_delivery_queues (webhook_id, position, head_event_id, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (webhook_id) DO UPDATE SET position = excluded.position, head_event_id = excluded.head_event_id,
           attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at`,
      );
      for (const queue of this.queues.values()) save.run(queue.webhookId, queue.position.toString(), queue.headEventId, queue.attempts, queue.nextAttemptAt);
    });
  }

  /** Where the webhook's queue stands; a webhook seen for the first time starts after `startAfter` (its creation). */
  queue(webhookId: string, startAfter: bigint): QueueState {
    const pending = this.queues.get(webhookId);
    if (pending) return { ...pending };
    const row = statement(this.db, 'SELECT position, head_event_id AS headEventId, attempts, next_attempt_at AS nextAttemptAt FROM webhook_delivery_queues WHERE webhook_id = ?').get(webhookId) as
      | { position: string; headEventId: string | null; attempts: number; nextAttemptAt: string | null }
      | undefined;
    return row ? { webhookId, ...row, position: BigInt(row.position) } : { webhookId, position: startAfter, headEventId: null, attempts: 0, nextAttemptAt: null };
  }

  /** Records an attempt, and where the queue stands after it when the queue made it. */
  record(attempt: DeliveryView | null, queue?: QueueState): void {
    if (attempt) this.attempts.push(attempt);
    if (queue) this.queues.set(queue.webhookId, { ...queue });
    if (this.attempts.length >= FLUSH_AT) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS).unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if ((this.attempts.length === 0 && this.queues.size === 0) || !this.db.open) return;
    this.write();
    this.attempts = [];
    this.queues.clear();
  }

  delivery(id: string): DeliveryView | undefined {
    this.flush();
    const row = statement(this.db, 'SELECT * FROM webhook_delivery_attempts WHERE id = ?').get(id) as AttemptRow | undefined;
    return row && toDelivery(row);
  }

  /** A webhook's attempts, oldest first, after the one at `afterSeq`. */
  deliveries(webhookId: string, first: number, afterSeq?: number): Array<DeliveryView & { seq: number }> {
    this.flush();
    const rows = statement(this.db, 'SELECT * FROM webhook_delivery_attempts WHERE webhook_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(webhookId, afterSeq ?? 0, first) as AttemptRow[];
    return rows.map(toDelivery);
  }

  /** The number of the next attempt of an event at a webhook (1 when it was never attempted). */
  nextAttemptNumber(webhookId: string, eventId: string): number {
    this.flush();
    const row = statement(this.db, 'SELECT max(attempt) AS attempt FROM webhook_delivery_attempts WHERE webhook_id = ? AND event_id = ?').get(webhookId, eventId) as { attempt: number | null };
    return (row.attempt ?? 0) + 1;
  }
}
