import { Metrics } from '@kansli/api';
import { EventStoreClosedError, type EventStore } from '@kansli/event-store';
import type { ProjectionRunner } from '@kansli/projections';
import { AppendObserver } from './append-observer';
import { ReadinessCheck } from './readiness';

/** A store that answers reads (or fails them), and read models some events behind (or stopped). */
function readiness(options: { read?: () => Promise<unknown>; behind?: () => Promise<number> } = {}) {
  const events = { readAll: options.read ?? (async () => []) } as unknown as EventStore;
  const readModels = { behind: options.behind ?? (async () => 0) } as unknown as ProjectionRunner;
  const appends = new AppendObserver(new Metrics());
  return { check: new ReadinessCheck(events, readModels, appends), appends };
}

describe('readiness', () => {
  it('is ready when the store answers and the read models have applied the whole log', async () => {
    expect(await readiness().check.check()).toEqual({ ready: true });
  });

  it('is not ready while the read models trail the log, and says by how many events', async () => {
    expect(await readiness({ behind: async () => 1 }).check.check()).toEqual({ ready: false, reason: 'the read models are 1 event behind the log' });
    expect(await readiness({ behind: async () => 42 }).check.check()).toEqual({ ready: false, reason: 'the read models are 42 events behind the log' });
    expect(await readiness({ behind: async () => 1000 }).check.check()).toEqual({ ready: false, reason: 'the read models are 1000 or more events behind the log' });
  });

  it('is not ready when the read models have stopped following the log', async () => {
    const stopped = readiness({ behind: () => Promise.reject(new Error('subscription dropped: connection to esdb.internal:2113 lost')) });
    expect(await stopped.check.check()).toEqual({ ready: false, reason: 'the read models have stopped following the log' });
  });

  it('is not ready when the store does not answer, naming its error code and nothing of its message', async () => {
    expect(await readiness({ read: () => Promise.reject(new EventStoreClosedError()) }).check.check()).toEqual({ ready: false, reason: 'the event store does not answer (CLOSED)' });
    expect(await readiness({ read: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:2113')) }).check.check()).toEqual({ ready: false, reason: 'the event store does not answer' });
  });

  it('is not ready after an append the storage refused (a failed sync refuses every later one), until an append succeeds', async () => {
    const subject = readiness();
    subject.appends.refusal = 'io-error';
    expect(await subject.check.check()).toEqual({ ready: false, reason: expect.stringMatching(/^the event store refuses writes: the disk failed a write or a sync/) });
    subject.appends.refusal = undefined;
    expect(await subject.check.check()).toEqual({ ready: true });
  });
});
