import { Injectable } from '@nestjs/common';
import { EventStore, EventStoreError, type StorageFailure } from '@kansli/event-store';
import { ProjectionRunner } from '@kansli/projections';
import { AppendObserver } from './append-observer';

export type Readiness = { ready: true } | { ready: false; reason: string };

/** How long the store may take to answer the readiness check. */
export const STORE_ANSWER_MS = 2_000;

const REFUSALS: Record<StorageFailure | 'closed', string> = {
  full: 'the event store refuses writes: the disk is full',
  'read-only': 'the event store refuses writes: its database is read-only',
  'io-error': 'the event store refuses writes: the disk failed a write or a sync (after a failed sync the store refuses writes until restarted)',
  'cannot-open': 'the event store refuses writes: its database file cannot be opened',
  busy: 'the event store refuses writes: its database is locked by another process',
  closed: 'the event store is closed',
};

/**
 * Whether this instance should get traffic: the store answers a read, its latest append was not refused by the
 * storage, and the read models have applied the whole log as it stands now (scale-out mode; the embedded engine
 * writes them in the append). The reasons name the cause and nothing else: no host, path or message of the engine.
 */
@Injectable()
export class ReadinessCheck {
  constructor(
    private readonly events: EventStore,
    private readonly readModels: ProjectionRunner,
    private readonly appends: AppendObserver,
  ) {}

  async check(answerMs = STORE_ANSWER_MS): Promise<Readiness> {
    try {
      await withTimeout(this.events.readAll({ direction: 'backwards', maxCount: 1 }), answerMs);
    } catch (error) {
      if (error instanceof Timeout) return { ready: false, reason: `the event store does not answer within ${answerMs} ms` };
      return { ready: false, reason: `the event store does not answer${error instanceof EventStoreError ? ` (${error.code})` : ''}` };
    }
    if (this.appends.refusal) return { ready: false, reason: REFUSALS[this.appends.refusal] };
    let behind: number;
    try {
      behind = await withTimeout(this.readModels.behind(), answerMs);
    } catch (error) {
      if (error instanceof Timeout) return { ready: false, reason: `the event store does not answer within ${answerMs} ms` };
      return { ready: false, reason: 'the read models have stopped following the log' };
    }
    if (behind > 0) return { ready: false, reason: `the read models are ${behind}${behind >= 1000 ? ' or more' : ''} event${behind === 1 ? '' : 's'} behind the log` };
    return { ready: true };
  }
}

class Timeout extends Error {}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Timeout()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
