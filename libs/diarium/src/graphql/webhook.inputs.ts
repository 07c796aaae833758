import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsString, IsUUID, MaxLength } from 'class-validator';
import { WEBHOOK_LIMITS } from '../webhook.decider';

const id = (name: string) => IsUUID('all', { message: `${name} is not a valid id` });

@InputType()
export class CreateWebhookInput {
  @Field({ description: 'An http(s) URL of at most 2,000 characters; loopback and private addresses only when KANSLI_WEBHOOK_ALLOW_PRIVATE=true.' })
  @IsString() @MaxLength(WEBHOOK_LIMITS.url, { message: `url must be at most ${WEBHOOK_LIMITS.url} characters` })
  url!: string;
  @Field(() => [String], { description: 'The event types to deliver, e.g. ["DocumentRegistered", "ProtocolJusterad"].' })
  @IsArray() @ArrayMaxSize(WEBHOOK_LIMITS.eventTypes, { message: `at most ${WEBHOOK_LIMITS.eventTypes} event types` })
  @IsString({ each: true }) @MaxLength(100, { each: true, message: 'an event type is at most 100 characters' })
  eventTypes!: string[];
}

@InputType()
export class DeleteWebhookInput {
  @Field(() => ID) @id('webhookId') webhookId!: string;
}

@InputType()
export class RedeliverInput {
  @Field(() => ID) @id('deliveryId') deliveryId!: string;
}
