import type { EventStore, EventSubscription, RecordedEvent } from '@kansli/event-store';
import type { WebhookView } from '../diarium.reader';
import { attemptRecord, type DeliveryLog, type DeliveryView, type QueueState } from './delivery-log';
import { thinPayload, type PayloadFacts } from './payload';
import { MAX_ATTEMPTS, retryDelayAfter } from './retry-schedule';
import type { WebhookSender } from './webhook-sender';

/** What a webhook's queue needs from the server. */
export interface QueueDeps {
  events: EventStore;
  log: DeliveryLog;
  sender: WebhookSender;
  facts: PayloadFacts;
  secretOf(webhookId: string): Buffer;
  /** The server's clock (the retry schedule runs on it). */
  now(): Date;
  /** Resolves once the read models hold the event (the payload names what they know). */
  readModelsAt(position: bigint): Promise<void>;
  /** The schedule ran out on `event`: the webhook is to be disabled. */
  exhausted(webhook: WebhookView, eventId: string, deliveryId: string | null): Promise<void>;
  failed(webhook: WebhookView, error: unknown): void;
}

/** Sleeps are cut into pieces this long, so that a clock that jumps (in tests) is noticed. */
const SLEEP_SLICE_MS = 1_000;

/**
 * One webhook's deliveries: the events of its types after its position in the log, one at a time, in log order.
 * The queue never passes an event that failed: it retries it on the schedule (the subscription is closed while it
 * waits) and only then goes on. Its position moves on only after a success (at least once).
 */
export class WebhookQueue {
  private stopped = false;
  private readonly abort = new AbortController();
  private subscription?: EventSubscription;
  private wakeUp?: () => void;
  private immediate = false;
  private waiters: Array<{ eventId: string; resolve: (delivery: DeliveryView) => void; reject: (error: Error) => void }> = [];
  private running?: Promise<void>;

  constructor(
    readonly webhook: WebhookView,
    private readonly deps: QueueDeps,
  ) {}

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      if (!this.stopped) this.deps.failed(this.webhook, error);
    });
  }

  /** Stops at once: an attempt under way is cut off (and made again after a restart: the position did not move). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.wakeUp?.();
    await this.subscription?.close();
    await this.running;
    for (const waiter of this.waiters) waiter.reject(new Error('The server is stopping: the attempt was not made'));
    this.waiters = [];
  }

  /** Wakes the queue to look at the clock again (a test's clock moved on). */
  poke(): void {
    this.wakeUp?.();
  }

  /** Makes the next attempt of the event the queue is retrying now, and resolves with that attempt. */
  attemptNow(eventId: string): Promise<DeliveryView> {
    this.immediate = true;
    const attempt = new Promise<DeliveryView>((resolve, reject) => this.waiters.push({ eventId, resolve, reject }));
    this.wakeUp?.();
    return attempt;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const state = this.deps.log.queue(this.webhook.id, this.webhook.createdPosition);
      if (state.nextAttemptAt !== null && !this.immediate) {
        const wait = Date.parse(state.nextAttemptAt) - this.deps.now().getTime();
        if (wait > 0) {
          await this.sleep(Math.min(wait, SLEEP_SLICE_MS));
          continue;
        }
      }
      if (state.headEventId !== null && state.nextAttemptAt === null && state.attempts >= MAX_ATTEMPTS && !this.immediate) {
        // The schedule ran out before the webhook was disabled (a crash in between): disable it now.
        this.stopped = true;
        await this.deps.exhausted(this.webhook, state.headEventId, null);
        return;
      }
      this.immediate = false;
      const subscription = this.deps.events.subscribeToAll({ fromPosition: state.position, filter: { eventTypes: this.webhook.eventTypes } });
      this.subscription = subscription;
      try {
        for await (const event of subscription) {
          if (this.stopped || !(await this.deliver(event, state))) break;
        }
      } finally {
        this.subscription = undefined;
        await subscription.close();
      }
    }
  }

  /** One attempt of one event; true when the queue goes on to the next event. */
  private async deliver(event: RecordedEvent, state: QueueState): Promise<boolean> {
    await this.deps.readModelsAt(event.position);
    const body = JSON.stringify(thinPayload(event, this.deps.facts));
    const attempt = state.headEventId === event.id ? state.attempts + 1 : 1;
    const attemptedAt = this.deps.now();
    const outcome = await this.deps.sender.send({
      url: this.webhook.url,
      messageId: event.id,
      body,
      secret: this.deps.secretOf(this.webhook.id),
      // The receiver checks the timestamp against its own clock: the wall clock of this machine, not the server's Clock.
      timestampSeconds: Math.floor(Date.now() / 1000),
      signal: this.abort.signal,
    });
    if (outcome.interrupted) return false;
    const now = this.deps.now();
    const delivery = attemptRecord(this.webhook.id, { id: event.id, type: event.type, position: event.position.toString() }, attempt, attemptedAt, outcome, now, false);
    if (outcome.ok) {
      Object.assign(state, { position: event.position, headEventId: null, attempts: 0, nextAttemptAt: null });
    } else {
      const delay = retryDelayAfter(attempt);
      delivery.nextAttemptAt = delay === null ? null : new Date(now.getTime() + delay).toISOString();
      Object.assign(state, { headEventId: event.id, attempts: attempt, nextAttemptAt: delivery.nextAttemptAt });
    }
    this.deps.log.record(delivery, state);
    this.settle(delivery);
    if (outcome.ok) return true;
    if (delivery.nextAttemptAt === null) {
      this.stopped = true;
      await this.deps.exhausted(this.webhook, event.id, delivery.id);
    }
    return false;
  }

  private settle(delivery: DeliveryView): void {
    const ready = this.waiters.filter((waiter) => waiter.eventId === delivery.eventId);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.eventId !== delivery.eventId);
    for (const waiter of ready) waiter.resolve(delivery);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
