/**
 * Streams.Read of the fake: finite reads of a stream or of $all, and catch-up subscriptions to a
 * stream or to $all (optionally filtered server-side, with checkpoints).
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventLog, RecordedEvent } from './event-log';
import { eventResponse, type RpcError, rpcError, streamIdentifier, streamNameOf, toRpcError } from './proto';

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

/** EventStoreDB's page size, used as max search window when the client does not set one. */
const DEFAULT_MAX_SEARCH_WINDOW = 32;

export function readHandler(log: EventLog, subscriptions: Set<Subscription>): grpc.handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    try {
      const options = call.request.getOptions();
      if (!options) throw rpcError(grpc.status.INVALID_ARGUMENT, 'read options are required');
      const structuredIds = options.getUuidOption()?.hasStructured() ?? false;

      if (options.hasSubscription()) {
        const subscription = new Subscription(call, subscriptionScope(log, options), structuredIds);
        subscriptions.add(subscription);
        call.on('cancelled', () => subscriptions.delete(subscription));
        subscription.start(log);
        return;
      }

      if (options.hasFilter()) {
        throw rpcError(grpc.status.UNIMPLEMENTED, 'EsdbFakeServer implements server-side filters for $all subscriptions only');
      }
      if (!options.hasCount()) throw rpcError(grpc.status.INVALID_ARGUMENT, 'a read needs a count or a subscription');
      const responses = options.hasStream() ? readStream(log, options, structuredIds) : readAll(log, options, structuredIds);
      for (const response of responses) call.write(response);
      call.end();
    } catch (error) {
      call.emit('error', toRpcError(error));
    }
  };
}

function readStream(log: EventLog, options: ReadReq.Options, structuredIds: boolean): ReadResp[] {
  const streamOptions = options.getStream();
  const name = streamNameOf(streamOptions?.getStreamIdentifier());
  const events = log.stream(name);
  if (!streamOptions || !events) {
    // The client turns this message into a StreamNotFoundError.
    return [new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)))];
  }
  const count = toIndex(BigInt(options.getCount()), events.length);
  const revision = streamOptions.hasRevision() ? toIndex(BigInt(streamOptions.getRevision()), events.length) : undefined;

  let selected: readonly RecordedEvent[];
  if (isBackwards(options)) {
    // Backwards, the starting revision is included; START means revision 0, END the last event.
    const from = revision ?? (streamOptions.hasStart() ? 0 : events.length - 1);
    selected = events.slice(0, from + 1).reverse().slice(0, count);
  } else {
    const from = revision ?? (streamOptions.hasEnd() ? events.length : 0);
    selected = events.slice(from, from + count);
  }
  return selected.map((event) => eventResponse(event, false, structuredIds));
}

function readAll(log: EventLog, options: ReadReq.Options, structuredIds: boolean): ReadResp[] {
  const allOptions = options.getAll();
  if (!allOptions) throw rpcError(grpc.status.INVALID_ARGUMENT, 'stream or $all options are required');
  const all = log.all;
  const count = toIndex(BigInt(options.getCount()), all.length);
  // Positions are "pre-positions" forwards (the event at the position is included) and
  // "post-positions" backwards (reading backwards from an event's position starts before it).
  const position = allOptions.getPosition();
  const boundary = position ? indexAtOrAfter(all, BigInt(position.getCommitPosition())) : undefined;

  const selected = isBackwards(options)
    ? all.slice(0, boundary ?? (allOptions.hasStart() ? 0 : all.length)).reverse().slice(0, count)
    : all.slice(boundary ?? (allOptions.hasEnd() ? all.length : 0)).slice(0, count);
  return selected.map((event) => eventResponse(event, true, structuredIds));
}

interface SubscriptionScope {
  readonly kind: 'stream' | 'all';
  /** Whether the event belongs to the subscription and comes after its starting point (exclusive). */
  readonly wants: (event: RecordedEvent) => boolean;
  /** END: skip catch-up, only events written from now on. */
  readonly fromEnd: boolean;
  /** The $all position given by the client, reported as checkpoint if catch-up scans nothing. */
  readonly startPosition?: bigint;
  readonly filter?: SubscriptionFilter;
}

interface SubscriptionFilter {
  readonly matches: (event: RecordedEvent) => boolean;
  /** checkpointIntervalMultiplier × maxSearchWindow: a checkpoint every that many scanned events. */
  readonly checkpointInterval: number;
}

