import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand } from '@kansli/event-store';
import { WEBHOOK_CONFIG, type WebhookConfig } from '../diarium.config';
import { CreateWebhook, DeleteWebhook, DisableWebhook, EnableWebhook } from '../webhook.commands';
import { urlProblem, webhookDecider } from '../webhook.decider';
import { webhookStream } from '../webhook.events';
import { refusedHost } from '../webhooks/address-policy';

/** A webhook, once its URL's host has been resolved and found to be one the server may call. */
@CommandHandler(CreateWebhook)
export class CreateWebhookHandler implements ICommandHandler<CreateWebhook> {
  constructor(
    private readonly events: EventStore,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  async execute(command: CreateWebhook) {
    const refused = urlProblem(command.url) === null ? await refusedHost(command.url, this.config.allowPrivate) : null;
    return handleCommand(this.events, webhookStream(command.webhookId), webhookDecider, command.checked(refused), command.context);
  }
}

@CommandHandler(DeleteWebhook)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhook> {
  constructor(private readonly events: EventStore) {}
  execute(command: DeleteWebhook) {
    return handleCommand(this.events, webhookStream(command.webhookId), webhookDecider, command, command.context);
  }
}

@CommandHandler(DisableWebhook)
export class DisableWebhookHandler implements ICommandHandler<DisableWebhook> {
  constructor(private readonly events: EventStore) {}
  execute(command: DisableWebhook) {
    return handleCommand(this.events, webhookStream(command.webhookId), webhookDecider, command, command.context);
  }
}

@CommandHandler(EnableWebhook)
export class EnableWebhookHandler implements ICommandHandler<EnableWebhook> {
  constructor(private readonly events: EventStore) {}
  execute(command: EnableWebhook) {
    return handleCommand(this.events, webhookStream(command.webhookId), webhookDecider, command, command.context);
  }
}
