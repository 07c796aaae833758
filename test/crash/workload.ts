import type { GraphQLHttp, Outcome } from './graphql-http';
import { Prng } from './prng';

/** The years every body meets in: paragraph numbers run per body and calendar year. */
export const YEARS = [2018, 2019] as const;

export interface BoardState {
  id: string;
  chair: string;
  /** The three ledamöter, the chair first; the second is every meeting's justerare. */
  members: string[];
}

export interface MeetingState {
  id: string;
  bodyId: string;
  year: number;
  start: string;
  status: 'SCHEDULED' | 'OPEN' | 'CLOSED' | 'CANCELLED';
  present: Set<string>;
  justerare: string[];
  justerad: boolean;
  anslag: boolean;
  decisions: number;
  /** Motions raised and not yet decided. */
  openMotions: string[];
}

/** What the clients believe about the boards: reloaded from the read models after every restart. */
export interface World {
  boards: BoardState[];
  meetings: Map<string, MeetingState>;
}

/**
 * A mutation answered with success. `log` is what must be in the event log and `model` what must be in the read
 * models (see verify.ts for how both sides are built), from this trial on.
 */
export interface Ack {
  kind: string;
  trial: number;
  log: string;
  model: string;
}

/** Every acknowledged mutation of the run, and what became of the other requests. */
export class Ledger {
  readonly acks: Ack[] = [];
  trialAcks = 0;
  trialDecisions = 0;
  trialUnknown = 0;
  /** Refusals by code: the races the workload provokes on purpose (a decision in a meeting being closed…). */
  readonly refusals = new Map<string, number>();
  /** Refusals no race explains, with one message each. */
  readonly unexpected = new Map<string, string>();
  trial = 0;

  startTrial(trial: number): void {
    this.trial = trial;
    this.trialAcks = 0;
    this.trialDecisions = 0;
    this.trialUnknown = 0;
  }

  ack(kind: string, log: string, model: string): void {
    this.acks.push({ kind, trial: this.trial, log, model });
    this.trialAcks++;
    if (kind === 'takeDecision') this.trialDecisions++;
  }

  /** Books a refusal or an unanswered request; returns the data when the request succeeded. */
  settle<T>(mutation: string, outcome: Outcome<T>): T | undefined {
    if (outcome.kind === 'ok') return outcome.data;
    if (outcome.kind === 'unknown') {
      this.trialUnknown++;
      return undefined;
    }
    for (const error of outcome.errors) {
      const code = error.extensions?.code ?? 'NO_CODE';
      const key = `${mutation} ${code}`;
      this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
      if (!EXPECTED_CODES.has(code) && !this.unexpected.has(key)) this.unexpected.set(key, error.message);
    }
    return undefined;
  }
}

/** Codes the races of the workload can cause: a closed meeting, a motion decided twice, a lost revision race. */
const EXPECTED_CODES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'RULE_VIOLATION', 'NOT_FOUND']);

const M = {
  establishBody: 'mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id } }',
  appointMember: 'mutation($input: AppointMemberInput!) { appointMember(input: $input) { person { id } } }',
  scheduleMeeting: 'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
  openMeeting: 'mutation($input: OpenMeetingInput!) { openMeeting(input: $input) { id status } }',
  recordAttendance: 'mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }',
  appointJusterare: 'mutation($input: AppointJusterareInput!) { appointJusterare(input: $input) { id } }',
  raiseMotion: 'mutation($input: RaiseMotionInput!) { raiseMotion(input: $input) { id } }',
  takeDecision: 'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id paragraph } }',
  closeMeeting: 'mutation($input: CloseMeetingInput!) { closeMeeting(input: $input) { id status } }',
  justeraProtocol: 'mutation($input: JusteraProtocolInput!) { justeraProtocol(input: $input) { status } }',
  postAnslag: 'mutation($input: PostAnslagInput!) { postAnslag(input: $input) { status } }',
};

const NAMES = ['Ordförande', 'Ledamot A', 'Ledamot B'];

/** The boards: five seats, three ledamöter (three present make a quorum, R1), the first one the chair. */
export async function establishBoards(gql: GraphQLHttp, ledger: Ledger, count: number): Promise<BoardState[]> {
  const boards: BoardState[] = [];
  for (let b = 0; b < count; b++) {
    const { establishBody } = await gql.ok<{ establishBody: { id: string } }>(M.establishBody, { input: { name: `Nämnd ${b + 1}`, kind: 'NAMND', seats: 5 } });
    const bodyId = establishBody.id;
    ledger.ack('establishBody', `BodyEstablished:${bodyId}`, `body:${bodyId}`);
    const members: string[] = [];
    for (const [i, name] of NAMES.entries()) {
      const { appointMember } = await gql.ok<{ appointMember: { person: { id: string } } }>(M.appointMember, {
        input: { bodyId, personName: `${name} ${b + 1}`, role: 'LEDAMOT', position: i === 0 ? 'ORDFORANDE' : null, from: '2015-01-01' },
      });
      members.push(appointMember.person.id);
      ledger.ack('appointMember', `MemberAppointed:${bodyId}:${appointMember.person.id}`, `member:${bodyId}:${appointMember.person.id}`);
    }
    boards.push({ id: bodyId, chair: members[0], members });
  }
  return boards;
}

