import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { Metrics } from '@kansli/api';
import { EventStore, EventStoreClosedError, EventStoreError, SqliteEventStore, StorageUnavailableError, type StorageFailure } from '@kansli/event-store';

const APPENDS = new Set<string | symbol>(['appendToStream', 'appendToStreams']);

/**
 * Times every append to the event store (`kansli_event_store_append_duration_seconds`, per outcome), counts the
 * appends of each group commit of the embedded engine (`kansli_event_store_group_commit_appends`) and remembers
 * whether the storage refuses writes, for readiness.
 */
@Injectable()
export class AppendObserver {
  private readonly latency: Histogram<'outcome'>;
  private readonly groupCommits: Histogram;
  /** Why the latest append could not be written (a full or read-only disk, a failed sync, a closed store), until one is. */
  refusal?: StorageFailure | 'closed';

  constructor(metrics: Metrics) {
    this.latency = new Histogram({
      name: 'kansli_event_store_append_duration_seconds',
      help: 'Time an append to the event store took until acknowledged (durable), per outcome: ok or the store\'s error code',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [metrics.registry],
    });
    this.groupCommits = new Histogram({
      name: 'kansli_event_store_group_commit_appends',
      help: 'Appends written together in one transaction and one sync by the embedded engine (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000],
      registers: [metrics.registry],
    });
  }

  /**
   * The store, with its appends observed. A proxy rather than a wrapping class: the engine stays what it is
   * (`instanceof SqliteEventStore` still chooses the inline read models and the log tree, the engine's own
   * members stay reachable), and every other call goes straight to the engine, with the engine as `this`.
   */
  observe(store: EventStore): EventStore {
    if (store instanceof SqliteEventStore) store.onGroupCommit = (appends) => this.groupCommits.observe(appends);
    const bound = new Map<string | symbol, unknown>();
    return new Proxy(store, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        let method = bound.get(property);
        if (method === undefined || (method as { original?: unknown }).original !== value) {
          const call = (value as (...args: unknown[]) => unknown).bind(target);
          method = APPENDS.has(property) ? Object.assign((...args: unknown[]) => this.timed(() => call(...args) as Promise<unknown>), { original: value }) : Object.assign(call, { original: value });
          bound.set(property, method);
        }
        return method;
      },
    });
  }

  private async timed<T>(append: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await append();
      this.refusal = undefined;
      this.latency.observe({ outcome: 'ok' }, elapsed());
      return result;
    } catch (error) {
      if (error instanceof StorageUnavailableError) this.refusal = error.reason;
      else if (error instanceof EventStoreClosedError) this.refusal = 'closed';
      this.latency.observe({ outcome: error instanceof EventStoreError ? error.code : 'ERROR' }, elapsed());
      throw error;
    }
  }
}
