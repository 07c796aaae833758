import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { eventLeafHash, rootOf, verifyConsistency, verifyInclusion } from '@kansli/tlog';
import type { EventSubscription, NewEvent, RecordedEvent } from './event';
import { readAllEvents, type EventStore, type EventStoreCapabilities } from './event-store';
import {
  ConcurrencyError,
  DuplicateEventError,
  EventStoreUnavailableError,
  InvalidAppendError,
  InvalidReadError,
  MultiStreamAppendError,
  ProjectionFailedError,
} from './event-store.errors';
import type { LogTree } from './sqlite/log-tree';
import { eventDataJson, type InlineProjection } from './sqlite/sqlite-event-store';
import { MAX_APPEND_BYTES } from './validation';

/** What an adapter under test offers the contract. Engine-only abilities are optional. */
export interface ContractSubject {
  store: EventStore;
  /** Registers a projection that runs in the append's transaction (embedded engine). */
  registerInlineProjection?: (projection: InlineProjection) => void;
  /** The engine's own database, to try to change stored events behind the port's back. */
  database?: Database.Database;
  /**
   * The log's Merkle tree as this engine keeps it, caught up with everything appended so far: the store's own
   * (embedded engine), or one a replica's checkpointed subscription computes from the log (EventStoreDB).
   */
  logTree: () => Promise<LogTree>;
  /**
   * Makes the engine unable to carry out a write for a while (its storage refuses writes; its server goes away) and
   * returns what puts it back. A subject that cannot (a real server this suite may not stop) throws, saying so.
   */
  interrupt: () => Promise<() => Promise<void>>;
}

const OCCURRED_AT = '2018-06-14T09:00:00+02:00';

function event(type: string, data: Record<string, unknown> = {}, id?: string): NewEvent {
  return {
    id,
    type,
    data: data as NewEvent['data'],
    metadata: { occurredAt: OCCURRED_AT, actor: 'contract', correlationId: 'corr-1', causationId: 'cause-1' },
  };
}

