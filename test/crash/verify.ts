import Database from 'better-sqlite3';
import type { GraphQLHttp } from './graphql-http';
import type { Ack, BoardState, MeetingState, World } from './workload';

/** The facts the checks need, read straight from the event log (the `events` table of the embedded engine). */
export interface LogFacts {
  events: number;
  /** `Type:ids…` keys, the `log` side of an Ack. */
  keys: Set<string>;
  /** `decision:<id>:<paragraph>` for every DecisionTaken, to hold against the read models. */
  decisions: Set<string>;
  /** Paragraph numbers of the decisions, per `<bodyId> <year>`. */
  paragraphs: Map<string, number[]>;
  /** Numbers the register handed out, per `<bodyId> <year>`. */
  assigned: Map<string, number[]>;
}

/** The fields of the events the checks read (each event has some of them). */
interface EventData {
  bodyId: string;
  personId: string;
  personIds: string[];
  meetingId: string;
  motionId: string;
  decisionId: string;
  start: string;
  paragraph: number;
  number: number;
  year: number;
}

interface EventRow {
  stream_id: string;
  type: string;
  data: string;
}

/**
 * Reads the whole log of the server's database while the server runs (WAL: a reader does not disturb it).
 * A decision's year is its meeting's: the workload schedules every meeting at 09:00 Swedish time, mid-year.
 */
export function readLog(file: string): LogFacts {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT stream_id, type, data FROM events ORDER BY position').all() as EventRow[];
    const facts: LogFacts = { events: rows.length, keys: new Set(), decisions: new Set(), paragraphs: new Map(), assigned: new Map() };
    const meetingYear = new Map<string, number>();
    const push = (map: Map<string, number[]>, key: string, value: number) => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    for (const row of rows) {
      const d = JSON.parse(row.data) as EventData;
      switch (row.type) {
        case 'BodyEstablished':
          facts.keys.add(`BodyEstablished:${d.bodyId}`);
          break;
        case 'MemberAppointed':
          facts.keys.add(`MemberAppointed:${d.bodyId}:${d.personId}`);
          break;
        case 'MeetingScheduled':
          meetingYear.set(d.meetingId, Number(d.start.slice(0, 4)));
          facts.keys.add(`MeetingScheduled:${d.meetingId}`);
          break;
        case 'AttendanceRecorded':
          facts.keys.add(`AttendanceRecorded:${d.meetingId}:${d.personId}`);
          break;
        case 'JusterareAppointed':
          facts.keys.add(`JusterareAppointed:${d.meetingId}:${d.personIds.join(',')}`);
          break;
        case 'MotionRaised':
          facts.keys.add(`MotionRaised:${d.motionId}`);
          break;
        case 'DecisionTaken':
          facts.keys.add(`DecisionTaken:${d.decisionId}:${d.paragraph}`);
          facts.decisions.add(`decision:${d.decisionId}:${d.paragraph}`);
          push(facts.paragraphs, `${d.bodyId} ${meetingYear.get(d.meetingId)}`, d.paragraph);
          break;
        case 'ParagraphNumberAssigned':
          push(facts.assigned, `${d.bodyId} ${d.year}`, d.number);
          break;
        case 'MeetingOpened':
        case 'MeetingClosed':
        case 'ProtocolJusterad':
        case 'AnslagPosted':
          facts.keys.add(`${row.type}:${d.meetingId}`);
          break;
      }
    }
    return facts;
  } finally {
    db.close();
  }
}

/** The read models as the API serves them: every board with its members and all its meetings. */
export interface ModelFacts {
  keys: Set<string>;
  decisions: Set<string>;
  world: World;
}

interface MeetingNode {
  id: string;
  start: string;
  status: MeetingState['status'];
  attendance: Array<{ person: { id: string } }>;
  justerare: Array<{ id: string }>;
  decisions: Array<{ id: string; paragraph: number }>;
  motions: Array<{ id: string; status: string }>;
  protocol: { status: string; anslag: { postedAt: string } | null };
}

const BODY = `query($id: ID!, $after: String) { body(id: $id) { id members { person { id } position }
  meetings(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
    id start status attendance { person { id } } justerare { id } decisions { id paragraph } motions { id status }
    protocol { status anslag { postedAt } } } } } } }`;

