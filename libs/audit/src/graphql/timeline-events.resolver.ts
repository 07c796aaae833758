import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { Access } from '@kansli/api';
import { InvalidInput } from '@kansli/kernel';
import { TimelineFeed } from '../timeline-feed';
import { AuditEventType, TimelineFilter } from './timeline.resolver';

@Resolver(() => AuditEventType)
export class TimelineEventsResolver {
  constructor(private readonly feed: TimelineFeed) {}

  @Access('REVISOR')
  @Subscription(() => AuditEventType, {
    description:
      'The timeline live, over graphql-ws (REVISOR): every event after `afterPosition` (from now on when omitted) that passes the filter, in log order. ' +
      'To resume after a reconnect, pass the position of the last event received: nothing is skipped.',
    resolve: (event: AuditEventType) => event,
  })
  timelineEvents(
    @Args('filter', { type: () => TimelineFilter, nullable: true }) filter?: TimelineFilter,
    @Args('afterPosition', { type: () => String, nullable: true }) afterPosition?: string,
  ): AsyncIterator<AuditEventType> {
    if (afterPosition !== undefined && afterPosition !== null && !/^\d{1,40}$/.test(afterPosition)) {
      throw new InvalidInput('afterPosition must be the position of an event (a decimal number, as AuditEvent.position gives it)');
    }
    return this.feed.follow(filter ?? {}, afterPosition ? BigInt(afterPosition) : undefined);
  }
}