async function take(subscription: EventSubscription, count: number, timeoutMs = 5000): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  if (count === 0) return received;
  const iterator = subscription[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${received.length} of ${count} events`)), timeoutMs);
  });
  try {
    while (received.length < count) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) break;
      received.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return received;
}

/** Everything appended after `origin` (a test's starting point; `start` on an empty store). */
async function allEvents(store: EventStore, origin: bigint | 'start', maxCount?: number): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  const after = origin === 'start' ? undefined : origin;
  for await (const recorded of readAllEvents(store, { after, maxCount })) events.push(recorded);
  return events;
}

/**
 * The semantics every EventStore adapter honours. `open` gives a fresh, empty store for each test.
 * `capabilities` are what the adapter declares beyond the common contract; their cases run only where declared.
 */
export function eventStoreContract(
  adapter: string,
  capabilities: EventStoreCapabilities,
  open: () => Promise<ContractSubject>,
): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    // Where the log stood when the test began: cases read only what they appended, so that the suite also
    // runs against a real server that keeps its events between tests.
    let origin: bigint | 'start';
    const stream = (prefix = 'contract') => `${prefix}-${randomUUID()}`;
    const typeName = (name: string) => `${name}${randomUUID().slice(0, 8)}`;
    const firstPosition = async () => (await allEvents(store, origin))[0].position;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      const [last] = await store.readAll({ direction: 'backwards', maxCount: 1 });
      origin = last?.position ?? 'start';
    });
    afterEach(async () => {
      await store.close();
    });

    describe('expected revision', () => {
      it('no_stream creates a stream whose first event has revision 0', async () => {
        const s = stream();
        const result = await store.appendToStream(s, [event('A'), event('B')], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1n);
        expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0n, 1n]);
      });

      it('no_stream on an existing stream throws ConcurrencyError with expected and actual revision', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A')]);
        const error = await store.appendToStream(s, [event('B')], { expectedRevision: 'no_stream' }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ stream: s, expected: 'no_stream', actual: 0n, code: 'CONFLICT' });
      });

      it('stream_exists on a missing stream throws ConcurrencyError with actual no_stream', async () => {
        const s = stream();
        const error = await store.appendToStream(s, [event('A')], { expectedRevision: 'stream_exists' }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        expect(await store.readStream(s)).toEqual([]);
      });

      it('stream_exists on an existing stream appends', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A')]);
        const result = await store.appendToStream(s, [event('B')], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('an exact revision that matches appends after it', async () => {
        const s = stream();
        const first = await store.appendToStream(s, [event('A'), event('B')]);
        const second = await store.appendToStream(s, [event('C')], { expectedRevision: first.nextExpectedRevision });
        expect(second.nextExpectedRevision).toBe(2n);
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('a stale exact revision throws ConcurrencyError carrying expected and actual, and writes nothing', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A'), event('B')]);
        const error = await store.appendToStream(s, [event('C'), event('D')], { expectedRevision: 0n }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expected: 0n, actual: 1n });
        expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('an exact revision on a missing stream throws ConcurrencyError with actual no_stream', async () => {
        const error = await store.appendToStream(stream(), [event('A')], { expectedRevision: 3n }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expected: 3n, actual: 'no_stream' });
      });

      it('any appends to a new and to an existing stream (the default)', async () => {
        const s = stream();
        expect((await store.appendToStream(s, [event('A')], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0n);
        expect((await store.appendToStream(s, [event('B')])).nextExpectedRevision).toBe(1n);
      });
    });

    describe('recorded events', () => {
      it('carry id, type, data, metadata, stream, revision, position and a recordedAt stamped by the store', async () => {
        const s = stream();
        const id = randomUUID();
        const before = Date.now();
        const result = await store.appendToStream(s, [event('MotionRaised', { title: 'Budget 2019', seats: 5 }, id)]);
        const [recorded] = await store.readStream(s);
        expect(recorded).toMatchObject({
          id,
          type: 'MotionRaised',
          data: { title: 'Budget 2019', seats: 5 },
          metadata: { occurredAt: OCCURRED_AT, actor: 'contract', correlationId: 'corr-1', causationId: 'cause-1' },
          stream: s,
          revision: 0n,
          position: result.position,
        });
        expect(Date.parse(recorded.recordedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(recorded.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      });

      it('get a UUID from the store when the caller gives none', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A')]);
        const [recorded] = await store.readStream(s);
        expect(recorded.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      });

      it('keep large and non-ASCII payloads byte for byte (å, ä, ö, §)', async () => {
        const s = stream();
        const text = 'Protokoll § 24 – Samordningsförbundet beslutar att godkänna årsredovisningen. Justerare: Åsa Öberg. ';
        const large = text.repeat(Math.floor((MAX_APPEND_BYTES * 0.9) / Buffer.byteLength(text)));
        const data = { title: 'Årsredovisning för Skellefteå–Norsjö §§ 24–39', body: large, nested: { 'nyckel-åäö': ['§', 'ÅÄÖ', '😀'] } };
        await store.appendToStream(s, [{ ...event('DecisionTaken', data), metadata: { occurredAt: OCCURRED_AT, actor: 'sekreterare-Åsa' } }]);
        const [recorded] = await store.readStream(s);
        expect(recorded.data).toEqual(data);
        expect(recorded.metadata.actor).toBe('sekreterare-Åsa');
      });

      it('give their data as JSON text (eventDataJson) that is the data, read by stream, from the log or live', async () => {
        const s = stream();
        const data = { title: 'Budget 2020 – reviderad', lines: [{ code: 'K1', amount: -230_000 }], note: null, flag: true };
        const subscription = store.subscribeToAll({ fromPosition: origin });
        await store.appendToStream(s, [event('BudgetRevised', data)]);
        const [live] = await take(subscription, 1);
        await subscription.close();
        const [fromStream] = await store.readStream(s);
        const [fromLog] = await allEvents(store, origin);
        for (const recorded of [fromStream, fromLog, live]) {
          expect(JSON.parse(eventDataJson(recorded))).toEqual(data);
          expect(eventDataJson(recorded)).toBe(JSON.stringify(recorded.data));
        }
      });
    });

    describe('idempotent appends', () => {
      it('re-appending the same event ids with the same expected revision returns the first result and writes nothing', async () => {
        const s = stream();
        const events = [event('A', {}, randomUUID()), event('B', {}, randomUUID())];
        const first = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(2);
        expect(await allEvents(store, origin)).toHaveLength(2);
      });

      it('re-appending the same event ids with any returns the first result and writes nothing', async () => {
        const s = stream();
        const events = [event('A', {}, randomUUID())];
        const first = await store.appendToStream(s, events);
        expect(await store.appendToStream(s, events)).toEqual(first);
        expect(await store.readStream(s)).toHaveLength(1);
      });
    });

    describe('concurrency', () => {
      it('of 10 concurrent appends to one stream at the same revision exactly one wins', async () => {
        const s = stream();
        await store.appendToStream(s, [event('Opened')]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.appendToStream(s, [event('Took', { i })], { expectedRevision: 0n })),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const o of lost) expect(o.reason).toBeInstanceOf(ConcurrencyError);
        expect(await store.readStream(s)).toHaveLength(2);
      });

      it('concurrent appends to different streams all succeed with distinct positions', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => store.appendToStream(stream(), [event('A')])));
        expect(new Set(results.map((r) => r.position)).size).toBe(20);
      });
    });

    describe('appends to several streams', () => {
      it('write each part at its own expected revision and return the parts\' results in order', async () => {
        const [register, meeting] = [stream('register'), stream('meeting')];
        await store.appendToStream(meeting, [event('Opened')]);
        const results = await store.appendToStreams([
          { stream: register, events: [event('NumberAssigned', { number: 1 })], expectedRevision: 'no_stream' },
          { stream: meeting, events: [event('Taken', { paragraph: 1 }), event('Noted')], expectedRevision: 0n },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 2n]);
        expect(results[1].position > results[0].position).toBe(true);
        expect((await store.readStream(register)).map((e) => e.type)).toEqual(['NumberAssigned']);
        expect((await store.readStream(meeting)).map((e) => e.type)).toEqual(['Opened', 'Taken', 'Noted']);
        expect((await allEvents(store, origin)).map((e) => e.type)).toEqual(['Opened', 'NumberAssigned', 'Taken', 'Noted']);
      });

      it('refuse bad input before writing anything: no parts, a stream twice, a malformed part', async () => {
        const s = stream();
        await expect(store.appendToStreams([])).rejects.toThrow(InvalidAppendError);
        await expect(store.appendToStreams([{ stream: s, events: [event('A')] }, { stream: s, events: [event('B')] }])).rejects.toThrow(/twice/);
        await expect(store.appendToStreams([{ stream: s, events: [event('A')] }, { stream: '$bad', events: [event('B')] }])).rejects.toThrow(InvalidAppendError);
        await expect(store.appendToStreams([{ stream: s, events: [event('A')] }, { stream: stream(), events: [] }])).rejects.toThrow(InvalidAppendError);
        expect(await allEvents(store, origin)).toEqual([]);
      });

      /** Two new streams appended as one, the second of which already exists: the second part is stale. */
      async function staleSecondPart() {
        const [first, second] = [stream(), stream()];
        await store.appendToStream(second, [event('Existing')]);
        const error = await store
          .appendToStreams([
            { stream: first, events: [event('A')], expectedRevision: 'no_stream' },
            { stream: second, events: [event('B')], expectedRevision: 'no_stream' },
          ])
          .catch((e: unknown) => e);
        return { first, second, error };
      }

      if (capabilities.atomicMultiStreamAppend) {
        it('are atomic: a stale revision in any part fails the whole append with ConcurrencyError and writes no part', async () => {
          const { first, second, error } = await staleSecondPart();
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect((error as ConcurrencyError).stream).toBe(second);
          expect(await store.readStream(first)).toEqual([]);
          expect(await allEvents(store, origin)).toHaveLength(1);
        });

        it('of 10 concurrent appends that share one stream at the same revision exactly one writes, and the others write none of their parts', async () => {
          const shared = stream('register');
          await store.appendToStream(shared, [event('Opened')]);
          const own = Array.from({ length: 10 }, () => stream('meeting'));
          const outcomes = await Promise.allSettled(
            own.map((s, i) =>
              store.appendToStreams([
                { stream: shared, events: [event('NumberAssigned', { i })], expectedRevision: 0n },
                { stream: s, events: [event('Taken', { i })], expectedRevision: 'no_stream' },
              ]),
            ),
          );
          expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
          for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConcurrencyError);
          const written = await Promise.all(own.map((s) => store.readStream(s)));
          expect(written.filter((events) => events.length > 0)).toHaveLength(1);
          expect(await store.readStream(shared)).toHaveLength(2);
        });
      } else {
        it('are not atomic on this engine: a later part\'s failure leaves the earlier parts written and says so', async () => {
          const { first, second, error } = await staleSecondPart();
          expect(error).toBeInstanceOf(MultiStreamAppendError);
          expect((error as MultiStreamAppendError).failedStream).toBe(second);
          expect((error as MultiStreamAppendError).cause).toBeInstanceOf(ConcurrencyError);
          expect((error as MultiStreamAppendError).written).toHaveLength(1);
          expect(await store.readStream(first)).toHaveLength(1);
        });
      }

      if (capabilities.deterministicIdempotency) {
        it('repeated with the same ids return the first results and write nothing; a partial repeat is refused', async () => {
          const [a, b] = [stream(), stream()];
          const parts = [
            { stream: a, events: [event('A', {}, randomUUID())], expectedRevision: 'no_stream' as const },
            { stream: b, events: [event('B', {}, randomUUID())], expectedRevision: 'no_stream' as const },
          ];
          const first = await store.appendToStreams(parts);
          expect(await store.appendToStreams(parts)).toEqual(first);
          await expect(store.appendToStreams([parts[0], { stream: stream(), events: [event('C')] }])).rejects.toThrow(DuplicateEventError);
          expect(await allEvents(store, origin)).toHaveLength(2);
        });
      }
    });

    describe('ordering and reads', () => {
      it('positions increase strictly across streams in append order', async () => {
        const [a, b] = [stream('a'), stream('b')];
        await store.appendToStream(a, [event('A1'), event('A2')]);
        await store.appendToStream(b, [event('B1')]);
        await store.appendToStream(a, [event('A3')]);
        const all = await allEvents(store, origin);
        expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
        for (let i = 1; i < all.length; i++) expect(all[i].position > all[i - 1].position).toBe(true);
      });

      it('the append result gives the position of the last event written', async () => {
        const s = stream();
        const result = await store.appendToStream(s, [event('A'), event('B')]);
        const events = await store.readStream(s);
        expect(result.position).toBe(events[1].position);
      });

      it('readStream forwards from a revision with maxCount', async () => {
        const s = stream();
        await store.appendToStream(s, ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => event(t)));
        const page = await store.readStream(s, { from: 1n, maxCount: 3 });
        expect(page.map((e) => e.type)).toEqual(['E1', 'E2', 'E3']);
      });

      it('readStream backwards from the end and from a revision', async () => {
        const s = stream();
        await store.appendToStream(s, ['E0', 'E1', 'E2', 'E3'].map((t) => event(t)));
        expect((await store.readStream(s, { direction: 'backwards', maxCount: 2 })).map((e) => e.type)).toEqual(['E3', 'E2']);
        expect((await store.readStream(s, { direction: 'backwards', from: 1n })).map((e) => e.type)).toEqual(['E1', 'E0']);
      });

      it('readStream backwards from the start gives the first event only; readAll backwards from the start nothing', async () => {
        const s = stream();
        await store.appendToStream(s, ['E0', 'E1', 'E2'].map((t) => event(t)));
        expect((await store.readStream(s, { direction: 'backwards', from: 'start' })).map((e) => e.type)).toEqual(['E0']);
        expect(await store.readAll({ direction: 'backwards', fromPosition: 'start' })).toEqual([]);
      });

      it('readStream of a stream that does not exist is empty', async () => {
        expect(await store.readStream(stream())).toEqual([]);
      });

      it('readAll forwards from a position is inclusive and ordered', async () => {
        await store.appendToStream(stream(), ['A', 'B', 'C'].map((t) => event(t)));
        const [, second] = await allEvents(store, origin);
        const page = await store.readAll({ fromPosition: second.position });
        expect(page.map((e) => e.type)).toEqual(['B', 'C']);
      });

      it('readAll backwards from the end and from a position', async () => {
        await store.appendToStream(stream(), ['A', 'B', 'C'].map((t) => event(t)));
        const backwards = await store.readAll({ direction: 'backwards', maxCount: 3 });
        expect(backwards.map((e) => e.type)).toEqual(['C', 'B', 'A']);
        const fromB = await store.readAll({ direction: 'backwards', fromPosition: backwards[1].position, maxCount: 2 });
        expect(fromB.map((e) => e.type)).toEqual(['B', 'A']);
      });

      it('readAll pages by maxCount and paging visits every event exactly once', async () => {
        for (let i = 0; i < 7; i++) await store.appendToStream(stream(), [event('E', { i })]);
        expect(await store.readAll({ fromPosition: await firstPosition(), maxCount: 3 })).toHaveLength(3);
        expect((await allEvents(store, origin, 3)).map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      });

      it('readAll filters by event type', async () => {
        const [raised, taken] = [typeName('MotionRaised'), typeName('DecisionTaken')];
        await store.appendToStream(stream(), [event(raised), event(taken), event(raised)]);
        const page = await store.readAll({ filter: { eventTypes: [taken] } });
        expect(page.map((e) => e.type)).toEqual([taken]);
      });

      it('readAll filters by stream prefix', async () => {
        const prefix = typeName('meeting');
        const meeting = stream(prefix);
        await store.appendToStream(stream('body'), [event('BodyEstablished')]);
        await store.appendToStream(meeting, [event('MeetingScheduled')]);
        const page = await store.readAll({ filter: { streamPrefixes: [`${prefix}-`] } });
        expect(page.map((e) => e.stream)).toEqual([meeting]);
      });
    });

    describe('subscriptions', () => {
      it('catch up on what is stored, then go live', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A'), event('B')]);
        const subscription = store.subscribeToAll({ fromPosition: origin });
        try {
          expect((await take(subscription, 2)).map((e) => e.type)).toEqual(['A', 'B']);
          const live = take(subscription, 2);
          await store.appendToStream(s, [event('C')]);
          await store.appendToStream(stream(), [event('D')]);
          expect((await live).map((e) => e.type)).toEqual(['C', 'D']);
        } finally {
          await subscription.close();
        }
      });

      it('deliver each event exactly as reads give it, recordedAt to the last digit included (the log tree hashes either)', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A', { n: 1 })]);
        await store.appendToStream(s, [event('B', { n: 2 })]);
        const subscription = store.subscribeToAll({ fromPosition: origin });
        try {
          const delivered = await take(subscription, 2);
          expect(delivered).toEqual(await store.readStream(s));
          expect(delivered).toEqual(await store.readAll({ fromPosition: delivered[0].position, maxCount: 2 }));
        } finally {
          await subscription.close();
        }
      });

      it('resume after a stored checkpoint, delivering only later events, in order', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A'), event('B'), event('C')]);
        const [, checkpoint] = await allEvents(store, origin);
        const subscription = store.subscribeToAll({ fromPosition: checkpoint.position });
        try {
          expect((await take(subscription, 1)).map((e) => e.type)).toEqual(['C']);
        } finally {
          await subscription.close();
        }
      });

      it('from end deliver only events appended afterwards', async () => {
        await store.appendToStream(stream(), [event('Old')]);
        const subscription = store.subscribeToAll({ fromPosition: 'end' });
        try {
          const next = take(subscription, 1);
          await new Promise((resolve) => setTimeout(resolve, 50));
          await store.appendToStream(stream(), [event('New')]);
          expect((await next).map((e) => e.type)).toEqual(['New']);
        } finally {
          await subscription.close();
        }
      });

      it('deliver only what the filter selects', async () => {
        const [raised, taken] = [typeName('MotionRaised'), typeName('DecisionTaken')];
        const subscription = store.subscribeToAll({ fromPosition: origin, filter: { eventTypes: [taken] } });
        try {
          await store.appendToStream(stream(), [event(raised), event(taken, { n: 1 })]);
          await store.appendToStream(stream(), [event(raised), event(taken, { n: 2 })]);
          expect((await take(subscription, 2)).map((e) => e.data.n)).toEqual([1, 2]);
        } finally {
          await subscription.close();
        }
      });

      it('end their iteration when closed', async () => {
        const subscription = store.subscribeToAll({ fromPosition: 'end' });
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await subscription.close();
        expect((await pending).done).toBe(true);
      });
    });

    describe('bad input gets a clear error and writes nothing', () => {
      it('an empty event list', async () => {
        const s = stream();
        await expect(store.appendToStream(s, [])).rejects.toThrow(new InvalidAppendError('An append needs at least one event'));
        expect(await store.readStream(s)).toEqual([]);
      });

      it.each([
        ['an array', []],
        ['null', null],
        ['a string', 'motion'],
        ['a Date', new Date()],
        ['an object holding undefined', { title: undefined }],
        ['an object holding NaN', { amount: Number.NaN }],
        ['an object holding a bigint', { amount: 1n }],
        ['an object holding a function', { f: () => 1 }],
      ])('data that is %s', async (_, data) => {
        const s = stream();
        const error = await store
          .appendToStream(s, [event('A'), { ...event('B'), data: data as unknown as NewEvent['data'] }])
          .catch((e) => e);
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect(error.message).toMatch(/event 1 \(B\) data/);
        expect(await store.readStream(s)).toEqual([]);
      });

      it.each(['', 'has space', '$system', 'ö-stream', 'a'.repeat(201), 'x/y'])('the stream name %j', async (name) => {
        await expect(store.appendToStream(name, [event('A')])).rejects.toThrow(/Invalid stream name/);
      });

      it.each([['latest'], [-1n], [3], [null]])('the expected revision %p', async (expectedRevision) => {
        const s = stream();
        await expect(
          store.appendToStream(s, [event('A')], { expectedRevision: expectedRevision as never }),
        ).rejects.toThrow(/Unknown expected revision/);
        expect(await store.readStream(s)).toEqual([]);
      });

      it('a payload over the documented size limit', async () => {
        const s = stream();
        const error = await store.appendToStream(s, [event('A', { body: 'x'.repeat(MAX_APPEND_BYTES) })]).catch((e) => e);
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect(error.message).toMatch(/limit is 1048576 bytes/);
        expect(await store.readStream(s)).toEqual([]);
      });

      it('metadata without a business time, and ids that are not UUIDs', async () => {
        const s = stream();
        await expect(
          store.appendToStream(s, [{ type: 'A', data: {}, metadata: { occurredAt: '14 juni 2018' } }]),
        ).rejects.toThrow(/occurredAt must be an ISO 8601 date-time with offset/);
        await expect(store.appendToStream(s, [event('A', {}, 'not-a-uuid')])).rejects.toThrow(/is not a UUID/);
        expect(await store.readStream(s)).toEqual([]);
      });

      it('read options out of range', async () => {
        await expect(store.readAll({ maxCount: 0 })).rejects.toThrow(InvalidReadError);
        await expect(store.readAll({ filter: { eventTypes: [] } })).rejects.toThrow(InvalidReadError);
        expect(() => store.subscribeToAll({ fromPosition: -1n })).toThrow(InvalidReadError);
      });
    });

    describe('when the engine cannot carry out a write for a while (its storage refuses, its server is away)', () => {
      it('an append fails with the retryable EventStoreUnavailableError and leaves nothing; once back, the same append succeeds and the subscription delivers it once, after what it had delivered', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A')]);
        const subscription = store.subscribeToAll({ fromPosition: origin });
        try {
          expect((await take(subscription, 1)).map((e) => e.type)).toEqual(['A']);
          const restore = await subject.interrupt();
          const again = [event('B', { n: 1 }, randomUUID())];
          try {
            const refused = await store.appendToStream(s, again, { expectedRevision: 0n }).then(() => 'appended', (error: unknown) => error);
            expect(refused).toBeInstanceOf(EventStoreUnavailableError);
            expect(refused).toMatchObject({ retryable: true });
            const multi = await store.appendToStreams([{ stream: stream(), events: [event('C')] }, { stream: s, events: [event('D')], expectedRevision: 0n }]).then(() => 'appended', (error: unknown) => error);
            expect(multi).toBeInstanceOf(EventStoreUnavailableError);
            // Reads answer as before (embedded) or are refused the same way (a server away), never half.
            const read = await store.readStream(s).then((events) => events.map((e) => e.type), (error: unknown) => error);
            if (Array.isArray(read)) expect(read).toEqual(['A']);
            else expect(read).toBeInstanceOf(EventStoreUnavailableError);
          } finally {
            await restore();
          }
          expect((await allEvents(store, origin)).map((e) => e.type)).toEqual(['A']);
          await store.appendToStream(s, again, { expectedRevision: 0n });
          expect((await take(subscription, 1)).map((e) => e.type)).toEqual(['B']);
          const everything = await allEvents(store, 'start');
          expect(everything.filter((e) => e.stream === s).map((e) => e.type)).toEqual(['A', 'B']);
          const tree = await subject.logTree();
          expect(tree.size).toBe(everything.length);
          expect(tree.root()).toEqual(rootOf(everything.map(eventLeafHash)));
        } finally {
          await subscription.close();
        }
      });
    });

    describe('the log tree (RFC 9162)', () => {
      it('has every event as a leaf, in log order: its root is the root of the canonical leaves of the events read back', async () => {
        const s = stream();
        await store.appendToStream(s, [event('MeetingScheduled', { title: 'Styrelsemöte', at: '2018-06-14' }), event('AgendaItemAdded', { n: 1 })]);
        await store.appendToStreams([
          { stream: stream(), events: [event('DecisionTaken', { paragraph: 34, clauses: ['att godkänna', 'att notera'], amount: -1.5e3 })] },
          { stream: s, events: [event('MeetingClosed', { nested: { ö: true, a: null } })] },
        ]);
        const everything = await allEvents(store, 'start');
        const tree = await subject.logTree();
        expect(tree.size).toBe(everything.length);
        expect(tree.root()).toEqual(rootOf(everything.map(eventLeafHash)));
        expect(tree.leafHash(tree.size - 1)).toEqual(eventLeafHash(everything[everything.length - 1]));
      });

      it('finds an event\'s leaf by its id, and proves its inclusion and the consistency of older trees with newer', async () => {
        const s = stream();
        await store.appendToStream(s, [event('A', { n: 1 })]);
        const [first] = await store.readStream(s);
        await store.appendToStream(s, [event('B', { n: 2 }), event('C', { n: 3 })]);
        const tree = await subject.logTree();
        const leaf = tree.leafIndexOf(first.id)!;
        expect(leaf).toBeGreaterThanOrEqual(0);
        expect(tree.leafHash(leaf)).toEqual(eventLeafHash(first));
        for (const size of [leaf + 1, tree.size]) verifyInclusion(leaf, size, eventLeafHash(first), tree.inclusionProof(leaf, size), tree.root(size));
        verifyConsistency(leaf + 1, tree.size, tree.root(leaf + 1), tree.root(), tree.consistencyProof(leaf + 1, tree.size));
        expect(tree.leafIndexOf(randomUUID())).toBeUndefined();
        expect(() => tree.root(tree.size + 1)).toThrow(RangeError);
      });

      it('gets no leaf from an append that fails: a stale revision, a repeated id elsewhere, a multi-stream append with a stale part', async () => {
        const s = stream();
        const id = randomUUID();
        await store.appendToStream(s, [event('A', {}, id)]);
        await store.appendToStream(s, [event('B')], { expectedRevision: 5n }).catch(() => undefined);
        if (capabilities.deterministicIdempotency) await store.appendToStream(stream(), [event('A', {}, id)]).catch(() => undefined);
        if (capabilities.atomicMultiStreamAppend) {
          await store.appendToStreams([{ stream: stream(), events: [event('C')] }, { stream: s, events: [event('D')], expectedRevision: 'no_stream' }]).catch(() => undefined);
        }
        await store.appendToStream(s, [event('E')]);
        const everything = await allEvents(store, 'start');
        const tree = await subject.logTree();
        expect(tree.size).toBe(everything.length);
        expect(tree.root()).toEqual(rootOf(everything.map(eventLeafHash)));
      });
    });

    it('declares the capabilities the suite was told to expect', () => {
      expect(store.capabilities).toEqual(capabilities);
      expect(Boolean(subject.registerInlineProjection && subject.database)).toBe(capabilities.inlineProjections);
    });

    if (capabilities.deterministicIdempotency) {
      it('idempotency is deterministic: a repeat returns its first result even after later appends; the same ids elsewhere are refused', async () => {
        const s = stream();
        const events = [event('A', {}, randomUUID())];
        const first = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        await store.appendToStream(s, [event('B')]);
        expect(await store.appendToStream(s, events, { expectedRevision: 'no_stream' })).toEqual(first);
        await expect(store.appendToStream(stream(), events)).rejects.toThrow(DuplicateEventError);
        await expect(store.appendToStream(s, [...events, event('C')], { expectedRevision: 'no_stream' })).rejects.toThrow(
          DuplicateEventError,
        );
        expect(await allEvents(store, origin)).toHaveLength(2);
      });
    }
  });

  if (!capabilities.inlineProjections) return;

  describe(`EventStore contract, embedded guarantees: ${adapter}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await open();
    });
    afterEach(async () => {
      await subject.store.close();
    });

    const embedded = (name: string, body: (s: Required<ContractSubject>) => Promise<void>) =>
      it(name, () => body(subject as Required<ContractSubject>));

    embedded('append-only: the database refuses UPDATE and DELETE of a stored event', async ({ store, database }) => {
      const s = `contract-${randomUUID()}`;
      await store.appendToStream(s, [event('A', { amount: 100 })]);
      expect(() => database.prepare("UPDATE events SET data = '{\"amount\":1}'").run()).toThrow(/append-only/);
      expect(() => database.prepare('DELETE FROM events').run()).toThrow(/append-only/);
      expect((await store.readStream(s))[0].data).toEqual({ amount: 100 });
    });

    embedded('the tree advances inside the append\'s transaction: an acknowledged append is in it, a rolled-back one (failing projection) is not', async ({ store, registerInlineProjection, logTree }) => {
      registerInlineProjection(countingProjection());
      const tree = await logTree();
      const before = tree.size;
      const s = `contract-${randomUUID()}`;
      const appended = await store.appendToStream(s, [event('A'), event('B')]);
      expect(tree.size).toBe(before + 2);
      expect(tree.leafIndexOf((await store.readStream(s))[1].id)).toBe(Number(appended.position) - 1);
      await expect(store.appendToStream(s, [event('C'), event('Poison')])).rejects.toThrow(ProjectionFailedError);
      const outcomes = await Promise.allSettled([store.appendToStream(s, [event('D')]), store.appendToStream(`contract-${randomUUID()}`, [event('Poison')])]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
      const everything = await allEvents(store, 'start');
      expect(tree.size).toBe(everything.length);
      expect(tree.root()).toEqual(rootOf(everything.map(eventLeafHash)));
    });

    embedded('an inline projection is rolled back with its failed append', async ({ store, database, registerInlineProjection }) => {
      registerInlineProjection(countingProjection());
      const s = `contract-${randomUUID()}`;
      await expect(store.appendToStream(s, [event('A'), event('Poison')])).rejects.toThrow(ProjectionFailedError);
      expect(await store.readStream(s)).toEqual([]);
      expect(database.prepare('SELECT count(*) AS n FROM contract_counts').get()).toEqual({ n: 0 });
      await store.appendToStream(s, [event('A')]);
      expect(database.prepare('SELECT type FROM contract_counts').all()).toEqual([{ type: 'A' }]);
    });

    embedded('an inline projection sees each event as a read returns it, its data text included', async ({ store, registerInlineProjection }) => {
      const seen: Array<{ json: string; data: unknown }> = [];
      registerInlineProjection({ name: 'contract-seen', apply: (_db, recorded) => void seen.push({ json: eventDataJson(recorded), data: recorded.data }) });
      const data = { title: 'Åsa Öberg justerar § 24', amount: 200_000 };
      const streams = [`contract-${randomUUID()}`, `contract-${randomUUID()}`];
      await store.appendToStreams([
        { stream: streams[0], events: [event('A', data)] },
        { stream: streams[1], events: [event('B', data)] },
      ]);
      const read = await Promise.all(streams.map(async (s) => (await store.readStream(s))[0]));
      expect(seen).toEqual(read.map((recorded) => ({ json: eventDataJson(recorded), data })));
      for (const { json } of seen) expect(json).toBe(JSON.stringify(JSON.parse(json)));
    });

    embedded('an append to several streams is one transaction with its projections: a failing projection in any part rolls back every part', async ({ store, database, registerInlineProjection }) => {
      registerInlineProjection(countingProjection());
      const [first, second] = [`contract-${randomUUID()}`, `contract-${randomUUID()}`];
      await expect(
        store.appendToStreams([
          { stream: first, events: [event('A')] },
          { stream: second, events: [event('Poison')] },
        ]),
      ).rejects.toThrow(ProjectionFailedError);
      expect(await store.readStream(first)).toEqual([]);
      expect(database.prepare('SELECT count(*) AS n FROM contract_counts').get()).toEqual({ n: 0 });
    });

    embedded('in one group commit, a failing append rolls back only itself and its projection rows', async ({ store, database, registerInlineProjection }) => {
      registerInlineProjection(countingProjection());
      const [good, conflicting, poisoned] = [0, 1, 2].map(() => `contract-${randomUUID()}`);
      await store.appendToStream(conflicting, [event('First')]);
      const beside = `contract-${randomUUID()}`;
      const outcomes = await Promise.allSettled([
        store.appendToStream(good, [event('Good')]),
        store.appendToStream(conflicting, [event('Stale')], { expectedRevision: 'no_stream' }),
        store.appendToStream(poisoned, [event('Poison')]),
        // An append to several streams, one part stale: neither part is written.
        store.appendToStreams([
          { stream: beside, events: [event('Beside')] },
          { stream: conflicting, events: [event('StaleToo')], expectedRevision: 'no_stream' },
        ]),
        store.appendToStream(good, [event('Good2')], { expectedRevision: 0n }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      expect(await store.readStream(beside)).toEqual([]);
      expect(database.prepare('SELECT type FROM contract_counts ORDER BY position').all()).toEqual([
        { type: 'First' },
        { type: 'Good' },
        { type: 'Good2' },
      ]);
    });
  });
}

/** Counts events in a table; refuses the event type `Poison` so that an append can fail inside it. */
function countingProjection(): InlineProjection {
  return {
    name: 'contract-counts',
    setup: (db) => db.exec('CREATE TABLE IF NOT EXISTS contract_counts (position INTEGER PRIMARY KEY, type TEXT NOT NULL)'),
    apply: (db, recorded) => {
      if (recorded.type === 'Poison') throw new Error('poisoned event');
      db.prepare('INSERT INTO contract_counts (position, type) VALUES (?, ?)').run(recorded.position, recorded.type);
    },
  };
}