function subscriptionScope(log: EventLog, options: ReadReq.Options): SubscriptionScope {
  const streamOptions = options.getStream();
  if (streamOptions) {
    if (options.hasFilter()) throw rpcError(grpc.status.INVALID_ARGUMENT, 'filters apply to $all subscriptions only');
    const name = streamNameOf(streamOptions.getStreamIdentifier());
    const fromEnd = streamOptions.hasEnd();
    const after = fromEnd
      ? BigInt((log.stream(name)?.length ?? 0) - 1)
      : streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : -1n;
    return { kind: 'stream', fromEnd, wants: (e) => e.streamId === name && e.revision > after };
  }

  const allOptions = options.getAll();
  if (!allOptions) throw rpcError(grpc.status.INVALID_ARGUMENT, 'stream or $all options are required');
  const filterOptions = options.getFilter();
  const filter = filterOptions ? parseFilter(filterOptions) : undefined;
  const fromEnd = allOptions.hasEnd();
  const position = allOptions.getPosition();
  const startPosition = position ? BigInt(position.getCommitPosition()) : undefined;
  const after = fromEnd ? (log.lastPosition ?? -1n) : (startPosition ?? -1n);
  return { kind: 'all', fromEnd, startPosition, filter, wants: (e) => e.position > after };
}

function parseFilter(options: ReadReq.Options.FilterOptions): SubscriptionFilter {
  const onEventType = options.hasEventType();
  const expression = options.getEventType() ?? options.getStreamIdentifier();
  if (!expression) throw rpcError(grpc.status.INVALID_ARGUMENT, 'a filter needs an event type or stream name expression');

  const prefixes = expression.getPrefixList();
  let test = (value: string) => prefixes.some((prefix) => value.startsWith(prefix));
  if (expression.getRegex()) {
    let regex: RegExp;
    try {
      regex = new RegExp(expression.getRegex());
    } catch {
      throw rpcError(grpc.status.INVALID_ARGUMENT, `invalid filter regex ${expression.getRegex()}`);
    }
    test = (value) => regex.test(value);
  }

  const maxSearchWindow = options.hasMax() ? options.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
  const checkpointInterval = options.getCheckpointintervalmultiplier() * maxSearchWindow;
  if (checkpointInterval <= 0) throw rpcError(grpc.status.INVALID_ARGUMENT, 'checkpoint interval must be positive');
  return { matches: (e) => test(onEventType ? e.type : e.streamId), checkpointInterval };
}

/**
 * One catch-up subscription. The log is in memory and single-threaded, so catch-up (a synchronous
 * scan of the existing events) and going live (registering for new ones) happen with no gap.
 */
export class Subscription {
  private closed = false;
  private detach: () => void = () => undefined;
  private scannedSinceCheckpoint = 0;
  private lastScanned: bigint | undefined;
  private lastCheckpoint: bigint | undefined;

  constructor(
    private readonly call: ReadCall,
    private readonly scope: SubscriptionScope,
    private readonly structuredIds: boolean,
  ) {
    call.on('cancelled', () => this.close());
  }

  start(log: EventLog): void {
    const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
    this.send(new ReadResp().setConfirmation(confirmation));

    if (!this.scope.fromEnd) {
      for (const event of log.all) this.scan(event);
      // As EventStoreDB does, a filtered subscription reports a checkpoint when it goes live.
      const position = this.lastScanned ?? this.scope.startPosition;
      if (this.scope.filter && position !== undefined) this.checkpoint(position);
    }
    this.send(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));

    this.scannedSinceCheckpoint = 0;
    this.detach = log.onAppended((events) => events.forEach((event) => this.scan(event)));
  }

  /** Ends the call with the given status (e.g. UNAVAILABLE, to make the client reconnect). */
  drop(error: RpcError): void {
    if (this.closed) return;
    this.close();
    this.call.emit('error', error);
  }

  close(): void {
    this.closed = true;
    this.detach();
  }

  private scan(event: RecordedEvent): void {
    if (!this.scope.wants(event)) return;
    const { filter } = this.scope;
    if (!filter || filter.matches(event)) this.send(eventResponse(event, this.scope.kind === 'all', this.structuredIds));
    if (!filter) return;

    this.lastScanned = event.position;
    if (++this.scannedSinceCheckpoint >= filter.checkpointInterval) {
      this.scannedSinceCheckpoint = 0;
      this.checkpoint(event.position);
    }
  }

  private checkpoint(position: bigint): void {
    if (position === this.lastCheckpoint) return;
    this.lastCheckpoint = position;
    const value = position.toString();
    this.send(new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(value).setPreparePosition(value)));
  }

  private send(response: ReadResp): void {
    if (!this.closed && !this.call.cancelled) this.call.write(response);
  }
}

function isBackwards(options: ReadReq.Options): boolean {
  return options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
}

/** A uint64 from the wire as an array index, clamped to `max`. */
function toIndex(value: bigint, max: number): number {
  return value > BigInt(max) ? max : Number(value);
}

function indexAtOrAfter(events: readonly RecordedEvent[], position: bigint): number {
  const index = events.findIndex((event) => event.position >= position);
  return index === -1 ? events.length : index;
}
