import { Module } from '@nestjs/common';
import { ProjectionRunner } from '@kansli/projections';
import { TimelineResolver } from './graphql/timeline.resolver';
import { TimelineReader } from './timeline.reader';

/** What the auditors (revisorer) read: the timeline of every event. */
@Module({
  providers: [
    { provide: TimelineReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new TimelineReader(readModels.database) },
    TimelineResolver,
  ],
})
export class AuditModule {}
