import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { JsonObject, NewEvent } from '@kansli/event-store';

/**
 * Realistic board decisions: a DecisionTaken with a Swedish title, att-clauses (å ä ö §), a vote and
 * metadata. The JSON of `data` is 300–500 bytes (UTF-8); the variety comes from `seq`.
 */

const BOARDS = ['Kommunstyrelsen', 'Socialnämnden', 'Barn- och utbildningsnämnden', 'Miljö- och byggnämnden', 'Kultur- och fritidsnämnden'];
const TITLES = [
  'Beslut om årsredovisning för räkenskapsåret 2024',
  'Ändrad delegationsordning för ärenden enligt socialtjänstlagen',
  'Yttrande över remiss om översiktsplan för Västra hamnen',
  'Revidering av riktlinjer för föreningsbidrag',
  'Upphandling av skolskjuts för läsåren 2025–2027',
  'Överenskommelse om samverkan kring äldreomsorg',
];
const ATT = [
  'att fastställa årsredovisningen enligt förvaltningens förslag',
  'att uppdra åt förvaltningschefen att återrapportera senast den 30 juni',
  'att förklara paragrafen omedelbart justerad',
  'att godkänna yttrandet som nämndens eget och översända det till kommunstyrelsen',
  'att anta riktlinjerna med de ändringar som framgår av protokollet',
  'att ge förvaltningen i uppdrag att utreda möjligheten till samordnad upphandling',
  'att bevilja ansvarsfrihet för ledamöterna avseende räkenskapsåret',
];
const ACTORS = ['user:anna.lindqvist', 'user:erik.öberg', 'user:märta.åkesson', 'system:import'];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length];
}

export function decisionData(seq: number): JsonObject {
  const clauses = 1 + (seq % 3);
  return {
    decisionId: `d-${seq.toString(36).padStart(8, '0')}`,
    board: pick(BOARDS, seq),
    meetingId: `m-${(seq >> 4).toString(36)}`,
    paragraph: `§ ${1 + (seq % 180)}`,
    diarienummer: `${2020 + (seq % 6)}/${(seq % 997) + 1}`,
    title: pick(TITLES, seq * 7),
    attClauses: Array.from({ length: clauses }, (_, i) => pick(ATT, seq + i * 3)),
    votes: { ja: 5 + (seq % 5), nej: seq % 4, avstår: seq % 2 },
    justerad: seq % 5 === 0,
  };
}

export function decisionMetadata(seq: number): NewEvent['metadata'] {
  return {
    occurredAt: `2025-${String(1 + (seq % 12)).padStart(2, '0')}-${String(1 + (seq % 28)).padStart(2, '0')}T10:${String(seq % 60).padStart(2, '0')}:00.000+01:00`,
    actor: pick(ACTORS, seq),
    correlationId: randomUUID(),
  };
}

/** A new event for the port (no id: the store assigns one, as for a caller that does not retry). */
export function decisionTaken(seq: number): NewEvent {
  return { type: 'DecisionTaken', data: decisionData(seq), metadata: decisionMetadata(seq) };
}

/** A row of the `events` table as the engine writes it. */
export interface RawRow {
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
}

export function rawRow(stream: string, revision: number, seq: number, recordedAt: string): RawRow {
  return {
    stream,
    revision,
    // The engine's own id scheme (UUIDv7), so the ceiling writes the same index the engine does.
    id: uuidv7(),
    type: 'DecisionTaken',
    data: JSON.stringify(decisionData(seq)),
    metadata: JSON.stringify(decisionMetadata(seq)),
    recordedAt,
  };
}

/** Average UTF-8 sizes of data and metadata JSON over a sample. */
export function eventSizes(sample = 1000): { data: number; metadata: number; minData: number; maxData: number } {
  let data = 0;
  let metadata = 0;
  let minData = Infinity;
  let maxData = 0;
  for (let seq = 0; seq < sample; seq++) {
    const bytes = Buffer.byteLength(JSON.stringify(decisionData(seq)));
    data += bytes;
    minData = Math.min(minData, bytes);
    maxData = Math.max(maxData, bytes);
    metadata += Buffer.byteLength(JSON.stringify(decisionMetadata(seq)));
  }
  return { data: data / sample, metadata: metadata / sample, minData, maxData };
}
