import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { Clock } from '@kansli/api';
import type { TimelineReader } from '@kansli/audit';
import { EventStore, type CommandResult, type DomainEvent } from '@kansli/event-store';
import { Conflict, InvalidInput, NotFound } from '@kansli/kernel';
import { MeetingsReader } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../diarium.config';
import { DiariumReader, type WebhookView } from '../diarium.reader';
import { DisableWebhook, EnableWebhook } from '../webhook.commands';
import { attemptRecord, DeliveryLog, type DeliveryView } from './delivery-log';
import { thinPayload, type PayloadFacts } from './payload';
import { MAX_ATTEMPTS } from './retry-schedule';
import { WebhookKey } from './webhook-key';
import { WebhookQueue } from './webhook-queue';
import { WebhookSender } from './webhook-sender';

/** The webhooks are looked at again this often, for webhooks made or removed by another process. */
const RECONCILE_EVERY_MS = 5_000;
const SYSTEM_ACTOR = 'kansli-webhooks';

/**
 * The delivery worker: one queue per active webhook, each following the log from its own checkpoint (the log is
 * the outbox). Starts when the application has bootstrapped, stops cleanly (an attempt under way is cut off and
 * made again after the restart) before the event store closes.
 */
@Injectable()
export class WebhookDeliveries implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly queues = new Map<string, WebhookQueue>();
  private log?: DeliveryLog;
  private readonly sender: WebhookSender;
  private readonly deliver: boolean;
  private readonly key: WebhookKey;
  private readonly facts: PayloadFacts;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private reconciling: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ProjectionRunner,
    private readonly clock: Clock,
    private readonly reader: DiariumReader,
    private readonly commands: CommandBus,
    meetings: MeetingsReader,
    @Inject(WEBHOOK_CONFIG) config: WebhookConfig,
  ) {
    this.deliver = config.deliver;
    this.sender = new WebhookSender({ allowPrivate: config.allowPrivate, timeoutMs: config.timeoutMs });
    this.key = WebhookKey.loadOrCreate(config.keyFile);
    this.facts = {
      dnrsOfMotions: (ids) => meetings.motionsByIds(ids).flatMap((motion) => {
        const dnr = motion.dnr ?? (motion.agendaItemId ? meetings.agendaItem(motion.agendaItemId)?.dnr : null);
        return dnr ? [dnr] : [];
      }),
    };
  }

  /** The secret of a webhook, as shown once when it is made. */
  secretOf(webhookId: string): string {
    return this.key.secretOf(webhookId);
  }

  onApplicationBootstrap(): Promise<void> {
    this.log = new DeliveryLog(this.readModels.database);
    if (!this.deliver) return Promise.resolve();
    this.timer = setInterval(() => void this.refresh(), RECONCILE_EVERY_MS).unref();
    return this.refresh();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.reconciling;
    await Promise.all([...this.queues.values()].map((queue) => queue.stop()));
    this.queues.clear();
    this.sender.close();
    this.log?.flush();
  }

  /** Starts a queue for every active webhook that has none, and stops those of webhooks no longer active. */
  refresh(): Promise<void> {
    if (!this.deliver) return Promise.resolve();
    this.reconciling = this.reconciling.then(() => this.reconcile()).catch((error: unknown) => {
      this.logger.error(`The webhooks could not be looked at: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.reconciling;
  }

  /**
   * Events waiting for delivery, over every active webhook: those of its types after its queue's position (the
   * position is saved every few milliseconds, so a scrape may count a delivery just made).
   */
  backlog(timeline: TimelineReader): number {
    let waiting = 0;
    for (const webhook of this.reader.webhooks()) {
      if (!webhook.active) continue;
      const queue = this.deliveryLog.queue(webhook.id, webhook.createdPosition);
      waiting += timeline.countAfter(queue.position.toString(), webhook.eventTypes);
    }
    return waiting;
  }

  /** Wakes every queue to look at the clock again. */
  poke(): void {
    for (const queue of this.queues.values()) queue.poke();
  }

  deliveries(webhookId: string, first: number, afterSeq?: number) {
    return this.deliveryLog.deliveries(webhookId, first, afterSeq);
  }

  /**
   * Sends a delivery's event again now. The event a queue is retrying (or stopped at, disabling the webhook) is
   * attempted at once by its queue, turning the webhook on again, and the queue goes on from there when it
   * succeeds. An event the queue has passed is sent once more outside the queue, with the same webhook-id.
   */
  async redeliver(deliveryId: string, context: { actor: string; correlationId: string }): Promise<DeliveryView> {
    const delivery = this.deliveryLog.delivery(deliveryId);
    if (!delivery) throw new NotFound('Delivery', deliveryId);
    const webhook = this.reader.webhook(delivery.webhookId);
    if (!webhook || webhook.deleted) throw new InvalidInput(`Webhook ${delivery.webhookId} was deleted: its deliveries cannot be made again`);
    const queue = this.deliveryLog.queue(webhook.id, webhook.createdPosition);
    if (queue.headEventId === delivery.eventId) {
      if (!webhook.active) {
        // The schedule starts again from its first attempt, due now.
        const at = this.clock.now().toISOString();
        this.deliveryLog.record(null, { ...queue, attempts: 0, nextAttemptAt: at });
        await this.run(new EnableWebhook(webhook.id, deliveryId, at, { ...context, occurredAt: at }));
      }
      await this.refresh();
      const running = this.queues.get(webhook.id);
      if (!running) throw new InvalidInput(`Webhook ${webhook.id} is not delivering`);
      return running.attemptNow(delivery.eventId);
    }
    return this.sendOutsideQueue(webhook, delivery);
  }

  private get deliveryLog(): DeliveryLog {
    if (!this.deliver) {
      throw new Conflict('This replica does not deliver webhooks (KANSLI_WEBHOOK_DELIVERY=false): the replica that does makes and logs the deliveries; ask it');
    }
    if (!this.log) throw new Error('The webhook deliveries have not started');
    return this.log;
  }

  private async sendOutsideQueue(webhook: WebhookView, delivery: DeliveryView): Promise<DeliveryView> {
    const [event] = await this.events.readAll({ fromPosition: BigInt(delivery.eventPosition), maxCount: 1 });
    if (!event || event.id !== delivery.eventId) throw new NotFound('Event', delivery.eventId);
    const attemptedAt = this.clock.now();
    const outcome = await this.sender.send({
      url: webhook.url,
      messageId: event.id,
      body: JSON.stringify(thinPayload(event, this.facts)),
      secret: this.key.secretBytes(webhook.id),
      timestampSeconds: Math.floor(Date.now() / 1000),
    });
    const attempt = attemptRecord(
      webhook.id,
      { id: event.id, type: event.type, position: delivery.eventPosition },
      this.deliveryLog.nextAttemptNumber(webhook.id, event.id),
      attemptedAt,
      outcome,
      this.clock.now(),
      true,
    );
    this.deliveryLog.record(attempt);
    return attempt;
  }

  private async reconcile(): Promise<void> {
    if (this.stopped || !this.log) return;
    const active = new Map(this.reader.webhooks().filter((webhook) => webhook.active).map((webhook) => [webhook.id, webhook]));
    for (const [id, queue] of this.queues) {
      if (!active.has(id)) {
        this.queues.delete(id);
        await queue.stop();
      }
    }
    for (const webhook of active.values()) {
      if (this.queues.has(webhook.id)) continue;
      const queue: WebhookQueue = new WebhookQueue(webhook, {
        events: this.events,
        log: this.log,
        sender: this.sender,
        facts: this.facts,
        secretOf: (id) => this.key.secretBytes(id),
        now: () => this.clock.now(),
        readModelsAt: (position) => this.readModels.waitFor(position),
        exhausted: (hook, eventId, deliveryId) => this.exhausted(hook, eventId, deliveryId, queue),
        failed: (hook, error) => {
          this.logger.error(`Deliveries to webhook ${hook.id} stopped: ${error instanceof Error ? error.message : String(error)}`);
          if (this.queues.get(hook.id) === queue) this.queues.delete(hook.id);
        },
      });
      this.queues.set(webhook.id, queue);
      queue.start();
    }
  }

  /** Every attempt of the schedule failed: the webhook is disabled (an event in the log, for the diarium and the auditors). */
  private async exhausted(webhook: WebhookView, eventId: string, deliveryId: string | null, queue: WebhookQueue): Promise<void> {
    if (this.queues.get(webhook.id) === queue) this.queues.delete(webhook.id);
    const at = this.clock.now().toISOString();
    const reason = `${MAX_ATTEMPTS} attempts to deliver event ${eventId} failed`;
    this.logger.warn(`Webhook ${webhook.id} disabled: ${reason}`);
    await this.run(new DisableWebhook(webhook.id, eventId, deliveryId, MAX_ATTEMPTS, reason, at, { actor: SYSTEM_ACTOR, correlationId: `webhook-${webhook.id}-${uuidv7()}`, occurredAt: at }));
  }

  private async run(command: object): Promise<void> {
    const result = await this.commands.execute<object, CommandResult<DomainEvent, unknown>>(command);
    await this.readModels.settled(result);
  }
}
