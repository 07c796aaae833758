import { randomUUID } from 'node:crypto';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access, Clock, CommandingResolver, type RequestContext } from '@kansli/api';
import { NotFound } from '@kansli/kernel';
import { ProjectionRunner } from '@kansli/projections';
import { DiariumReader, type WebhookView } from '../diarium.reader';
import { CreateWebhook, DeleteWebhook } from '../webhook.commands';
import { WebhookDeliveries } from '../webhooks/webhook-deliveries';
import type { DeliveryView } from '../webhooks/delivery-log';
import { CreateWebhookInput, DeleteWebhookInput, RedeliverInput } from './webhook.inputs';
import { DeliveryConnectionType, DeliveryType, WebhookType, WebhookWithSecretType } from './webhook.types';
import { decodeSeqCursor, encodeSeqCursor, pageSize } from './paging';

@Resolver(() => WebhookType)
export class WebhookResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: DiariumReader,
    private readonly deliveries: WebhookDeliveries,
  ) {
    super(commands, readModels, clock);
  }

  @Access('DIARIUM')
  @Mutation(() => WebhookWithSecretType, { description: 'Subscribes a URL to event types of the log. The secret is shown this once.' })
  async createWebhook(@Args('input') input: CreateWebhookInput, @Context('request') request: RequestContext): Promise<{ webhook: WebhookView; secret: string }> {
    const webhookId = randomUUID();
    const createdAt = this.now();
    await this.run(new CreateWebhook(webhookId, input.url, input.eventTypes, createdAt, this.context(request, createdAt)));
    await this.deliveries.refresh();
    return { webhook: this.reader.webhook(webhookId)!, secret: this.deliveries.secretOf(webhookId) };
  }

  @Access('DIARIUM')
  @Mutation(() => WebhookType, { description: 'Stops and removes a webhook; its deliveries stay listed.' })
  async deleteWebhook(@Args('input') input: DeleteWebhookInput, @Context('request') request: RequestContext): Promise<WebhookView> {
    const deletedAt = this.now();
    await this.run(new DeleteWebhook(input.webhookId, deletedAt, this.context(request, deletedAt)));
    await this.deliveries.refresh();
    return this.reader.webhook(input.webhookId)!;
  }

  @Access('DIARIUM')
  @Mutation(() => DeliveryType, {
    description:
      'Sends a delivery\'s event again now and answers with that attempt. The event a webhook is retrying, or stopped at when it was ' +
      'disabled, is attempted by its queue (turning the webhook on again); an event already delivered is sent once more, with the same webhook-id.',
  })
  redeliver(@Args('input') input: RedeliverInput, @Context('request') request: RequestContext): Promise<DeliveryView> {
    return this.deliveries.redeliver(input.deliveryId, { actor: request.actor, correlationId: request.correlationId });
  }

  @Access('AUTHENTICATED')
  @Query(() => [WebhookType], { description: 'The webhooks not deleted, oldest first.' })
  webhooks(): WebhookView[] {
    return this.reader.webhooks();
  }

  @Access('AUTHENTICATED')
  @Query(() => DeliveryConnectionType, { description: 'Every attempt to deliver to the webhook, oldest first.' })
  webhookDeliveries(
    @Args('webhookId', { type: () => ID }) webhookId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): DeliveryConnectionType {
    if (!this.reader.webhook(webhookId)) throw new NotFound('Webhook', webhookId);
    const size = pageSize(first);
    const page = this.deliveries.deliveries(webhookId, size + 1, after ? decodeSeqCursor(after) : undefined);
    const edges = page.slice(0, size).map((node) => ({ cursor: encodeSeqCursor(node.seq), node }));
    return { edges, pageInfo: { hasNextPage: page.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
