import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  binaryEvent,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { type EsdbFakeServer, startEsdbFakeServer } from './esdb-fake-server';

const event = (type: string, data: Record<string, unknown> = {}) => jsonEvent({ type, data });

async function toArray<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The error an append is rejected with (fails the test if it succeeds). */
async function appendError(
  client: EventStoreDBClient,
  stream: string,
  events: EventData | EventData[],
  expectedRevision: AppendExpectedRevision,
): Promise<unknown> {
  return client.appendToStream(stream, events, { expectedRevision }).then(
    () => {
      throw new Error('expected the append to be rejected');
    },
    (error: unknown) => error,
  );
}

interface Recorder {
  readonly events: ResolvedEvent[];
  readonly checkpoints: Position[];
  caughtUp: boolean;
  error: unknown;
  /** For a filter's checkpointReached option. */
  checkpointReached(subscription: unknown, position: Position): void;
  attach(subscription: NodeJS.EventEmitter): Recorder;
  until(what: string, condition: () => boolean): Promise<void>;
}

/** Records what a subscription emits and lets a test wait for a condition on it. */
function recorder(): Recorder {
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((check) => check());
  const recorded: Recorder = {
    events: [],
    checkpoints: [],
    caughtUp: false,
    error: undefined,
    checkpointReached: (_subscription, position) => {
      recorded.checkpoints.push(position);
      notify();
    },
    attach: (subscription) => {
      subscription.on('data', (resolved: ResolvedEvent) => {
        recorded.events.push(resolved);
        notify();
      });
      subscription.on('caughtUp', () => {
        recorded.caughtUp = true;
        notify();
      });
      subscription.on('error', (error: unknown) => {
        recorded.error = error;
        notify();
      });
      return recorded;
    },
    until: (what, condition) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!condition()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}`));
        }, 5_000);
        waiters.add(check);
        check();
      }),
  };
  return recorded;
}

const record = (subscription: NodeJS.EventEmitter) => recorder().attach(subscription);

const typesOf = (events: readonly ResolvedEvent[]) => events.map((resolved) => resolved.event?.type);
const revisionsOf = (events: readonly ResolvedEvent[]) => events.map((resolved) => resolved.event?.revision);
const commitOf = (resolved: ResolvedEvent): bigint => {
  const position = resolved.event?.position;
  if (!position) throw new Error(`event ${resolved.event?.id} has no position`);
  return position.commit;
};

let server: EsdbFakeServer;
let client: EventStoreDBClient;

async function connect(options: { batchAppend?: boolean } = {}): Promise<void> {
  server = await startEsdbFakeServer(options);
  client = EventStoreDBClient.connectionString(server.connectionString);
}

afterEach(async () => {
  await client.dispose();
  await server.close();
});

describe.each([true, false])('appendToStream (BatchAppend advertised: %s)', (batchAppend) => {
  beforeEach(() => connect({ batchAppend }));

  it('uses the append call the server advertises', async () => {
    await client.appendToStream('order-1', event('OrderPlaced'));

    expect(server.callCount('BatchAppend')).toBe(batchAppend ? 1 : 0);
    expect(server.callCount('Append')).toBe(batchAppend ? 0 : 1);
  });

  it('NO_STREAM creates the stream at revision 0 and is rejected once it exists', async () => {
    const result = await client.appendToStream('order-1', [event('A'), event('B')], { expectedRevision: NO_STREAM });
    expect(result).toMatchObject({ success: true, nextExpectedRevision: 1n });

    const error = await appendError(client, 'order-1', event('C'), NO_STREAM);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: 'order-1', expectedVersion: 'no_stream', actualVersion: 1n });
  });

  it('STREAM_EXISTS is rejected for a missing stream and accepted for an existing one', async () => {
    const error = await appendError(client, 'order-1', event('A'), STREAM_EXISTS);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: 'order-1', expectedVersion: 'stream_exists', actualVersion: 'no_stream' });

    await client.appendToStream('order-1', event('A'));
    const result = await client.appendToStream('order-1', event('B'), { expectedRevision: STREAM_EXISTS });
    expect(result.nextExpectedRevision).toBe(1n);
  });

  it('an exact revision must match the current revision', async () => {
    const missing = await appendError(client, 'order-1', event('A'), 3n);
    expect(missing).toBeInstanceOf(WrongExpectedVersionError);
    expect(missing).toMatchObject({ expectedVersion: 3n, actualVersion: 'no_stream' });

    await client.appendToStream('order-1', event('A'), { expectedRevision: NO_STREAM });
    const result = await client.appendToStream('order-1', event('B'), { expectedRevision: 0n });
    expect(result.nextExpectedRevision).toBe(1n);

    const stale = await appendError(client, 'order-1', event('C'), 0n);
    expect(stale).toBeInstanceOf(WrongExpectedVersionError);
    expect(stale).toMatchObject({ streamName: 'order-1', expectedVersion: 0n, actualVersion: 1n });
  });

  it('ANY always appends, at consecutive revisions', async () => {
    const first = await client.appendToStream('order-1', [event('A'), event('B')], { expectedRevision: ANY });
    const second = await client.appendToStream('order-1', event('C'));

    expect([first.nextExpectedRevision, second.nextExpectedRevision]).toEqual([1n, 2n]);
    expect(revisionsOf(await toArray(client.readStream('order-1')))).toEqual([0n, 1n, 2n]);
  });

  it('returns strictly increasing positions with commit === prepare', async () => {
    const first = await client.appendToStream('order-1', event('A'));
    const second = await client.appendToStream('order-2', [event('B'), event('C')]);

    if (!first.position || !second.position) throw new Error('appends must report a position');
    expect(first.position.commit).toBeGreaterThan(0n);
    expect(first.position.prepare).toBe(first.position.commit);
    expect(second.position.commit).toBeGreaterThan(first.position.commit);
    // The position returned is the one of the last event written.
    const all = await toArray(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
    expect(all[0].event?.position).toEqual(second.position);
  });

  it('writes nothing when an append is rejected (appends are atomic)', async () => {
    await client.appendToStream('order-1', event('A'));
    const before = await toArray(client.readAll());

    await appendError(client, 'order-1', [event('B'), event('C')], NO_STREAM);

    expect(revisionsOf(await toArray(client.readStream('order-1')))).toEqual([0n]);
    expect(await toArray(client.readAll())).toHaveLength(before.length);
  });

  it('re-appending the same event ids at the same place succeeds without writing again', async () => {
    const events = [event('A'), event('B')];
    const first = await client.appendToStream('order-1', events, { expectedRevision: NO_STREAM });
    const again = await client.appendToStream('order-1', events, { expectedRevision: NO_STREAM });
    expect(again).toEqual(first);

    const next = [event('C')];
    const third = await client.appendToStream('order-1', next, { expectedRevision: 1n });
    const thirdAgain = await client.appendToStream('order-1', next, { expectedRevision: 1n });
    expect(thirdAgain).toEqual(third);

    expect(revisionsOf(await toArray(client.readStream('order-1')))).toEqual([0n, 1n, 2n]);
    expect(typesOf(await toArray(client.readAll())).filter((type) => !type?.startsWith('$'))).toEqual(['A', 'B', 'C']);
  });

  it('stores data, metadata, id, type and creation time and returns them on read', async () => {
    const id = randomUUID();
    const before = Date.now();
    await client.appendToStream('order-1', [
      jsonEvent({ id, type: 'OrderPlaced', data: { total: 42 }, metadata: { correlationId: 'c-1' } }),
      binaryEvent({ type: 'Blob', data: Uint8Array.from([1, 2, 3]) }),
    ]);

    const [json, binary] = await toArray(client.readStream('order-1'));
    expect(json.event).toMatchObject({
      streamId: 'order-1',
      id,
      revision: 0n,
      type: 'OrderPlaced',
      isJson: true,
      data: { total: 42 },
      metadata: { correlationId: 'c-1' },
    });
    expect(json.event?.created.getTime()).toBeGreaterThanOrEqual(before);
    expect(json.event?.created.getTime()).toBeLessThanOrEqual(Date.now());
    expect(binary.event).toMatchObject({ type: 'Blob', isJson: false, metadata: undefined });
    expect(Array.from(binary.event?.data as Uint8Array)).toEqual([1, 2, 3]);
  });
});

describe('readStream', () => {
  beforeEach(async () => {
    await connect();
    await client.appendToStream('order-1', ['E0', 'E1', 'E2', 'E3', 'E4'].map((type) => event(type)));
    await client.appendToStream('order-2', event('Other'));
  });

  it('reads forwards from the start, from a revision, and up to maxCount', async () => {
    expect(typesOf(await toArray(client.readStream('order-1')))).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
    const page = await toArray(client.readStream('order-1', { fromRevision: 2n, maxCount: 2 }));
    expect(revisionsOf(page)).toEqual([2n, 3n]);
    expect(await toArray(client.readStream('order-1', { fromRevision: END }))).toEqual([]);
  });

  it('reads backwards from the end or from a revision (included)', async () => {
    const fromEnd = await toArray(client.readStream('order-1', { direction: BACKWARDS, fromRevision: END }));
    expect(revisionsOf(fromEnd)).toEqual([4n, 3n, 2n, 1n, 0n]);
    const page = await toArray(client.readStream('order-1', { direction: BACKWARDS, fromRevision: 3n, maxCount: 2 }));
    expect(revisionsOf(page)).toEqual([3n, 2n]);
  });

  it('rejects a missing stream with StreamNotFoundError', async () => {
    const error = await toArray(client.readStream('nope')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect(error).toMatchObject({ streamName: 'nope' });
  });
});

describe('readAll', () => {
  beforeEach(async () => {
    await connect();
    await client.appendToStream('order-1', [event('A'), event('B')]);
    await client.appendToStream('order-2', [event('C'), event('D')]);
  });

  it('reads the global log forwards, starting with the system event, positions strictly increasing', async () => {
    const all = await toArray(client.readAll({ direction: FORWARDS, fromPosition: START }));

    expect(all.map((resolved) => `${resolved.event?.streamId}/${resolved.event?.type}`)).toEqual([
      '$settings/$settings',
      'order-1/A',
      'order-1/B',
      'order-2/C',
      'order-2/D',
    ]);
    const positions = all.map(commitOf);
    expect(positions[0]).toBeGreaterThan(0n);
    positions.slice(1).forEach((position, i) => expect(position).toBeGreaterThan(positions[i]));
    all.forEach((resolved) => expect(resolved.event?.position?.prepare).toBe(resolved.event?.position?.commit));
  });

  it('reads backwards in exactly the reverse order', async () => {
    const forwards = await toArray(client.readAll());
    const backwards = await toArray(client.readAll({ direction: BACKWARDS, fromPosition: END }));
    expect(backwards.map(commitOf)).toEqual(forwards.map(commitOf).reverse());
  });

  it('reads from a position: included forwards, excluded backwards; maxCount limits', async () => {
    const all = await toArray(client.readAll());
    const fromPosition = all[2].event?.position;
    if (!fromPosition) throw new Error('missing position');

    const forwards = await toArray(client.readAll({ fromPosition, maxCount: 2 }));
    expect(forwards.map(commitOf)).toEqual([commitOf(all[2]), commitOf(all[3])]);
    const backwards = await toArray(client.readAll({ fromPosition, direction: BACKWARDS }));
    expect(backwards.map(commitOf)).toEqual([commitOf(all[1]), commitOf(all[0])]);
  });
});

describe('subscribeToAll', () => {
  beforeEach(() => connect());

  it('sends catch-up events, then caughtUp, then live events in log order', async () => {
    await client.appendToStream('order-1', [event('A'), event('B')]);
    const sub = record(client.subscribeToAll({ fromPosition: START }));
    await sub.until('catch-up', () => sub.caughtUp && sub.events.length === 3);
    expect(typesOf(sub.events)).toEqual(['$settings', 'A', 'B']);

    await client.appendToStream('order-2', event('C'));
    await client.appendToStream('order-1', event('D'));
    await sub.until('live events', () => sub.events.length === 5);

    expect(typesOf(sub.events)).toEqual(['$settings', 'A', 'B', 'C', 'D']);
    const positions = sub.events.map(commitOf);
    positions.slice(1).forEach((position, i) => expect(position).toBeGreaterThan(positions[i]));
    expect(sub.events.every((resolved) => resolved.commitPosition === commitOf(resolved))).toBe(true);
  });

  it('resumes after a given position (exclusive)', async () => {
    await client.appendToStream('order-1', [event('A'), event('B'), event('C')]);
    const [, a] = await toArray(client.readAll());
    if (!a.event?.position) throw new Error('missing position');

    const sub = record(client.subscribeToAll({ fromPosition: a.event.position }));
    await sub.until('catch-up', () => sub.caughtUp && sub.events.length === 2);
    expect(typesOf(sub.events)).toEqual(['B', 'C']);
  });

  it('from END delivers only events written after subscribing', async () => {
    await client.appendToStream('order-1', event('Old'));
    const sub = record(client.subscribeToAll({ fromPosition: END }));
    await sub.until('caughtUp', () => sub.caughtUp);

    await client.appendToStream('order-1', event('New'));
    await sub.until('live event', () => sub.events.length === 1);
    expect(typesOf(sub.events)).toEqual(['New']);
  });

  it.each([
    ['event type prefixes', eventTypeFilter({ prefixes: ['Invoice'] }), ['InvoiceSent', 'InvoicePaid']],
    ['event type regex', eventTypeFilter({ regex: '^Order(Placed|Shipped)$' }), ['OrderPlaced', 'OrderShipped']],
    ['stream name prefixes', streamNameFilter({ prefixes: ['invoice-'] }), ['InvoiceSent', 'InvoicePaid']],
    ['stream name regex', streamNameFilter({ regex: '^order-\\d+$' }), ['OrderPlaced', 'OrderNoted', 'OrderShipped']],
  ])('filters server-side by %s', async (_name, filter, expectedTypes) => {
    await client.appendToStream('order-1', [event('OrderPlaced'), event('OrderNoted')]);
    await client.appendToStream('invoice-1', event('InvoiceSent'));
    const sub = record(client.subscribeToAll({ fromPosition: START, filter }));
    await sub.until('caughtUp', () => sub.caughtUp);

    await client.appendToStream('invoice-1', event('InvoicePaid'));
    await client.appendToStream('order-1', event('OrderShipped'));
    await sub.until('live events', () => sub.events.length === expectedTypes.length);
    expect(typesOf(sub.events)).toEqual(expectedTypes);
  });

  it('reports checkpoints every checkpointInterval × maxSearchWindow scanned events, and when going live', async () => {
    // $all: [$settings, M1, O2, O3, M4] before subscribing, [O5, M6] after. Interval = 1 × 2.
    await client.appendToStream('s-1', [event('M1'), event('O2'), event('O3'), event('M4')]);
    const sub = recorder();
    const filter = eventTypeFilter({
      prefixes: ['M'],
      maxSearchWindow: 2,
      checkpointInterval: 1,
      checkpointReached: sub.checkpointReached,
    });
    sub.attach(client.subscribeToAll({ fromPosition: START, filter }));
    await sub.until('caughtUp', () => sub.caughtUp && sub.checkpoints.length === 3);
    await client.appendToStream('s-1', [event('O5'), event('M6')]);
    await sub.until('live checkpoint', () => sub.checkpoints.length === 4);

    const all = await toArray(client.readAll());
    const at = (type: string) => commitOf(all.find((resolved) => resolved.event?.type === type) as ResolvedEvent);
    expect(typesOf(sub.events)).toEqual(['M1', 'M4', 'M6']);
    // Catch-up: after $settings+M1, after O2+O3, at the end of catch-up (M4); live: after O5+M6.
    expect(sub.checkpoints).toEqual(['M1', 'O3', 'M4', 'M6'].map((type) => ({ commit: at(type), prepare: at(type) })));
  });

  it('excludeSystemEvents() hides the system event that an unfiltered subscription shows', async () => {
    await client.appendToStream('order-1', event('OrderPlaced'));
    const unfiltered = record(client.subscribeToAll({ fromPosition: START }));
    const filtered = record(client.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() }));
    await unfiltered.until('catch-up', () => unfiltered.caughtUp && unfiltered.events.length === 2);
    await filtered.until('catch-up', () => filtered.caughtUp && filtered.events.length === 1);

    expect(typesOf(unfiltered.events)).toEqual(['$settings', 'OrderPlaced']);
    expect(typesOf(filtered.events)).toEqual(['OrderPlaced']);
  });

  it('after dropSubscriptions() the subscription errors as unavailable, and a new one can resume', async () => {
    await client.appendToStream('order-1', event('A'));
    const sub = record(client.subscribeToAll({ fromPosition: START }));
    await sub.until('catch-up', () => sub.caughtUp && sub.events.length === 2);

    server.dropSubscriptions();
    await sub.until('error', () => sub.error !== undefined);
    expect(sub.error).toBeInstanceOf(UnavailableError);

    const last = sub.events[sub.events.length - 1].event?.position;
    await client.appendToStream('order-1', event('B'));
    const resumed = record(client.subscribeToAll({ fromPosition: last }));
    await resumed.until('resumed events', () => resumed.events.length === 1);
    expect(typesOf(resumed.events)).toEqual(['B']);
  });
});

describe('subscribeToStream', () => {
  beforeEach(() => connect());

  it('catches up on one stream, then goes live; fromRevision is exclusive', async () => {
    await client.appendToStream('order-1', [event('A'), event('B')]);
    await client.appendToStream('order-2', event('Other'));

    const fromStart = record(client.subscribeToStream('order-1', { fromRevision: START }));
    const afterFirst = record(client.subscribeToStream('order-1', { fromRevision: 0n }));
    await fromStart.until('catch-up', () => fromStart.caughtUp && fromStart.events.length === 2);
    await afterFirst.until('catch-up', () => afterFirst.caughtUp && afterFirst.events.length === 1);

    await client.appendToStream('order-2', event('Other'));
    await client.appendToStream('order-1', event('C'));
    await fromStart.until('live event', () => fromStart.events.length === 3);
    await afterFirst.until('live event', () => afterFirst.events.length === 2);

    expect(typesOf(fromStart.events)).toEqual(['A', 'B', 'C']);
    expect(revisionsOf(fromStart.events)).toEqual([0n, 1n, 2n]);
    expect(typesOf(afterFirst.events)).toEqual(['B', 'C']);
  });
});
