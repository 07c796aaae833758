import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { Access } from '@kansli/api';
import { AuditEventConnectionType, AuditEventType, TimelineResolver } from './timeline.resolver';

@Resolver(() => AuditEventType)
export class HistoryResolver {
  constructor(private readonly timeline: TimelineResolver) {}

  @Access('SEKRETERARE', 'ADMIN', 'REVISOR')
  @Query(() => AuditEventConnectionType, {
    description: 'Every event of one entity (a body, meeting, motion, decision, budget, delegation, person…), oldest first: the timeline filtered by entityId.',
  })
  history(
    @Args('entityId', { type: () => ID }) entityId: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): AuditEventConnectionType {
    return this.timeline.timeline({ entityId }, first, after);
  }
}
