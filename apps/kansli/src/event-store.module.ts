import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventStore, openEventStore } from '@kansli/event-store';
import { KANSLI_CONFIG } from './config.module';
import type { KansliConfig } from './config';
import { AppendObserver } from './operations/append-observer';

/** Provides the EventStore port, opened from the configuration with its appends timed, and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [KANSLI_CONFIG, AppendObserver],
      useFactory: (config: KansliConfig, appends: AppendObserver) => appends.observe(openEventStore(config.eventStore)),
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