/** A meeting can take decisions: open, and every ledamot present. */
export const usable = (meeting: MeetingState, board: BoardState) => meeting.status === 'OPEN' && board.members.every((m) => meeting.present.has(m));

/** The mutations of one board meeting, each booked in the ledger when answered with success. */
export class Actions {
  /** Why the last request of these actions failed: a refusal's code and message, or the transport error. */
  lastFailure = '';

  constructor(
    private readonly gql: GraphQLHttp,
    private readonly world: World,
    private readonly ledger: Ledger,
    private readonly rng: Prng,
  ) {}

  private settle<T>(mutation: string, outcome: Outcome<T>): T | undefined {
    if (outcome.kind === 'refused') this.lastFailure = `${mutation}: ${outcome.errors.map((e) => `${e.extensions?.code ?? '?'} ${e.message}`).join('; ')}`;
    if (outcome.kind === 'unknown') this.lastFailure = `${mutation}: no answer (${outcome.error.message})`;
    return this.ledger.settle(mutation, outcome);
  }

  private board(bodyId: string): BoardState {
    return this.world.boards.find((b) => b.id === bodyId)!;
  }

  /** Kallelse, opening, attendance and justerare; after a crash, finishes a meeting left half-way. */
  async convene(board: BoardState, year: number, existing?: MeetingState): Promise<MeetingState | undefined> {
    let meeting = existing;
    if (!meeting) {
      const start = `${year}-${pad(this.rng.int(2, 11))}-${pad(this.rng.int(1, 28))}T09:00:00+01:00`;
      const data = this.settle('scheduleMeeting', await this.gql.send<{ scheduleMeeting: { id: string } }>(M.scheduleMeeting, {
        input: { bodyId: board.id, start, place: 'Sammanträdesrummet', agenda: [{ title: 'Mötets öppnande' }, { title: 'Ansökningar om medel' }] },
      }));
      if (!data) return undefined;
      const id = data.scheduleMeeting.id;
      this.ledger.ack('scheduleMeeting', `MeetingScheduled:${id}`, `meeting:${id}`);
      meeting = { id, bodyId: board.id, year, start, status: 'SCHEDULED', present: new Set(), justerare: [], justerad: false, anslag: false, decisions: 0, openMotions: [] };
      this.world.meetings.set(id, meeting);
    }
    const meetingId = meeting.id;
    if (meeting.status === 'SCHEDULED') {
      if (!this.settle('openMeeting', await this.gql.send(M.openMeeting, { input: { meetingId, at: meeting.start } }))) return undefined;
      this.ledger.ack('openMeeting', `MeetingOpened:${meetingId}`, `opened:${meetingId}`);
      meeting.status = 'OPEN';
    }
    for (const personId of board.members) {
      if (meeting.present.has(personId)) continue;
      if (!this.settle('recordAttendance', await this.gql.send(M.recordAttendance, { input: { meetingId, personId, role: 'BESLUTANDE' } }))) return undefined;
      this.ledger.ack('recordAttendance', `AttendanceRecorded:${meetingId}:${personId}`, `present:${meetingId}:${personId}`);
      meeting.present.add(personId);
    }
    if (meeting.justerare.length === 0) {
      const personIds = [board.members[1]];
      if (!this.settle('appointJusterare', await this.gql.send(M.appointJusterare, { input: { meetingId, personIds } }))) return undefined;
      this.ledger.ack('appointJusterare', `JusterareAppointed:${meetingId}:${personIds.join(',')}`, `justerare:${meetingId}:${personIds.join(',')}`);
      meeting.justerare = personIds;
    }
    return meeting;
  }

  async raiseMotion(meeting: MeetingState): Promise<string | undefined> {
    const data = this.settle('raiseMotion', await this.gql.send<{ raiseMotion: { id: string } }>(M.raiseMotion, {
      input: { meetingId: meeting.id, title: `Ansökan om medel ${this.rng.int(1, 99999)}`, proposedBy: 'Förbundschefen', clauses: ['att bevilja ansökan'] },
    }));
    if (!data) return undefined;
    const motionId = data.raiseMotion.id;
    this.ledger.ack('raiseMotion', `MotionRaised:${motionId}`, `motion:${motionId}`);
    return motionId;
  }

