import { join } from 'node:path';
import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore, SqliteEventStore } from '@kansli/event-store';
import { InlineProjectionRunner, ProjectionRunner, SubscriptionProjectionRunner } from '@kansli/projections';
import type { KansliConfig } from './config';
import { KANSLI_CONFIG } from './config.module';
import { openReplicaReadModels, readModelProjections, REPLICA_READ_MODELS } from './read-models';

/**
 * Read models in SQLite next to the process: inside the event database, updated in the append's transaction
 * (embedded engine), or in this replica's own `read-models.db`, fed by a checkpointed subscription (EventStoreDB).
 * The projections are `readModelProjections`, registered here before any reader is built; the runner starts
 * once the application has bootstrapped.
 */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionRunner,
      inject: [EventStore, KANSLI_CONFIG],
      useFactory: (events: EventStore, config: KansliConfig) => {
        const runner = events instanceof SqliteEventStore
          ? new InlineProjectionRunner(events)
          : new SubscriptionProjectionRunner(events, openReplicaReadModels(join(config.dataDir, REPLICA_READ_MODELS)));
        for (const projection of readModelProjections) runner.register(projection);
        return runner;
      },
    },
  ],
  exports: [ProjectionRunner],
})
export class ReadModelsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}

  onApplicationBootstrap(): Promise<void> {
    return this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    // The replica's own file is closed here; the embedded database is closed with the event store.
    if (this.runner instanceof SubscriptionProjectionRunner) this.runner.database.close();
  }
}
