import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Access } from '@kansli/api';
import { EventStore } from '@kansli/event-store';

@ObjectType({ description: 'Whether the server is up and which event store it writes to.' })
export class Health {
  @Field({ description: '`ok` when the event store answers.' })
  status!: string;

  @Field({ description: '`sqlite` (embedded) or `eventstoredb`.' })
  eventStore!: string;

  @Field({ nullable: true, description: 'Position of the newest event in the log, if any.' })
  lastPosition?: string;
}

@Resolver(() => Health)
export class HealthResolver {
  constructor(private readonly events: EventStore) {}

  @Access('ANONYMOUS')
  @Query(() => Health, { description: 'Liveness and event store check.' })
  async health(): Promise<Health> {
    const [last] = await this.events.readAll({ direction: 'backwards', maxCount: 1 });
    return {
      status: 'ok',
      eventStore: this.events.capabilities.inlineProjections ? 'sqlite' : 'eventstoredb',
      lastPosition: last?.position.toString(),
    };
  }
}
