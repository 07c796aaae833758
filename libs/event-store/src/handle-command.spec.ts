import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deciderSpec } from '@kansli/testing';
import type { Decider } from './decider';
import type { AppendOptions, NewEvent } from './event';
import { ConcurrencyError } from './event-store.errors';
import { FoldCache, foldStream, handleCommand } from './handle-command';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

// A toy aggregate: a numbered register that refuses numbers out of order.
type Numbered = { type: 'Numbered'; data: { number: number } };
type Take = { number: number };
class OutOfOrder extends Error {
  readonly code = 'OUT_OF_ORDER';
}
const register: Decider<Take, Numbered, { next: number }> = {
  initialState: () => ({ next: 1 }),
  evolve: (_state, event) => ({ next: event.data.number + 1 }),
  decide: (command, state) => {
    if (command.number < state.next) return [];
    if (command.number !== state.next) throw new OutOfOrder(`expected ${state.next}, got ${command.number}`);
    return [{ type: 'Numbered', data: { number: command.number } }];
  },
};
const context = { occurredAt: '2018-06-14T09:00:00+02:00', actor: 'sekreterare', correlationId: 'request-1', commandId: 'command-1' };

describe('handleCommand', () => {
  let directory: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'kansli-handle-'));
    store = new SqliteEventStore({ filename: join(directory, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads, folds, decides and appends with the revision it read, stamping the command context as metadata', async () => {
    await handleCommand(store, 'register-1', register, { number: 1 }, context);
    const result = await handleCommand(store, 'register-1', register, { number: 2 }, context);
    expect(result.events).toEqual([{ type: 'Numbered', data: { number: 2 } }]);
    expect(result.state).toEqual({ next: 3 });
    expect(result.appended?.nextExpectedRevision).toBe(1n);
    const [, second] = await store.readStream('register-1');
    expect(second.metadata).toEqual({
      occurredAt: context.occurredAt,
      actor: 'sekreterare',
      correlationId: 'request-1',
      causationId: 'command-1',
    });
  });

  it('writes nothing when the decider refuses', async () => {
    await expect(handleCommand(store, 'register-1', register, { number: 5 }, context)).rejects.toThrow(OutOfOrder);
    expect(await store.readStream('register-1')).toEqual([]);
  });

  it('appends nothing when the decision is empty', async () => {
    await handleCommand(store, 'register-1', register, { number: 1 }, context);
    const result = await handleCommand(store, 'register-1', register, { number: 1 }, context);
    expect(result).toEqual({ events: [], state: { next: 2 } });
    expect(await store.readStream('register-1')).toHaveLength(1);
  });

  it('re-reads and decides again after a concurrent append, so two commands at once both land in order', async () => {
    const [a, b] = await Promise.all([
      handleCommand(store, 'register-1', register, { number: 1 }, context),
      handleCommand(store, 'register-1', register, { number: 1 }, context),
    ]);
    // The second sees the first's event on retry and has nothing left to do.
    expect([a.events.length, b.events.length].sort()).toEqual([0, 1]);
    expect((await store.readStream('register-1')).map((e) => e.data.number)).toEqual([1]);
  });

  it('gives up with the ConcurrencyError after maxRetries conflicts', async () => {
    let appends = 0;
    const contended = Object.assign(Object.create(store) as SqliteEventStore, {
      appendToStream: async (stream: string, events: readonly NewEvent[], options?: AppendOptions) => {
        appends += 1;
        await store.appendToStream('register-1', [{ type: 'Numbered', data: { number: appends }, metadata: { occurredAt: context.occurredAt } }]);
        return store.appendToStream(stream, events, options);
      },
      readStream: store.readStream.bind(store),
    });
    const takeNext: Decider<Record<string, never>, Numbered, { next: number }> = {
      ...register,
      decide: (_, state) => [{ type: 'Numbered', data: { number: state.next } }],
    };
    await expect(handleCommand(contended, 'register-1', takeNext, {}, context, { maxRetries: 2 })).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    expect(appends).toBe(3);
  });
});

describe('deciderSpec', () => {
  it('states a decider case as given, when, then', () => {
    deciderSpec(register).given([{ type: 'Numbered', data: { number: 1 } }]).when({ number: 2 }).then([{ type: 'Numbered', data: { number: 2 } }]);
    deciderSpec(register).given([]).when({ number: 3 }).thenThrows(OutOfOrder, { code: 'OUT_OF_ORDER' });
  });

  it('fails when the decider does something else', () => {
    expect(() => deciderSpec(register).given([]).when({ number: 1 }).then([])).toThrow();
    expect(() => deciderSpec(register).given([]).when({ number: 1 }).thenThrows(OutOfOrder)).toThrow();
  });
});

describe('FoldCache', () => {
  let directory: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'kansli-fold-'));
    store = new SqliteEventStore({ filename: join(directory, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('folds only what was appended since, including appends it did not see, and keeps up with its own', async () => {
    const cache = new FoldCache();
    await handleCommand(store, 'register-1', register, { number: 1 }, context, { cache });
    // Someone else appends behind the cache's back: the next fold still sees it.
    await store.appendToStream('register-1', [{ type: 'Numbered', data: { number: 2 }, metadata: { occurredAt: context.occurredAt } }]);
    const reads: Array<bigint | 'start' | 'end' | undefined> = [];
    const counting = Object.assign(Object.create(store) as SqliteEventStore, {
      readStream: (stream: string, options?: { from?: bigint | 'start' | 'end' }) => {
        reads.push(options?.from);
        return store.readStream(stream, options);
      },
    });
    expect((await foldStream(counting, 'register-1', register, cache)).state).toEqual({ next: 3 });
    expect(reads).toEqual([1n]);
    const result = await handleCommand(counting, 'register-1', register, { number: 3 }, context, { cache });
    expect(result.state).toEqual({ next: 4 });
    expect((await foldStream(counting, 'register-1', register, cache)).revision).toBe(2n);
    expect(reads).toEqual([1n, 2n, 3n]);
  });

  it("never decides on a stale cached state: another replica's append makes it conflict, and it decides again on a fresh fold", async () => {
    // Takes the next number, whatever it is: deciding on a stale state would hand out a number twice.
    const takeNext: Decider<object, Numbered, { next: number }> = { ...register, decide: (_command, state) => [{ type: 'Numbered', data: { number: state.next } }] };
    const here = new FoldCache();
    const elsewhere = new FoldCache();
    await handleCommand(store, 'register-1', takeNext, {}, context, { cache: here });
    await handleCommand(store, 'register-1', takeNext, {}, context, { cache: elsewhere });
    // This replica's first attempt decides on what it last saw, unread (§ 2 again), as the two-step handlers do.
    const stale = here.get<{ next: number }>('register-1', takeNext)!;
    expect(stale.state).toEqual({ next: 2 });
    const result = await handleCommand(store, 'register-1', takeNext, {}, context, { cache: here, folded: stale });
    expect(result.events).toEqual([{ type: 'Numbered', data: { number: 3 } }]);
    expect((await store.readStream('register-1')).map((event) => event.data.number)).toEqual([1, 2, 3]);
    expect(here.get('register-1', takeNext)).toEqual({ state: { next: 4 }, revision: 2n });
  });
});
