import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar, PageInfoType } from '@kansli/api';

@ObjectType('Webhook', { description: 'A subscription to events of the log, delivered by the Standard Webhooks specification.' })
export class WebhookType {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field(() => [String]) eventTypes!: string[];
  @Field({ description: 'False once deleted, or disabled when every attempt of the retry schedule failed on one event (redeliver turns it on again).' }) active!: boolean;
  @Field(() => DateTimeScalar) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'Why it was disabled.' }) disabledReason!: string | null;
}

@ObjectType('WebhookWithSecret')
export class WebhookWithSecretType {
  @Field(() => WebhookType) webhook!: WebhookType;
  @Field({ description: 'whsec_<base64>: shown this once. Verify each delivery\'s webhook-signature with it.' }) secret!: string;
}

@ObjectType('Delivery', { description: 'One attempt to deliver one event to one webhook.' })
export class DeliveryType {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The event, and the delivery\'s webhook-id.' }) eventId!: string;
  @Field() eventType!: string;
  @Field(() => Int, { description: '1 for the first attempt of the event, 2 for the first retry…' }) attempt!: number;
  @Field({ description: 'DELIVERED (a 2xx answer) or FAILED.' }) status!: string;
  @Field(() => Int, { nullable: true, description: 'The receiver\'s HTTP status; null without an answer.' }) responseStatus!: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed without an answer (a timeout, a refused connection).' }) error!: string | null;
  @Field(() => DateTimeScalar) attemptedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the next attempt is due; null after a success or when no attempt is left.' }) nextAttemptAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: string | null;
  @Field({ description: 'Made by redeliver outside the queue (the event had been delivered).' }) manual!: boolean;
}

@ObjectType('DeliveryEdge')
export class DeliveryEdgeType {
  @Field() cursor!: string;
  @Field(() => DeliveryType) node!: DeliveryType;
}

@ObjectType('DeliveryConnection')
export class DeliveryConnectionType {
  @Field(() => [DeliveryEdgeType]) edges!: DeliveryEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}
