import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { BodyEstablished, MemberAppointed, MembershipEnded, PersonRegistered } from '@kansli/bodies';
import { EVENTS_SCHEMA, pragmas, type EventMetadata, type JsonObject } from '@kansli/event-store';
import type {
  AgendaItemData,
  AnslagPosted,
  AttendanceRecorded,
  DecisionTaken,
  JavDeclared,
  JusterareAppointed,
  MeetingClosed,
  MeetingOpened,
  MeetingScheduled,
  MotionRaised,
  ParagraphNumberAssigned,
  ProtocolJusterad,
  ProtocolSigned,
} from '@kansli/meetings';

/**
 * A realistic log of board work, as the API writes it: bodies with their people and memberships, then meeting
 * after meeting — kallelse with its agenda, opening, attendance (ersättare serving for absent ledamöter),
 * justerare, motions, jäv now and then, one paragraph number and one decision per agenda item (a vote in one
 * decision of ten, reservations now and then), closing, signatures, justering and anslag. Several meetings run
 * at once so their streams interleave. Every event is one the read models handle. Deterministic for a seed.
 */
export interface LogEvent {
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: JsonObject;
  metadata: EventMetadata;
}

type Data<E extends { data: unknown }> = E['data'];

const TITLES = [
  'Mötets öppnande', 'Val av justerare', 'Dagordningen godkänns', 'Föregående protokoll',
  'Ekonomisk rapport per 2018-03-31', 'Beslut om årsredovisning för räkenskapsåret', 'Ändrad delegationsordning',
  'Yttrande över remiss om översiktsplan för Västra hamnen', 'Revidering av riktlinjer för föreningsbidrag',
  'Upphandling av skolskjuts för läsåren 2025–2027', 'Överenskommelse om samverkan kring äldreomsorg',
  'Ansökan om extra medel', 'Förändringar utifrån GDPR', 'Informationsärenden', 'Rapporter', 'Övriga frågor',
];
const ATT = [
  'att fastställa årsredovisningen enligt förvaltningens förslag',
  'att uppdra åt förvaltningschefen att återrapportera senast den 30 juni',
  'att godkänna yttrandet som nämndens eget och översända det till kommunstyrelsen',
  'att anta riktlinjerna med de ändringar som framgår av protokollet',
  'att ge förvaltningen i uppdrag att utreda möjligheten till samordnad upphandling',
  'att bevilja ansvarsfrihet för ledamöterna avseende räkenskapsåret',
  'att notera informationen och lägga den till handlingarna',
];
const FIRST = ['Anna', 'Erik', 'Märta', 'Bertil', 'Kenneth', 'Birgitta', 'Mikael', 'Åsa', 'Göran', 'Ingrid', 'Örjan', 'Lena'];
const LAST = ['Lindqvist', 'Öberg', 'Åkesson', 'Almgren', 'Andersson', 'Westring-Sandberg', 'Lindfors', 'Nyberg', 'Sjöström'];
const KINDS = ['STYRELSE', 'NAMND', 'FULLMAKTIGE', 'UTSKOTT'] as const;
const PARTIES = ['S', 'M', 'C', 'V', 'KD', 'L', 'MP', 'SD', null];
const PLACES = ['Hörnellgatan 17, sammanträdesrum, vån 3', 'Stadshuset, KS-salen', 'Medborgarhuset, lokal Freja', null];
const ACTORS = ['anna.lindqvist', 'erik.oberg', 'marta.akesson', 'import'];
const LEDAMOTER = 7;
const ERSATTARE = 5;