  /** A paragraph: on its own, on a motion raised for it, or on motions left open; sometimes with a vote and a reservation. */
  async takeDecision(meeting: MeetingState): Promise<number | undefined> {
    const board = this.board(meeting.bodyId);
    let motionIds: string[] | undefined;
    const style = this.rng.next();
    if (style < 0.3) {
      const motionId = await this.raiseMotion(meeting);
      if (!motionId) return undefined;
      motionIds = [motionId];
    } else if (style < 0.45 && meeting.openMotions.length > 0) {
      motionIds = meeting.openMotions.splice(0, this.rng.int(1, 2));
    }
    const voted = this.rng.chance(0.25);
    const decidedAt = new Date(Date.parse(meeting.start) + this.rng.int(1, 480) * 60_000).toISOString();
    const input: Record<string, unknown> = {
      meetingId: meeting.id,
      motionIds,
      // A paragraph on one motion takes its title; on none or several it needs its own.
      title: motionIds?.length === 1 ? undefined : `Ärende ${this.rng.int(1, 99999)}`,
      clauses: motionIds ? ['att bevilja ansökan', 'att uppdra åt förbundschefen att följa upp insatsen'] : [],
      outcome: motionIds ? 'BIFALL' : 'NOTERAD',
      decidedAt,
    };
    if (voted) {
      input.votes = board.members.map((personId, i) => ({ personId, ballot: i === 2 ? 'NEJ' : 'JA' }));
      input.reservations = [{ personId: board.members[2], reason: 'Till förmån för eget förslag' }];
    }
    const data = this.settle('takeDecision', await this.gql.send<{ takeDecision: { id: string; paragraph: number } }>(M.takeDecision, { input }));
    if (!data) return undefined;
    const { id, paragraph } = data.takeDecision;
    this.ledger.ack('takeDecision', `DecisionTaken:${id}:${paragraph}`, `decision:${id}:${paragraph}`);
    meeting.decisions++;
    return paragraph;
  }

  async closeMeeting(meeting: MeetingState): Promise<void> {
    const at = new Date(Date.parse(meeting.start) + 10 * 3600_000).toISOString();
    if (!this.settle('closeMeeting', await this.gql.send(M.closeMeeting, { input: { meetingId: meeting.id, at } }))) return;
    this.ledger.ack('closeMeeting', `MeetingClosed:${meeting.id}`, `closed:${meeting.id}`);
    meeting.status = 'CLOSED';
  }

  /** Justering by the chair and the justerare (R5), a few days after the meeting. */
  async justera(meeting: MeetingState): Promise<void> {
    const board = this.board(meeting.bodyId);
    const input = { meetingId: meeting.id, justeradAt: addDays(meeting.start.slice(0, 10), 3), signatoryIds: [board.chair, ...meeting.justerare] };
    if (!this.settle('justeraProtocol', await this.gql.send(M.justeraProtocol, { input }))) return;
    this.ledger.ack('justeraProtocol', `ProtocolJusterad:${meeting.id}`, `justerad:${meeting.id}`);
    meeting.justerad = true;
  }

  async postAnslag(meeting: MeetingState): Promise<void> {
    const postedAt = addDays(meeting.start.slice(0, 10), 4);
    const input = { meetingId: meeting.id, postedAt, removeAfter: addDays(postedAt, 22), storageLocation: 'Kansliet' };
    if (!this.settle('postAnslag', await this.gql.send(M.postAnslag, { input }))) return;
    this.ledger.ack('postAnslag', `AnslagPosted:${meeting.id}`, `anslag:${meeting.id}`);
    meeting.anslag = true;
  }
}

/**
 * One client of the load: picks what a secretary would do next, mostly decisions, and keeps going until the server
 * is killed. Closing a meeting races the decisions still being taken in it, on purpose.
 */
export async function runClient(actions: Actions, world: World, rng: Prng, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    const meetings = [...world.meetings.values()];
    const boardOf = (m: MeetingState) => world.boards.find((b) => b.id === m.bodyId)!;
    const open = meetings.filter((m) => usable(m, boardOf(m)));
    const r = rng.next();
    if (r < 0.6 || open.length === 0) {
      const meeting = rng.pick(open);
      if (meeting) await actions.takeDecision(meeting);
      else await convene(actions, world, rng);
    } else if (r < 0.68) {
      const meeting = rng.pick(open)!;
      const motionId = await actions.raiseMotion(meeting);
      if (motionId) meeting.openMotions.push(motionId);
    } else if (r < 0.76) {
      await convene(actions, world, rng);
    } else if (r < 0.86) {
      // Close a meeting with a few paragraphs, while another of its body and year stays open for the rest.
      const closable = open.filter((m) => m.decisions >= 3 && open.some((o) => o !== m && o.bodyId === m.bodyId && o.year === m.year));
      const meeting = rng.pick(closable);
      if (meeting) await actions.closeMeeting(meeting);
    } else if (r < 0.95) {
      const meeting = rng.pick(meetings.filter((m) => m.status === 'CLOSED' && !m.justerad && m.justerare.length > 0));
      if (meeting) await actions.justera(meeting);
    } else {
      const meeting = rng.pick(meetings.filter((m) => m.justerad && !m.anslag));
      if (meeting) await actions.postAnslag(meeting);
    }
  }
}

/** A new meeting for a body and year with fewer than four open. */
async function convene(actions: Actions, world: World, rng: Prng): Promise<void> {
  const board = rng.pick(world.boards)!;
  const year = rng.pick(YEARS)!;
  const open = [...world.meetings.values()].filter((m) => m.bodyId === board.id && m.year === year && m.status === 'OPEN');
  if (open.length < 4) await actions.convene(board, year);
}

const pad = (n: number) => String(n).padStart(2, '0');

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
