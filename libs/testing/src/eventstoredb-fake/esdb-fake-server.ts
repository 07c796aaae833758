/**
 * EsdbFakeServer — a protocol FAKE of EventStoreDB for tests. It is NOT EventStoreDB.
 *
 * It speaks the EventStoreDB gRPC protocol well enough for the official Node client
 * (@eventstore/db-client 6.2.1) to run against it in CI, where no real EventStoreDB/KurrentDB
 * can be installed. Everything lives in memory, in one process, and is lost on close(), unless a journal
 * file is given: then every append is written to it first, and a fake started on it again has the same log.
 * `npm run esdb-fake` runs it as a process of its own (esdb-fake-main.ts).
 *
 * It implements only the calls the client makes for the features we use:
 *   - ServerFeatures.GetSupportedMethods — reports version 24.10.0 and the methods below; the client
 *     uses BatchAppend for appendToStream only when it is advertised (option `batchAppend`).
 *   - Streams.Append      — appendToStream without BatchAppend (client streaming).
 *   - Streams.BatchAppend — appendToStream with BatchAppend (bidirectional streaming).
 *   - Streams.Read        — readStream, readAll (forwards/backwards, from start/end/revision/position,
 *     maxCount), subscribeToStream and subscribeToAll (catch-up, then live), $all subscriptions with
 *     server-side event-type/stream-name filters (prefixes or regex) and checkpoints.
 * Not implemented: deleting/tombstoning streams, stream metadata ($maxCount, ACLs, ...), link events
 * and resolveLinkTos, filtered reads, persistent subscriptions, projections, users, operations,
 * gossip/cluster, authentication and TLS, size limits, deadlines.
 *
 * Semantics follow the EventStoreDB documentation (and server source where the docs are silent):
 *   - Expected revision any / no_stream / stream_exists / exact revision; a mismatch answers
 *     WrongExpectedVersion with the stream's current revision (or no stream). Appends are atomic.
 *   - Stream revisions start at 0. Every event gets its own strictly increasing position in the global
 *     log ($all), commit === prepare, starting above 0 and growing by an approximate record size.
 *   - Idempotency (best effort, as in EventStoreDB; simple case only): re-sending events whose ids
 *     already sit at the expected place succeeds, returns the existing revision/position, writes nothing.
 *   - Reading $all forwards from a position includes the event at that position; backwards it starts
 *     before it. Subscriptions start after the given revision/position (exclusive); END = new events only.
 *   - Subscriptions send a confirmation, then catch-up events, then `caughtUp`, then live events.
 *     Filtered $all subscriptions send a checkpoint every checkpointInterval × maxSearchWindow
 *     (default 32) scanned events, and one when going live. Filter regexes are JavaScript RegExps.
 *   - Stream reads and stream subscriptions carry no commit position on the ReadEvent; $all ones do.
 *   - A fresh fake holds one system event (type `$settings` in stream `$settings`), so that
 *     excludeSystemEvents() is observable.
 */
import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService, type IServerFeaturesServer } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { StreamsService, type IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import { appendHandler, batchAppendHandler } from './append-handlers';
import { EventLog } from './event-log';
import { rpcError } from './proto';
import { readHandler, type Subscription } from './read-handler';

export interface EsdbFakeServer {
  readonly port: number;
  /** e.g. 'esdb://127.0.0.1:PORT?tls=false' */
  readonly connectionString: string;
  close(): Promise<void>;
  /** Abort every open streaming call (subscriptions) with UNAVAILABLE, to test client reconnection. */
  dropSubscriptions(): void;
  /** How many times a Streams method was called ('Read', 'Append', 'BatchAppend'); for tests of the fake. */
  callCount(method: StreamsMethod): number;
}

export type StreamsMethod = 'Read' | 'Append' | 'BatchAppend';

export interface EsdbFakeServerOptions {
  /** Port to listen on (127.0.0.1). Default 0: any free port. */
  port?: number;
  /** Advertise and implement Streams.BatchAppend, which the client then prefers. Default true, as on 24.10. */
  batchAppend?: boolean;
  /** A file the log is kept in (JSON lines), read back when the fake starts on it again. Default: memory only. */
  journal?: string;
}

const SERVER_VERSION = '24.10.0';
const STREAMS_SERVICE = 'event_store.client.streams.streams';

export async function startEsdbFakeServer(options: EsdbFakeServerOptions = {}): Promise<EsdbFakeServer> {
  const batchAppend = options.batchAppend ?? true;
  const log = new EventLog(options.journal);
  if (log.all.length === 0) writeSystemSettings(log);

  const subscriptions = new Set<Subscription>();
  const calls: Record<StreamsMethod, number> = { Read: 0, Append: 0, BatchAppend: 0 };
  const counted = <H extends (...args: never[]) => void>(method: StreamsMethod, handler: H): H =>
    ((...args: Parameters<H>) => {
      calls[method] += 1;
      handler(...args);
    }) as H;
  const unimplemented = (method: string) => (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback(rpcError(grpc.status.UNIMPLEMENTED, `Streams.${method} is not implemented by EsdbFakeServer`));

  const streams: IStreamsServer = {
    read: counted('Read', readHandler(log, subscriptions)),
    append: counted('Append', appendHandler(log)),
    batchAppend: batchAppend
      ? counted('BatchAppend', batchAppendHandler(log))
      : (call) => call.emit('error', rpcError(grpc.status.UNIMPLEMENTED, 'BatchAppend is not advertised')),
    delete: unimplemented('Delete'),
    tombstone: unimplemented('Tombstone'),
  };
  const features: IServerFeaturesServer = {
    getSupportedMethods: (_call, callback) => callback(null, supportedMethods(batchAppend)),
  };

  const server = new grpc.Server();
  server.addService(StreamsService, streams);
  server.addService(ServerFeaturesService, features);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  const dropAll = (details: string) => {
    for (const subscription of subscriptions) subscription.drop(rpcError(grpc.status.UNAVAILABLE, details));
    subscriptions.clear();
  };

  return {
    port,
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    dropSubscriptions: () => dropAll('Subscription dropped by EsdbFakeServer.dropSubscriptions()'),
    callCount: (method) => calls[method],
    close: async () => {
      dropAll('EsdbFakeServer is shutting down');
      server.forceShutdown();
    },
  };
}

function supportedMethods(batchAppend: boolean): SupportedMethods {
  // Names are lower-cased, as EventStoreDB reports them; the client lower-cases before comparing.
  const method = (name: string, ...features: string[]) =>
    new SupportedMethod().setServiceName(STREAMS_SERVICE).setMethodName(name).setFeaturesList(features);
  const methods = [method('read', 'position', 'events'), method('append')];
  if (batchAppend) methods.push(method('batchappend', 'deadline_duration'));
  return new SupportedMethods().setEventStoreServerVersion(SERVER_VERSION).setMethodsList(methods);
}

/** A system event, so that a fresh fake, like a fresh EventStoreDB, has something for excludeSystemEvents() to hide. */
function writeSystemSettings(log: EventLog): void {
  const settings = { $userStreamAcl: { $r: '$all', $w: '$all' }, $systemStreamAcl: { $r: '$admins', $w: '$admins' } };
  log.append('$settings', 'no_stream', [
    {
      id: '00000000-0000-4000-8000-000000000000',
      type: '$settings',
      isJson: true,
      data: Buffer.from(JSON.stringify(settings)),
      customMetadata: new Uint8Array(),
    },
  ]);
}
