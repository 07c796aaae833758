import { v7 as uuidv7 } from 'uuid';
import type { EventMetadata, ExpectedRevision, EventFilter, NewEvent, ReadAllOptions, ReadStreamOptions } from './event';
import { InvalidAppendError, InvalidReadError } from './event-store.errors';

/** Largest append accepted, all events' JSON together (EventStoreDB's default MaxAppendSize). */
export const MAX_APPEND_BYTES = 1_048_576;
/** Most events in one append. */
export const MAX_EVENTS_PER_APPEND = 1_000;
/** Largest page `readAll` returns. */
export const MAX_READ_ALL_PAGE = 10_000;
export const DEFAULT_READ_ALL_PAGE = 1_000;

const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const METADATA_KEYS = new Set(['occurredAt', 'actor', 'correlationId', 'causationId']);

/** An event ready to write: validated, with an id and its JSON serialised once. */
export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

export function assertStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
    throw new InvalidAppendError(
      `Invalid stream name ${JSON.stringify(stream)}: use 1–200 characters of A–Z, a–z, 0–9 and . _ : @ -, starting with a letter or digit`,
    );
  }
}

export function assertExpectedRevision(value: unknown): asserts value is ExpectedRevision {
  if (value === 'any' || value === 'no_stream' || value === 'stream_exists') return;
  if (typeof value === 'bigint' && value >= 0n) return;
  throw new InvalidAppendError(
    `Unknown expected revision ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)}: use 'any', 'no_stream', 'stream_exists' or a revision as a bigint >= 0n`,
  );
}

/** Most streams one `appendToStreams` may write. */
export const MAX_STREAMS_PER_APPEND = 16;

export interface PreparedPart {
  stream: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
}

/**
 * Validates an append to several streams: 1–16 distinct streams, each a valid append, all together within the
 * size limit of one append (so every engine accepts the same). Throws InvalidAppendError; writes nothing.
 */
export function prepareMultiAppend(appends: unknown, serialize: JsonSerializer = PLAIN_JSON): PreparedPart[] {
  if (!Array.isArray(appends) || appends.length === 0) throw new InvalidAppendError('An append to several streams needs at least one stream');
  if (appends.length > MAX_STREAMS_PER_APPEND) {
    throw new InvalidAppendError(`An append writes at most ${MAX_STREAMS_PER_APPEND} streams, got ${appends.length}`);
  }
  const streams = new Set<unknown>();
  let bytes = 0;
  return appends.map((append: unknown, index) => {
    if (!isPlainObject(append)) throw new InvalidAppendError(`part ${index} is not an object`);
    const { stream, events, expectedRevision } = append as { stream?: unknown; events?: unknown; expectedRevision?: unknown };
    if (streams.has(stream)) throw new InvalidAppendError(`Stream ${String(stream)} appears twice in one append`);
    streams.add(stream);
    const expected = expectedRevision === undefined ? 'any' : expectedRevision;
    const prepared = prepareAppend(stream, events, expected, serialize);
    for (const event of prepared) bytes += Buffer.byteLength(event.data) + Buffer.byteLength(event.metadata);
    if (bytes > MAX_APPEND_BYTES) {
      throw new InvalidAppendError(`The append is over ${MAX_APPEND_BYTES} bytes of JSON, the limit for all its streams together`);
    }
    return { stream: stream as string, events: prepared, expected: expected as ExpectedRevision };
  });
}

/** Writes validated data and metadata as text: JSON.stringify, or the canonical JSON (RFC 8785) the log's tree hashes. */
export interface JsonSerializer {
  data(value: object): string;
  metadata(value: EventMetadata): string;
}

export const PLAIN_JSON: JsonSerializer = { data: JSON.stringify, metadata: JSON.stringify };