export async function readModels(gql: GraphQLHttp, boards: BoardState[]): Promise<ModelFacts> {
  const facts: ModelFacts = { keys: new Set(), decisions: new Set(), world: { boards, meetings: new Map() } };
  const { bodies } = await gql.ok<{ bodies: Array<{ id: string }> }>('{ bodies { id } }');
  for (const body of bodies) facts.keys.add(`body:${body.id}`);
  for (const board of boards) {
    let after: string | null = null;
    do {
      const page: { body: { members: Array<{ person: { id: string } }>; meetings: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: MeetingNode }> } } } =
        await gql.ok(BODY, { id: board.id, after });
      for (const member of page.body.members) facts.keys.add(`member:${board.id}:${member.person.id}`);
      for (const { node } of page.body.meetings.edges) {
        const m = node;
        facts.keys.add(`meeting:${m.id}`);
        if (m.status !== 'SCHEDULED') facts.keys.add(`opened:${m.id}`);
        if (m.status === 'CLOSED') facts.keys.add(`closed:${m.id}`);
        for (const a of m.attendance) facts.keys.add(`present:${m.id}:${a.person.id}`);
        if (m.justerare.length) facts.keys.add(`justerare:${m.id}:${m.justerare.map((p) => p.id).join(',')}`);
        for (const d of m.decisions) {
          facts.keys.add(`decision:${d.id}:${d.paragraph}`);
          facts.decisions.add(`decision:${d.id}:${d.paragraph}`);
        }
        for (const motion of m.motions) facts.keys.add(`motion:${motion.id}`);
        const justerad = m.protocol.status !== 'DRAFT';
        if (justerad) facts.keys.add(`justerad:${m.id}`);
        if (m.protocol.anslag) facts.keys.add(`anslag:${m.id}`);
        facts.world.meetings.set(m.id, {
          id: m.id,
          bodyId: board.id,
          year: Number(m.start.slice(0, 4)),
          start: m.start,
          status: m.status,
          present: new Set(m.attendance.map((a) => a.person.id)),
          justerare: m.justerare.map((p) => p.id),
          justerad,
          anslag: m.protocol.anslag !== null,
          decisions: m.decisions.length,
          openMotions: m.motions.filter((motion) => motion.status === 'RAISED').map((motion) => motion.id),
        });
      }
      after = page.body.meetings.pageInfo.hasNextPage ? page.body.meetings.pageInfo.endCursor : null;
    } while (after);
  }
  return facts;
}

export interface SeriesReport {
  series: number;
  decisions: number;
  /** Numbers below a series' highest that no decision holds. */
  gaps: number;
  /** Numbers two decisions hold. */
  duplicates: number;
  /** Numbers the register handed out that no decision holds (the gaps, and those the next decision must take). */
  stranded: number;
  /** Each missing or doubled number as `<bodyId> <year> § n`: a kill strands a number once, then it stays. */
  holes: string[];
  /** `<bodyId> <year>: …` for the first few series with gaps or duplicates. */
  details: string[];
}

/** Paragraph numbers per body and year must be 1, 2, … n: each once, none left out. */
export function checkSeries(log: LogFacts): SeriesReport {
  const report: SeriesReport = { series: log.paragraphs.size, decisions: 0, gaps: 0, duplicates: 0, stranded: 0, holes: [], details: [] };
  for (const [key, numbers] of log.paragraphs) {
    report.decisions += numbers.length;
    const held = new Set(numbers);
    const max = Math.max(...numbers);
    const missing: number[] = [];
    for (let n = 1; n <= max; n++) if (!held.has(n)) missing.push(n);
    const duplicates = numbers.length - held.size;
    report.holes.push(...missing.map((n) => `${key} § ${n} missing`));
    if (duplicates) report.holes.push(...[...held].filter((n) => numbers.indexOf(n) !== numbers.lastIndexOf(n)).map((n) => `${key} § ${n} twice`));
    report.gaps += missing.length;
    report.duplicates += duplicates;
    if ((missing.length || duplicates) && report.details.length < 4) {
      report.details.push(`${key}: ${missing.length} missing (§ ${missing.slice(0, 8).join(', § ')}${missing.length > 8 ? ', …' : ''}), ${duplicates} twice`);
    }
  }
  for (const [key, numbers] of log.assigned) {
    const held = new Set(log.paragraphs.get(key) ?? []);
    report.stranded += numbers.filter((n) => !held.has(n)).length;
  }
  return report;
}

export interface AckReport {
  found: number;
  notInLog: Ack[];
  notInModels: Ack[];
}

/** Every acknowledged mutation must be in the log and in the read models. */
export function checkAcks(acks: readonly Ack[], log: LogFacts, models: ModelFacts): AckReport {
  const report: AckReport = { found: 0, notInLog: [], notInModels: [] };
  for (const ack of acks) {
    const inLog = log.keys.has(ack.log);
    const inModels = models.keys.has(ack.model);
    if (!inLog) report.notInLog.push(ack);
    if (!inModels) report.notInModels.push(ack);
    if (inLog && inModels) report.found++;
  }
  return report;
}

/** The read models' decisions are the log's, no more, no fewer (the cheap half of "equal to a rebuild"). */
export function decisionsDiffer(log: LogFacts, models: ModelFacts): string | undefined {
  const onlyLog = [...log.decisions].filter((d) => !models.decisions.has(d));
  const onlyModels = [...models.decisions].filter((d) => !log.decisions.has(d));
  if (onlyLog.length === 0 && onlyModels.length === 0) return undefined;
  return `${onlyLog.length} decisions in the log but not the read models (${onlyLog.slice(0, 2).join(', ')}), ${onlyModels.length} the other way (${onlyModels.slice(0, 2).join(', ')})`;
}

/** The highest paragraph of each body and year in the log. */
export function highestParagraphs(log: LogFacts): Map<string, number> {
  return new Map([...log.paragraphs].map(([key, numbers]) => [key, Math.max(...numbers)]));
}
