import type { DomainEvent } from '@kansli/event-store';

/**
 * A subscription of the diarium (or another system) to events of the log, delivered by the Standard Webhooks
 * specification. Its signing secret is derived from the server's webhook key and the id, never written to the log.
 */
export type WebhookCreated = DomainEvent<'WebhookCreated', { webhookId: string; url: string; eventTypes: string[]; createdAt: string }>;
export type WebhookDeleted = DomainEvent<'WebhookDeleted', { webhookId: string; deletedAt: string }>;
/** Every attempt of the retry schedule failed on one event: deliveries stop until someone redelivers it. */
export type WebhookDisabled = DomainEvent<
  'WebhookDisabled',
  { webhookId: string; eventId: string; deliveryId: string | null; attempts: number; reason: string; disabledAt: string }
>;
/** A redelivery of the event the webhook stopped at turns it on again. */
export type WebhookEnabled = DomainEvent<'WebhookEnabled', { webhookId: string; deliveryId: string; enabledAt: string }>;

export type WebhookEvent = WebhookCreated | WebhookDeleted | WebhookDisabled | WebhookEnabled;
export const WEBHOOK_EVENT_TYPES = ['WebhookCreated', 'WebhookDeleted', 'WebhookDisabled', 'WebhookEnabled'] as const;

export const webhookStream = (webhookId: string) => `webhook-${webhookId}`;

/**
 * The event types a webhook may subscribe to: the stable names of API.md and the diarium's own. The log's
 * registers (paragraph and diarienummer numbers) and the webhooks' own events are not offered.
 */
export const DELIVERABLE_EVENT_TYPES: readonly string[] = [
  'BodyEstablished', 'MemberAppointed', 'MembershipEnded', 'PersonRegistered', 'RoleAssigned',
  'MeetingScheduled', 'AgendaItemAdded', 'MeetingOpened', 'AttendanceRecorded', 'JusterareAppointed', 'JavDeclared',
  'MeetingClosed', 'MeetingCancelled', 'MeetingRescheduled', 'MotionRaised', 'DecisionTaken',
  'ProtocolSigned', 'ProtocolJusterad', 'AnslagPosted', 'ProtocolCorrected',
  'BudgetAdopted', 'BudgetRevised', 'BudgetOutcomeRecorded',
  'DelegationChanged', 'DelegatedDecisionRecorded', 'DelegatedDecisionsReported', 'AttestRuleChanged', 'InvoiceAttested',
  'DocumentRegistered',
];