/** mulberry32: a small seeded generator, so that every run writes the same log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Body {
  id: string;
  name: string;
  members: Array<{ personId: string; membershipId: string; role: 'LEDAMOT' | 'ERSATTARE' }>;
  next: Date;
  paragraph: Map<number, number>;
}

/** Yields `count` events in log order. */
export function* governanceLog(count: number, seed = 1): Generator<LogEvent> {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => int(16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };
  const revisions = new Map<string, number>();
  const event = (stream: string, type: string, data: JsonObject, occurredAt: string, correlationId: string): LogEvent => {
    const revision = revisions.get(stream) ?? 0;
    revisions.set(stream, revision + 1);
    return { stream, revision, id: uuidv7(), type, data, metadata: { occurredAt, actor: pick(ACTORS), correlationId, causationId: uuidv7() } };
  };
  const personName = () => `${pick(FIRST)} ${pick(LAST)}`;
  const day = (date: Date, plus = 0) => new Date(date.getTime() + plus * 86_400_000).toISOString().slice(0, 10);
  const at = (date: Date, minutes = 0) => new Date(date.getTime() + minutes * 60_000).toISOString().replace('.000Z', 'Z');

  function* establish(body: Body): Generator<LogEvent> {
    const correlation = uuid();
    const when = at(body.next, -60 * 24 * 30);
    yield event(`body-${body.id}`, 'BodyEstablished', { bodyId: body.id, name: body.name, kind: pick(KINDS), seats: LEDAMOTER } satisfies Data<BodyEstablished>, when, correlation);
    for (let i = 0; i < LEDAMOTER + ERSATTARE; i++) yield* appoint(body, i < LEDAMOTER ? 'LEDAMOT' : 'ERSATTARE', i, when);
  }

  function* appoint(body: Body, role: 'LEDAMOT' | 'ERSATTARE', index: number, when: string): Generator<LogEvent> {
    const personId = uuid();
    const membershipId = uuid();
    const correlation = uuid();
    yield event(`person-${personId}`, 'PersonRegistered', { personId, name: personName() } satisfies Data<PersonRegistered>, when, correlation);
    const data: Data<MemberAppointed> = {
      bodyId: body.id, membershipId, personId, role,
      position: role === 'LEDAMOT' && index === 0 ? 'ORDFORANDE' : role === 'LEDAMOT' && index === 1 ? 'VICE_ORDFORANDE' : null,
      representing: rnd() < 0.5 ? 'Skellefteå kommun' : null, party: pick(PARTIES),
      substituteOrder: role === 'ERSATTARE' ? index - LEDAMOTER + 1 : null, from: when.slice(0, 10), to: null,
    };
    yield event(`body-${body.id}`, 'MemberAppointed', data, when, correlation);
    body.members.splice(index, 0, { personId, membershipId, role });
  }

  /** Now and then a ledamot leaves and another is appointed in the same place. */
  function* turnover(body: Body): Generator<LogEvent> {
    const index = 2 + int(LEDAMOTER - 2);
    const [leaving] = body.members.splice(index, 1);
    const when = at(body.next, -60 * 24 * 10);
    yield event(`body-${body.id}`, 'MembershipEnded', { bodyId: body.id, membershipId: leaving.membershipId, to: when.slice(0, 10) } satisfies Data<MembershipEnded>, when, uuid());
    yield* appoint(body, 'LEDAMOT', index, when);
  }

  function* meeting(body: Body): Generator<LogEvent> {
    const meetingId = uuid();
    const stream = `meeting-${meetingId}`;
    const start = new Date(body.next);
    body.next = new Date(start.getTime() + (21 + int(21)) * 86_400_000);
    const year = start.getUTCFullYear();
    const ledamoter = body.members.filter((m) => m.role === 'LEDAMOT');
    const ersattare = body.members.filter((m) => m.role === 'ERSATTARE');
    const agenda: AgendaItemData[] = Array.from({ length: 8 + int(9) }, (_, i) => ({
      itemId: uuid(),
      number: i + 1,
      title: i < 3 ? TITLES[i] : pick(TITLES.slice(3)),
      dnr: i >= 3 && rnd() < 0.6 ? `${year}/${1 + int(400)}` : null,
      proposal: Array.from({ length: i < 3 ? 1 : 1 + int(3) }, () => pick(ATT)),
    }));
    const kallelse = uuid();
    yield event(stream, 'MeetingScheduled', { meetingId, bodyId: body.id, start: at(start), end: at(start, 240), place: pick(PLACES), agenda } satisfies Data<MeetingScheduled>, at(start, -60 * 24 * 14), kallelse);

    const correlation = uuid();
    const first = body.paragraph.get(year) ?? 1;
    yield event(stream, 'MeetingOpened', { meetingId, at: at(start), firstParagraph: first } satisfies Data<MeetingOpened>, at(start), correlation);
    const absent = new Set(ledamoter.filter(() => rnd() < 0.15).map((m) => m.personId));
    const serving: string[] = [];
    let substitute = 0;
    for (const member of ledamoter) {
      if (absent.has(member.personId)) {
        const ersattare_ = ersattare[substitute++ % ersattare.length];
        serving.push(ersattare_.personId);
        yield event(stream, 'AttendanceRecorded', { meetingId, personId: ersattare_.personId, role: 'TJANSTGORANDE_ERSATTARE', replacingPersonId: member.personId, fromParagraph: null, toParagraph: null } satisfies Data<AttendanceRecorded>, at(start, 1), correlation);
      } else {
        serving.push(member.personId);
        yield event(stream, 'AttendanceRecorded', { meetingId, personId: member.personId, role: 'BESLUTANDE', replacingPersonId: null, fromParagraph: null, toParagraph: null } satisfies Data<AttendanceRecorded>, at(start, 1), correlation);
      }
    }
    yield event(stream, 'AttendanceRecorded', { meetingId, personId: ersattare[ersattare.length - 1].personId, role: 'ERSATTARE', replacingPersonId: null, fromParagraph: null, toParagraph: null } satisfies Data<AttendanceRecorded>, at(start, 1), correlation);
    const justerare = serving.slice(1, 2 + int(2));
    yield event(stream, 'JusterareAppointed', { meetingId, personIds: justerare } satisfies Data<JusterareAppointed>, at(start, 2), correlation);

    const motions = new Map<string, string>();
    const jav = new Map<string, string>();
    for (const item of agenda.slice(3)) {
      if (rnd() >= 0.5) continue;
      const motionId = uuid();
      motions.set(item.itemId, motionId);
      yield event(stream, 'MotionRaised', { meetingId, motionId, agendaItemId: item.itemId, title: item.title, dnr: item.dnr, proposedBy: rnd() < 0.5 ? 'Förvaltningen' : personName(), clauses: item.proposal } satisfies Data<MotionRaised>, at(start, 3), correlation);
      if (rnd() < 0.05) {
        const personId = serving[2 + int(serving.length - 2)];
        jav.set(motionId, personId);
        yield event(stream, 'JavDeclared', { meetingId, personId, motionId } satisfies Data<JavDeclared>, at(start, 3), correlation);
      }
    }

    let paragraph = first;
    for (const item of agenda) {
      const decisionId = uuid();
      const motionId = motions.get(item.itemId);
      const decidedAt = at(start, 5 + item.number * 10);
      const servingHere = serving.filter((personId) => !motionId || jav.get(motionId) !== personId);
      const voted = rnd() < 0.1;
      const votes: Data<DecisionTaken>['votes'] = voted ? servingHere.map((personId) => ({ personId, ballot: rnd() < 0.7 ? 'JA' : rnd() < 0.8 ? 'NEJ' : 'AVSTAR' })) : [];
      const reservations: Data<DecisionTaken>['reservations'] = voted && rnd() < 0.5 ? [{ personId: servingHere[servingHere.length - 1], reason: rnd() < 0.5 ? 'Till förmån för eget yrkande' : null }] : [];
      const decision = uuid();
      yield event(`paragraphs-${body.id}-${year}`, 'ParagraphNumberAssigned', { bodyId: body.id, year, number: paragraph, meetingId, decisionId } satisfies Data<ParagraphNumberAssigned>, decidedAt, decision);
      const data: Data<DecisionTaken> = {
        meetingId, bodyId: body.id, decisionId, paragraph, motionIds: motionId ? [motionId] : [], title: item.title,
        clauses: item.proposal, outcome: item.number <= 3 ? 'NOTERAD' : rnd() < 0.85 ? 'BIFALL' : pick(['AVSLAG', 'ATERREMISS', 'BORDLAGD'] as const),
        decidedAt, votes, reservations, serving: servingHere, immediateJustering: rnd() < 0.05,
      };
      yield event(stream, 'DecisionTaken', data, decidedAt, decision);
      paragraph++;
    }
    body.paragraph.set(year, paragraph);
    yield event(stream, 'MeetingClosed', { meetingId, at: at(start, 240) } satisfies Data<MeetingClosed>, at(start, 240), correlation);

    const signatories = [serving[0], ...justerare];
    const justeradAt = day(start, 3 + int(10));
    const signatures = signatories.map((personId) => ({ personId, signedAt: justeradAt }));
    if (rnd() < 0.3) {
      for (const signature of signatures) {
        yield event(stream, 'ProtocolSigned', { meetingId, ...signature } satisfies Data<ProtocolSigned>, `${justeradAt}T12:00:00+02:00`, uuid());
      }
    }
    yield event(stream, 'ProtocolJusterad', { meetingId, justeradAt, signatoryIds: signatories, signatures } satisfies Data<ProtocolJusterad>, `${justeradAt}T12:00:00+02:00`, uuid());
    const postedAt = day(start, 5 + int(12));
    yield event(stream, 'AnslagPosted', { meetingId, postedAt, removeAfter: day(new Date(postedAt), 21), storageLocation: 'Kommunledningskontoret, stadshuset', appealDeadline: day(new Date(postedAt), 21) } satisfies Data<AnslagPosted>, `${postedAt}T08:00:00+02:00`, uuid());
  }

  const bodies: Body[] = [];
  const bodyCount = Math.max(5, Math.round(count / 5000));
  for (let i = 0; i < bodyCount; i++) {
    bodies.push({ id: uuid(), name: `${pick(['Socialnämnden', 'Kommunstyrelsen', 'Samordningsförbundet', 'Miljö- och byggnämnden'])} ${i + 1}`, members: [], next: new Date(Date.UTC(2015, 0, 10 + int(30), 8)), paragraph: new Map() });
  }
  function* everything(): Generator<LogEvent> {
    for (const body of bodies) yield* establish(body);
    // Four meetings (of four bodies) at a time, each advanced by a few events in turn, as concurrent users
    // interleave them.
    const running: Array<Generator<LogEvent>> = [];
    let nextBody = 0;
    for (;;) {
      while (running.length < 4) {
        const body = bodies[nextBody++ % bodies.length];
        running.push((function* () {
          if (rnd() < 0.1) yield* turnover(body);
          yield* meeting(body);
        })());
      }
      const index = int(running.length);
      for (let step = 1 + int(4); step > 0; step--) {
        const next = running[index].next();
        if (next.done) {
          running.splice(index, 1);
          break;
        }
        yield next.value;
      }
    }
  }
  let emitted = 0;
  for (const logEvent of everything()) {
    if (emitted++ >= count) return;
    yield logEvent;
  }
}

const INSERT = 'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)';

/**
 * `count` events of the governance log written into a new embedded database as the engine stores them, fast: one
 * prepared INSERT, 10,000 rows per transaction, recorded 100 ms apart from 2025-01-01. `seen` is told of each
 * event. Returns the seconds it took.
 */
export function writeGovernanceLog(filename: string, count: number, seen: (event: LogEvent, index: number) => void = () => undefined): number {
  const started = performance.now();
  const db = new Database(filename);
  for (const pragma of pragmas('normal')) db.pragma(pragma);
  db.exec(EVENTS_SCHEMA);
  db.pragma('user_version = 1');
  const insert = db.prepare(INSERT);
  const write = db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(...row);
  });
  const base = Date.parse('2025-01-01T00:00:00Z');
  let batch: unknown[][] = [];
  let i = 0;
  for (const event of governanceLog(count)) {
    seen(event, i);
    batch.push([event.stream, event.revision, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), new Date(base + i++ * 100).toISOString()]);
    if (batch.length === 10_000) {
      write(batch);
      batch = [];
    }
  }
  if (batch.length > 0) write(batch);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return (performance.now() - started) / 1000;
}
