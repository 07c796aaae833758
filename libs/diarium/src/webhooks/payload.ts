import type { JsonValue, RecordedEvent } from '@kansli/event-store';

/** Standard Webhooks asks for payloads under 20 kB; Kansli sends thin ones, far below. */
export const MAX_PAYLOAD_BYTES = 20_000;

/** Facts from the read models a thin payload names: the dnr of the motions a decision decided. */
export interface PayloadFacts {
  dnrsOfMotions(motionIds: readonly string[]): string[];
}

export interface DeliveryPayload {
  type: string;
  timestamp: string;
  data: { [key: string]: JsonValue };
}

/**
 * The body of a delivery: `{ type, timestamp, data }` where data is thin (Standard Webhooks: "thin payloads"):
 * the event's id, its business and record times, every id it names (`…Id`, `…Ids`), the diarienummer it concerns
 * (`dnr`, and `dnrs` when there are several) and links to the pages for people (the protocol, the paragraph's
 * extract), never names, texts or amounts: the receiver reads those over GraphQL with its own token.
 */
export function thinPayload(event: RecordedEvent, facts: PayloadFacts): DeliveryPayload {
  const source = event.data as Record<string, JsonValue>;
  const data: { [key: string]: JsonValue } = { eventId: event.id, occurredAt: event.metadata.occurredAt, recordedAt: event.recordedAt };
  for (const [key, value] of Object.entries(source)) {
    if (!/Ids?$/.test(key)) continue;
    if (typeof value === 'string') data[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) data[key] = value;
  }
  if (typeof source.paragraph === 'number') data.paragraph = source.paragraph;
  const motionIds = [...(typeof source.motionId === 'string' ? [source.motionId] : []), ...(Array.isArray(source.motionIds) ? (source.motionIds as string[]) : [])];
  const dnrs = [...new Set([...dnrsIn(source), ...(motionIds.length > 0 ? facts.dnrsOfMotions(motionIds) : [])])];
  data.dnr = dnrs[0] ?? null;
  if (dnrs.length > 1) data.dnrs = dnrs;
  const links: { [key: string]: JsonValue } = {};
  if (typeof source.meetingId === 'string') {
    links.protocol = `/protokoll/${source.meetingId}`;
    if (typeof source.paragraph === 'number') links.extract = `/protokoll/${source.meetingId}/${source.paragraph}`;
  }
  if (Object.keys(links).length > 0) data.links = links;
  return withinLimit({ type: event.type, timestamp: event.recordedAt, data });
}

/** Every `dnr` the event's data carries, at any depth (a kallelse's agenda items carry theirs). */
function dnrsIn(value: JsonValue, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) dnrsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'dnr' && typeof inner === 'string') found.push(inner);
      else if (typeof inner === 'object') dnrsIn(inner, found);
    }
  }
  return found;
}

/** The payload cut to the limit: the longest list of ids is halved until it fits, and `truncated` says so. */
export function withinLimit(payload: DeliveryPayload): DeliveryPayload {
  let bytes = Buffer.byteLength(JSON.stringify(payload));
  while (bytes > MAX_PAYLOAD_BYTES) {
    const lists = Object.entries(payload.data).filter((entry): entry is [string, JsonValue[]] => Array.isArray(entry[1]) && entry[1].length > 0);
    if (lists.length === 0) break;
    const [key, longest] = lists.reduce((a, b) => (JSON.stringify(b[1]).length > JSON.stringify(a[1]).length ? b : a));
    payload.data[key] = longest.slice(0, Math.floor(longest.length / 2));
    payload.data.truncated = true;
    bytes = Buffer.byteLength(JSON.stringify(payload));
  }
  return payload;
}
