import type { Decider } from '@kansli/event-store';
import { InvalidInput, NotFound } from '@kansli/kernel';
import { CreateWebhook, DeleteWebhook, DisableWebhook, EnableWebhook, type WebhookCommand } from './webhook.commands';
import { DELIVERABLE_EVENT_TYPES, type WebhookEvent } from './webhook.events';

export const WEBHOOK_LIMITS = { url: 2000, eventTypes: 50 } as const;

export interface WebhookState {
  exists: boolean;
  deleted: boolean;
  active: boolean;
}

/**
 * A webhook's URL as the specification allows it: http or https, at most 2,000 characters, no user name or password
 * in it (the signature authenticates the sender). Null when it is one; else why not.
 */
export function urlProblem(url: string): string | null {
  if (url.length > WEBHOOK_LIMITS.url) return `url must be at most ${WEBHOOK_LIMITS.url} characters, got ${url.length}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `url is not a URL: ${JSON.stringify(url.slice(0, 100))}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `url must be an http or https URL, got ${parsed.protocol.replace(/:$/, '')}`;
  if (parsed.username || parsed.password) return 'url must not carry a user name or password: deliveries are signed instead';
  if (!parsed.hostname) return 'url names no host';
  return null;
}

// A webhook delivers the event types it names, to an http(s) URL the server may call; deliveries stop when it is
// disabled (its retry schedule ran out on one event) or deleted, and a redelivery turns a disabled one on again.
export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = {
  initialState: () => ({ exists: false, deleted: false, active: false }),
  evolve(state, event) {
    switch (event.type) {
      case 'WebhookCreated':
        return { exists: true, deleted: false, active: true };
      case 'WebhookDeleted':
        return { ...state, deleted: true, active: false };
      case 'WebhookDisabled':
        return { ...state, active: false };
      case 'WebhookEnabled':
        return { ...state, active: true };
    }
  },
  decide(command, state) {
    if (command instanceof CreateWebhook) {
      if (state.exists) throw new InvalidInput(`Webhook ${command.webhookId} already exists`);
      const problem = urlProblem(command.url);
      if (problem) throw new InvalidInput(problem);
      if (command.refusedAddress) throw new InvalidInput(command.refusedAddress);
      const types = [...new Set(command.eventTypes)];
      if (types.length === 0) throw new InvalidInput('eventTypes names at least one event type');
      if (types.length > WEBHOOK_LIMITS.eventTypes) throw new InvalidInput(`eventTypes names at most ${WEBHOOK_LIMITS.eventTypes} event types`);
      const unknown = types.filter((type) => !DELIVERABLE_EVENT_TYPES.includes(type));
      if (unknown.length > 0) {
        throw new InvalidInput(`Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((type) => JSON.stringify(type.slice(0, 60))).join(', ')}: a webhook may subscribe to ${DELIVERABLE_EVENT_TYPES.join(', ')}`);
      }
      return [{ type: 'WebhookCreated', data: { webhookId: command.webhookId, url: command.url, eventTypes: types, createdAt: command.createdAt } }];
    }
    if (!state.exists || state.deleted) throw new NotFound('Webhook', command.webhookId);
    if (command instanceof DeleteWebhook) return [{ type: 'WebhookDeleted', data: { webhookId: command.webhookId, deletedAt: command.deletedAt } }];
    if (command instanceof DisableWebhook) {
      if (!state.active) return [];
      const { webhookId, eventId, deliveryId, attempts, reason, disabledAt } = command;
      return [{ type: 'WebhookDisabled', data: { webhookId, eventId, deliveryId, attempts, reason, disabledAt } }];
    }
    if (command instanceof EnableWebhook) {
      if (state.active) return [];
      return [{ type: 'WebhookEnabled', data: { webhookId: command.webhookId, deliveryId: command.deliveryId, enabledAt: command.enabledAt } }];
    }
    return [];
  },
};
