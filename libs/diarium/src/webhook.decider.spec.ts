import { deciderSpec } from '@kansli/testing';
import { CreateWebhook, DeleteWebhook, DisableWebhook, EnableWebhook } from './webhook.commands';
import { urlProblem, webhookDecider } from './webhook.decider';
import type { WebhookEvent } from './webhook.events';

const context = { occurredAt: '2018-06-20T10:00:00+02:00' };
const create = (url = 'https://diariet.kommun.se/kansli', eventTypes = ['DocumentRegistered', 'ProtocolJusterad']) =>
  new CreateWebhook('w1', url, eventTypes, '2018-06-20T10:00:00+02:00', context);
const created: WebhookEvent = { type: 'WebhookCreated', data: { webhookId: 'w1', url: 'https://diariet.kommun.se/kansli', eventTypes: ['DocumentRegistered', 'ProtocolJusterad'], createdAt: '2018-06-20T10:00:00+02:00' } };
const disabled: WebhookEvent = { type: 'WebhookDisabled', data: { webhookId: 'w1', eventId: 'e1', deliveryId: 'd8', attempts: 8, reason: '8 attempts failed', disabledAt: '2018-06-21T14:00:00+02:00' } };

describe('webhooks', () => {
  it('subscribes an http(s) URL to event types the log has, each once', () => {
    deciderSpec(webhookDecider).given([]).when(create()).then([created]);
    deciderSpec(webhookDecider).given([]).when(create(undefined, ['DocumentRegistered', 'ProtocolJusterad', 'DocumentRegistered'])).then([created]);
  });

  it('refuses URLs that are not http(s), longer than 2,000 characters, or carry a password', () => {
    expect(urlProblem('ftp://diariet.kommun.se/in')).toMatch(/http or https URL, got ftp/);
    expect(urlProblem('javascript:alert(1)')).toMatch(/http or https URL/);
    expect(urlProblem('diariet.kommun.se/in')).toMatch(/is not a URL/);
    expect(urlProblem(`https://diariet.kommun.se/${'a'.repeat(1974)}`)).toBeNull();
    expect(urlProblem(`https://diariet.kommun.se/${'a'.repeat(1975)}`)).toMatch(/at most 2000 characters, got 2001/);
    expect(urlProblem('https://user:pw@diariet.kommun.se/')).toMatch(/user name or password/);
    deciderSpec(webhookDecider).given([]).when(create('gopher://diariet.kommun.se')).thenThrows(/http or https/, { code: 'BAD_USER_INPUT' });
  });

  it('refuses a URL whose host the handler found inside the network, with the handler\'s reason', () => {
    deciderSpec(webhookDecider).given([]).when(create('http://127.0.0.1/').checked('127.0.0.1 is a loopback address')).thenThrows(/loopback/, { code: 'BAD_USER_INPUT' });
  });

  it('refuses unknown event types, naming them and the types there are, and an empty list', () => {
    deciderSpec(webhookDecider).given([]).when(create(undefined, ['DecisionTaken', 'DecisionMade'])).thenThrows(/Unknown event type "DecisionMade": a webhook may subscribe to .*DocumentRegistered/, { code: 'BAD_USER_INPUT' });
    deciderSpec(webhookDecider).given([]).when(create(undefined, ['WebhookCreated'])).thenThrows(/Unknown event type "WebhookCreated"/);
    deciderSpec(webhookDecider).given([]).when(create(undefined, ['ParagraphNumberAssigned'])).thenThrows(/Unknown event type/);
    deciderSpec(webhookDecider).given([]).when(create(undefined, [])).thenThrows(/at least one event type/);
  });

  it('is disabled once, and turned on again once, and never after it was deleted', () => {
    const disable = new DisableWebhook('w1', 'e1', 'd8', 8, '8 attempts failed', '2018-06-21T14:00:00+02:00', context);
    const enable = new EnableWebhook('w1', 'd8', '2018-06-22T09:00:00+02:00', context);
    deciderSpec(webhookDecider).given([created]).when(disable).then([disabled]);
    deciderSpec(webhookDecider).given([created, disabled]).when(disable).then([]);
    deciderSpec(webhookDecider).given([created, disabled]).when(enable).then([{ type: 'WebhookEnabled', data: { webhookId: 'w1', deliveryId: 'd8', enabledAt: '2018-06-22T09:00:00+02:00' } }]);
    deciderSpec(webhookDecider).given([created]).when(enable).then([]);
    const deleted: WebhookEvent = { type: 'WebhookDeleted', data: { webhookId: 'w1', deletedAt: '2018-06-23T09:00:00+02:00' } };
    deciderSpec(webhookDecider).given([created]).when(new DeleteWebhook('w1', '2018-06-23T09:00:00+02:00', context)).then([deleted]);
    deciderSpec(webhookDecider).given([created, deleted]).when(new DeleteWebhook('w1', '2018-06-23T09:00:00+02:00', context)).thenThrows(/Webhook w1 does not exist/, { code: 'NOT_FOUND' });
    deciderSpec(webhookDecider).given([created, deleted]).when(enable).thenThrows(/does not exist/);
    deciderSpec(webhookDecider).given([]).when(disable).thenThrows(/does not exist/, { code: 'NOT_FOUND' });
  });
});
