import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore, openEventStore } from '@kansli/event-store';
import { KANSLI_CONFIG } from './config.module';
import type { KansliConfig } from './config';

/** Provides the EventStore port, opened from the configuration, and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [KANSLI_CONFIG],
      useFactory: (config: KansliConfig) => openEventStore(config.eventStore),
    },
  ],
  exports: [EventStore],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly events: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
  }
}
