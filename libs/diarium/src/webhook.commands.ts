import type { CommandContext } from '@kansli/event-store';

/** `refusedAddress`: why the URL's host may not be called (loopback, private…), found by the handler; null when it may. */
export class CreateWebhook {
  constructor(
    readonly webhookId: string,
    readonly url: string,
    readonly eventTypes: readonly string[],
    readonly createdAt: string,
    readonly context: CommandContext,
    readonly refusedAddress: string | null = null,
  ) {}

  checked(refusedAddress: string | null): CreateWebhook {
    return new CreateWebhook(this.webhookId, this.url, this.eventTypes, this.createdAt, this.context, refusedAddress);
  }
}

export class DeleteWebhook {
  constructor(
    readonly webhookId: string,
    readonly deletedAt: string,
    readonly context: CommandContext,
  ) {}
}

export class DisableWebhook {
  constructor(
    readonly webhookId: string,
    readonly eventId: string,
    /** The last attempt; null when it is not known (the schedule ran out just before a crash). */
    readonly deliveryId: string | null,
    readonly attempts: number,
    readonly reason: string,
    readonly disabledAt: string,
    readonly context: CommandContext,
  ) {}
}

export class EnableWebhook {
  constructor(
    readonly webhookId: string,
    readonly deliveryId: string,
    readonly enabledAt: string,
    readonly context: CommandContext,
  ) {}
}

export type WebhookCommand = CreateWebhook | DeleteWebhook | DisableWebhook | EnableWebhook;
