import { canonicalJson } from './canonical-json';
import { leafHash } from './merkle';

/**
 * What a leaf of the log's tree commits to: the RFC 8785 canonical JSON of
 * `{ id, stream, revision, type, data, metadata, recordedAt }`, hashed as RFC 9162 leaves are.
 *
 * Representation, fixed forever (changing it changes every root):
 * - `revision` is a JSON number (the event's place in its stream; exact, revisions stay far below 2^53);
 * - `recordedAt` is the record time as the store reports it: ISO 8601 in UTC with milliseconds
 *   (`2025-01-01T09:00:00.000Z`), a string;
 * - `metadata` holds the fields the event has of `occurredAt`, `actor`, `correlationId`, `causationId`;
 * - the log `position` is not part of the leaf: engines number the log differently (rowids, EventStoreDB's
 *   commit/prepare pairs), and the leaf's own index is its place in the tree.
 */
export interface LeafEvent {
  id: string;
  stream: string;
  revision: bigint | number;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

export function revisionNumber(revision: bigint | number): number {
  const value = Number(revision);
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`revision ${revision} is not a whole number from 0 to 2^53 − 1`);
  return value;
}

/** The canonical JSON of an event's leaf. */
export function eventLeafJson(event: LeafEvent): string {
  return eventLeafJsonFromParts(event, canonicalJson(event.data), canonicalJson(event.metadata));
}

/**
 * The same text, given the canonical JSON of `data` and `metadata` already (the store has them in hand when
 * it appends). The keys are written in their canonical order: data, id, metadata, recordedAt, revision,
 * stream, type.
 */
export function eventLeafJsonFromParts(
  event: Pick<LeafEvent, 'id' | 'stream' | 'revision' | 'type' | 'recordedAt'>,
  canonicalData: string,
  canonicalMetadata: string,
): string {
  return (
    `{"data":${canonicalData},"id":${JSON.stringify(event.id)},"metadata":${canonicalMetadata},` +
    `"recordedAt":${JSON.stringify(event.recordedAt)},"revision":${revisionNumber(event.revision)},` +
    `"stream":${JSON.stringify(event.stream)},"type":${JSON.stringify(event.type)}}`
  );
}

/** The event's leaf hash, H(0x00 || canonical JSON). */
export function eventLeafHash(event: LeafEvent): Buffer {
  return leafHash(eventLeafJson(event));
}
