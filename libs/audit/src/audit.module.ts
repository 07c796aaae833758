import { Module } from '@nestjs/common';
import { EventStore } from '@kansli/event-store';
import { ProjectionRunner } from '@kansli/projections';
import { HistoryResolver } from './graphql/history.resolver';
import { TimelineEventsResolver } from './graphql/timeline-events.resolver';
import { TimelineResolver } from './graphql/timeline.resolver';
import { TimelineFeed } from './timeline-feed';
import { TimelineReader } from './timeline.reader';

/** What the auditors (revisorer) read: the timeline of every event. */
@Module({
  providers: [
    { provide: TimelineReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new TimelineReader(readModels.database) },
    TimelineResolver,
    {
      provide: TimelineFeed,
      inject: [EventStore, ProjectionRunner, TimelineReader],
      useFactory: (store: EventStore, readModels: ProjectionRunner, reader: TimelineReader) => new TimelineFeed(store, readModels, reader),
    },
    TimelineEventsResolver,
    HistoryResolver,
  ],
})
export class AuditModule {}
