import { join } from 'node:path';
import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { EventStore, SqliteEventStore } from '@kansli/event-store';
import { InlineProjectionRunner, ProjectionRunner, SubscriptionProjectionRunner } from '@kansli/projections';
import type { KansliConfig } from './config';
import { KANSLI_CONFIG } from './config.module';

/**
 * Read models in SQLite next to the process: inside the event database, updated in the append's transaction
 * (embedded engine), or in this replica's own `read-models.db`, fed by a checkpointed subscription (EventStoreDB).
 * Contexts register their projections on module init; the runner starts once all are registered.
 */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionRunner,
      inject: [EventStore, KANSLI_CONFIG],
      useFactory: (events: EventStore, config: KansliConfig) =>
        events instanceof SqliteEventStore
          ? new InlineProjectionRunner(events)
          : new SubscriptionProjectionRunner(events, new Database(join(config.dataDir, 'read-models.db'))),
    },
  ],
  exports: [ProjectionRunner],
})
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}

  onApplicationBootstrap(): Promise<void> {
    return this.runner.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }
}