/** Validated metadata (string values of known keys) as canonical JSON, keys in code-unit order, without sorting. */
export function canonicalMetadata(metadata: EventMetadata): string {
  let out = '{';
  for (const key of CANONICAL_METADATA_ORDER) {
    const value = metadata[key];
    if (value === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}"${key}":${JSON.stringify(value)}`;
  }
  return `${out}}`;
}
const CANONICAL_METADATA_ORDER = ['actor', 'causationId', 'correlationId', 'occurredAt'] as const;

/** Validates an append and serialises it. Throws InvalidAppendError naming the first problem; writes nothing. */
export function prepareAppend(stream: unknown, events: unknown, expectedRevision: unknown, serialize: JsonSerializer = PLAIN_JSON): SerializedEvent[] {
  assertStreamName(stream);
  assertExpectedRevision(expectedRevision);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('An append needs at least one event');
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppendError(`An append takes at most ${MAX_EVENTS_PER_APPEND} events, got ${events.length}`);
  }
  const ids = new Set<string>();
  let bytes = 0;
  const prepared = events.map((event: unknown, index): SerializedEvent => {
    const at = `event ${index}`;
    if (!isPlainObject(event)) throw new InvalidAppendError(`${at} is not an object`);
    const { id, type, data, metadata } = event as Partial<NewEvent>;
    if (id !== undefined && (typeof id !== 'string' || !UUID.test(id))) {
      throw new InvalidAppendError(`${at}: id ${JSON.stringify(id)} is not a UUID`);
    }
    if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
      throw new InvalidAppendError(`${at}: type ${JSON.stringify(type)} is not a valid event type name`);
    }
    assertJsonObject(data, `${at} (${type}) data`);
    assertMetadata(metadata, `${at} (${type}) metadata`);
    // Time-ordered ids (UUIDv7) keep the unique index on event ids append-mostly as the log grows.
    const eventId = (id ?? uuidv7()).toLowerCase();
    if (ids.has(eventId)) throw new InvalidAppendError(`${at}: id ${eventId} appears twice in one append`);
    ids.add(eventId);
    const serialized = { id: eventId, type, data: serialize.data(data as object), metadata: serialize.metadata(metadata as EventMetadata) };
    bytes += Buffer.byteLength(serialized.data) + Buffer.byteLength(serialized.metadata);
    return serialized;
  });
  if (bytes > MAX_APPEND_BYTES) {
    throw new InvalidAppendError(`The append is ${bytes} bytes of JSON; the limit is ${MAX_APPEND_BYTES} bytes`);
  }
  return prepared;
}

function assertMetadata(metadata: unknown, at: string): void {
  if (!isPlainObject(metadata)) throw new InvalidAppendError(`${at} is not an object`);
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEYS.has(key)) throw new InvalidAppendError(`${at}: unknown field ${key}`);
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > 200)) {
      throw new InvalidAppendError(`${at}: ${key} must be a non-empty string of at most 200 characters`);
    }
  }
  const occurredAt = (metadata as { occurredAt?: unknown }).occurredAt;
  if (typeof occurredAt !== 'string' || !ISO_DATE_TIME.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) {
    throw new InvalidAppendError(`${at}: occurredAt must be an ISO 8601 date-time with offset, got ${JSON.stringify(occurredAt)}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Accepts only values that survive a JSON round trip unchanged. */
export function assertJsonObject(value: unknown, at: string): void {
  if (!isPlainObject(value)) throw new InvalidAppendError(`${at} must be a JSON object`);
  assertJson(value, at, 0);
}

function assertJson(value: unknown, at: string, depth: number): void {
  if (depth > 64) throw new InvalidAppendError(`${at} is nested more than 64 levels deep`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidAppendError(`${at} holds ${value}, which JSON cannot represent`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJson(item, `${at}[${index}]`, depth + 1));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) assertJson(item, `${at}.${key}`, depth + 1);
    return;
  }
  throw new InvalidAppendError(`${at} holds a ${value === undefined ? 'undefined' : typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value} value, which is not JSON`);
}

export function normalizeReadStream(options: ReadStreamOptions = {}): Required<ReadStreamOptions> {
  const direction = options.direction ?? 'forwards';
  if (direction !== 'forwards' && direction !== 'backwards') throw new InvalidReadError(`Unknown direction ${JSON.stringify(direction)}`);
  const from = options.from ?? (direction === 'forwards' ? 'start' : 'end');
  if (!(from === 'start' || from === 'end' || (typeof from === 'bigint' && from >= 0n))) {
    throw new InvalidReadError(`Invalid from ${String(from)}: use 'start', 'end' or a revision as a bigint >= 0n`);
  }
  const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw new InvalidReadError(`maxCount must be a positive integer, got ${maxCount}`);
  return { from, direction, maxCount };
}

export function normalizeReadAll(options: ReadAllOptions = {}): Required<Omit<ReadAllOptions, 'filter'>> & Pick<ReadAllOptions, 'filter'> {
  const direction = options.direction ?? 'forwards';
  if (direction !== 'forwards' && direction !== 'backwards') throw new InvalidReadError(`Unknown direction ${JSON.stringify(direction)}`);
  const fromPosition = options.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
  assertPosition(fromPosition);
  const maxCount = options.maxCount ?? DEFAULT_READ_ALL_PAGE;
  if (!Number.isSafeInteger(maxCount) || maxCount < 1 || maxCount > MAX_READ_ALL_PAGE) {
    throw new InvalidReadError(`maxCount must be an integer from 1 to ${MAX_READ_ALL_PAGE}, got ${maxCount}`);
  }
  assertFilter(options.filter);
  return { fromPosition, direction, maxCount, filter: options.filter };
}

export function assertPosition(position: unknown): asserts position is bigint | 'start' | 'end' {
  if (position === 'start' || position === 'end' || (typeof position === 'bigint' && position >= 0n)) return;
  throw new InvalidReadError(`Invalid position ${String(position)}: use 'start', 'end' or a position as a bigint >= 0n`);
}

export function assertFilter(filter: unknown): asserts filter is EventFilter | undefined {
  if (filter === undefined) return;
  const list = isPlainObject(filter) ? (filter.eventTypes ?? filter.streamPrefixes) : undefined;
  const both = isPlainObject(filter) && 'eventTypes' in filter && 'streamPrefixes' in filter;
  if (both || !Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item.length > 0)) {
    throw new InvalidReadError('A filter is { eventTypes: [names…] } or { streamPrefixes: [prefixes…] }, each a non-empty list of non-empty strings');
  }
}
