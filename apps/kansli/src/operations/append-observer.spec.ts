import { Metrics } from '@kansli/api';
import { ConcurrencyError, SqliteEventStore, type NewEvent } from '@kansli/event-store';
import { AppendObserver } from './append-observer';

const probe: NewEvent = { type: 'Probed', data: {}, metadata: { occurredAt: '2026-11-23T10:00:00Z' } };

async function histogram(metrics: Metrics, name: string, sample: 'count' | 'sum', labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  const values = metric.values as Array<{ metricName?: string; labels: Record<string, unknown>; value: number }>;
  return values.find((value) => value.metricName === `${name}_${sample}` && Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))?.value ?? 0;
}

async function appendCount(metrics: Metrics, outcome: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('kansli_event_store_append_duration_seconds')!.get();
  const values = metric.values as Array<{ metricName?: string; labels: Record<string, unknown>; value: number }>;
  return values.find((value) => value.metricName === 'kansli_event_store_append_duration_seconds_count' && value.labels.outcome === outcome)?.value ?? 0;
}

describe('the observed event store', () => {
  it('is still the engine (its class, its database), and times each append once, per outcome', async () => {
    const metrics = new Metrics();
    const observer = new AppendObserver(metrics);
    const engine = new SqliteEventStore({ filename: ':memory:' });
    const store = observer.observe(engine);
    expect(store).toBeInstanceOf(SqliteEventStore);
    expect((store as SqliteEventStore).database).toBe(engine.database);

    await store.appendToStream('probe-1', [probe]);
    await store.appendToStreams([{ stream: 'probe-2', events: [probe] }, { stream: 'probe-3', events: [probe] }]);
    await expect(store.appendToStream('probe-1', [probe], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await appendCount(metrics, 'ok')).toBe(2);
    expect(await appendCount(metrics, 'CONFLICT')).toBe(1);
    // A conflict is the caller's: the storage still writes.
    expect(observer.refusal).toBeUndefined();
    await store.close();
  });

  it('counts the appends of each group commit of the embedded engine: those arriving together are written together', async () => {
    const metrics = new Metrics();
    const store = new AppendObserver(metrics).observe(new SqliteEventStore({ filename: ':memory:' }));
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.appendToStream(`probe-${n}`, [probe])));
    await store.appendToStream('probe-6', [probe]);
    // A conflicting append is rolled back alone: its commit writes nothing and is no group commit.
    await expect(store.appendToStream('probe-6', [probe], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await histogram(metrics, 'kansli_event_store_group_commit_appends', 'count')).toBe(2);
    expect(await histogram(metrics, 'kansli_event_store_group_commit_appends', 'sum')).toBe(6);
    await store.close();
  });

  it('remembers a refusal by the storage until an append is written again', async () => {
    const observer = new AppendObserver(new Metrics());
    const engine = new SqliteEventStore({ filename: ':memory:' });
    const store = observer.observe(engine);
    engine.database.pragma('query_only = ON');
    await expect(store.appendToStream('probe-1', [probe])).rejects.toThrow(/read-only/);
    expect(observer.refusal).toBe('read-only');
    engine.database.pragma('query_only = OFF');
    await store.appendToStream('probe-1', [probe]);
    expect(observer.refusal).toBeUndefined();
    await store.close();
    await expect(store.appendToStream('probe-1', [probe])).rejects.toThrow(/closed/);
    expect(observer.refusal).toBe('closed');
  });
});
