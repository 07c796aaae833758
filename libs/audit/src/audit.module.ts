import { Module, type OnModuleInit } from '@nestjs/common';
import { ProjectionRunner } from '@kansli/projections';
import { TimelineResolver } from './graphql/timeline.resolver';
import { timelineProjection } from './timeline.projection';
import { TimelineReader } from './timeline.reader';

/** What the auditors (revisorer) read: the timeline of every event. */
@Module({
  providers: [
    { provide: TimelineReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new TimelineReader(readModels.database) },
    TimelineResolver,
  ],
})
export class AuditModule implements OnModuleInit {
  constructor(private readonly readModels: ProjectionRunner) {}

  onModuleInit(): void {
    this.readModels.register(timelineProjection);
  }
}
