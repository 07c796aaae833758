import type { EventStore } from '@kansli/event-store';
import type { ProjectionRunner } from '@kansli/projections';
import type { TimelineFilter, AuditEventView, TimelineReader } from './timeline.reader';

/**
 * The live timeline: the log's own subscription (it catches up from a position, then follows, in log order),
 * each event shown once the read models hold it, through the same filter as the `timeline` query. Resuming
 * after the last position a client saw gives every later event once: nothing skipped across a reconnect.
 */
export class TimelineFeed {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: ProjectionRunner,
    private readonly reader: TimelineReader,
  ) {}

  /** Events after `afterPosition` (from now on when omitted) that pass the filter; ends when the consumer returns. */
  async *follow(filter: TimelineFilter, afterPosition?: bigint): AsyncGenerator<AuditEventView> {
    const subscription = this.store.subscribeToAll({ fromPosition: afterPosition ?? 'end' });
    let last = afterPosition ?? -1n;
    try {
      for await (const event of subscription) {
        // The subscription delivers at least once: a repeat of what was already sent is dropped.
        if (event.position <= last) continue;
        last = event.position;
        await this.readModels.waitFor(event.position);
        const view = this.reader.atPosition(filter, event.position.toString());
        if (view) yield view;
      }
    } finally {
      await subscription.close();
    }
  }
}
