import type { Decider } from '@kansli/event-store';
import { addDays, Conflict, InvalidInput, isIsoDate, NotFound, RuleViolation, swedishDate } from '@kansli/kernel';
import { substanceChangedIn } from './clause-correction';
import {
  AddAgendaItem,
  AppointJusterare,
  CancelMeeting,
  CloseMeeting,
  CorrectProtocol,
  DeclareJav,
  JusteraProtocol,
  OpenMeeting,
  PostAnslag,
  RaiseMotion,
  RecordAttendance,
  RescheduleMeeting,
  ScheduleMeeting,
  SignProtocol,
  TakeDecision,
  type MeetingCommand,
  type Roster,
  type RosterMember,
} from './meeting.commands';
import {
  APPEAL_DAYS,
  CORRECTABLE_FIELDS,
  SUBSTANCE_FIELDS,
  type AgendaItemData,
  type AttendanceRecorded,
  type CorrectableField,
  type DecisionTaken,
  type MeetingEvent,
  type ProtocolCorrected,
  type SubstituteOutOfOrder,
} from './meeting.events';

type Attendance = AttendanceRecorded['data'];
/** A paragraph's text as it stands, corrections included: what a correction's `from` is checked against. */
type ParagraphText = Pick<DecisionTaken['data'], 'decisionId' | 'title' | 'clauses' | 'decidedAt' | 'reservations'>;

export interface MeetingState {
  meetingId: string | null;
  bodyId: string;
  start: string;
  end: string | null;
  place: string | null;
  status: 'NONE' | 'SCHEDULED' | 'OPEN' | 'CLOSED' | 'CANCELLED';
  cancelledAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  agenda: AgendaItemData[];
  firstParagraph: number | null;
  attendance: Attendance[];
  justerare: string[];
  jav: Array<{ personId: string; motionId: string }>;
  motions: Record<string, { title: string; decidedIn: number | null }>;
  paragraphs: number[];
  minutes: Record<number, ParagraphText>;
  immediatelyJusterade: number[];
  justeradAt: string | null;
  signatures: Array<{ personId: string; signedAt: string }>;
  anslagPostedAt: string | null;
}

const VOTING: ReadonlySet<string> = new Set(['BESLUTANDE', 'TJANSTGORANDE_ERSATTARE']);

type ParagraphRange = { fromParagraph: number | null; toParagraph: number | null };

const covers = (attendance: ParagraphRange, paragraph: number) =>
  (attendance.fromParagraph ?? -Infinity) <= paragraph && paragraph <= (attendance.toParagraph ?? Infinity);

const rangesOverlap = (a: ParagraphRange, b: ParagraphRange) =>
  (a.fromParagraph ?? -Infinity) <= (b.toParagraph ?? Infinity) && (b.fromParagraph ?? -Infinity) <= (a.toParagraph ?? Infinity);

/** Who serves with a vote at a paragraph (R1, R2), leaving out whoever is jävig in it (R3). */
export function servingAt(state: MeetingState, paragraph: number, motionIds: readonly string[]): string[] {
  const javiga = new Set(state.jav.filter((jav) => motionIds.includes(jav.motionId)).map((jav) => jav.personId));
  const serving = state.attendance.filter((a) => VOTING.has(a.role) && covers(a, paragraph) && !javiga.has(a.personId));
  return [...new Set(serving.map((a) => a.personId))];
}

/** The chair who signs the minutes: the ordförande if present, else the vice ordförande who presided (R5). */
export function presidingChair(state: MeetingState, roster: Roster): string | undefined {
  const present = new Set(state.attendance.filter((a) => VOTING.has(a.role)).map((a) => a.personId));
  const chair = roster.members.find((m) => m.position === 'ORDFORANDE');
  const vice = roster.members.find((m) => m.position === 'VICE_ORDFORANDE');
  if (chair && present.has(chair.personId)) return chair.personId;
  if (vice && present.has(vice.personId)) return vice.personId;
  return chair?.personId;
}

function assertNotJusterad(state: MeetingState, what: string): void {
  if (state.justeradAt) throw new RuleViolation('R9', `The minutes were justerade on ${state.justeradAt}: ${what} cannot change any more; record a new decision instead`);
}

function assertNotYetOpened(state: MeetingState, what: string): void {
  if (state.status !== 'SCHEDULED') {
    throw new InvalidInput(`The meeting was opened on ${state.openedAt}: a meeting is ${what} before it opens; what happened at it stays in the minutes`);
  }
}

function assertExists(state: MeetingState, meetingId: string): void {
  if (!state.meetingId) throw new NotFound('Meeting', meetingId);
}

// The meeting from kallelse to anslag: R1 quorum, R2 serving ersättare (in their order: flagged, not refused), R3 jäv, R4 structured votes,
// R5 who justerar, R7 no anslag before justering, R9 nothing changes after justering.
export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  initialState: () => ({
    meetingId: null,
    bodyId: '',
    start: '',
    end: null,
    place: null,
    status: 'NONE',
    cancelledAt: null,
    openedAt: null,
    closedAt: null,
    agenda: [],
    firstParagraph: null,
    attendance: [],
    justerare: [],
    jav: [],
    motions: {},
    paragraphs: [],
    minutes: {},
    immediatelyJusterade: [],
    justeradAt: null,
    signatures: [],
    anslagPostedAt: null,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'MeetingScheduled': {
        const { meetingId, bodyId, start, end, place, agenda } = event.data;
        return { ...state, meetingId, bodyId, start, end, place, status: 'SCHEDULED', agenda };
      }
      case 'MeetingCancelled':
        return { ...state, status: 'CANCELLED', cancelledAt: event.data.at };
      case 'MeetingRescheduled':
        return { ...state, start: event.data.start, end: event.data.end, place: event.data.place };
      case 'AgendaItemAdded': {
        const { meetingId: _meetingId, ...item } = event.data;
        return { ...state, agenda: [...state.agenda, item] };
      }
      case 'MeetingOpened':
        return { ...state, status: 'OPEN', openedAt: event.data.at, firstParagraph: event.data.firstParagraph };
      case 'AttendanceRecorded':
        return { ...state, attendance: [...state.attendance, event.data] };
      case 'JusterareAppointed':
        return { ...state, justerare: event.data.personIds };
      case 'JavDeclared':
        return { ...state, jav: [...state.jav, { personId: event.data.personId, motionId: event.data.motionId }] };
      case 'MeetingClosed':
        return { ...state, status: 'CLOSED', closedAt: event.data.at };
      case 'MotionRaised':
        return { ...state, motions: { ...state.motions, [event.data.motionId]: { title: event.data.title, decidedIn: null } } };
      case 'DecisionTaken': {
        const motions = { ...state.motions };
        for (const id of event.data.motionIds) if (motions[id]) motions[id] = { ...motions[id], decidedIn: event.data.paragraph };
        const { decisionId, title, clauses, decidedAt, reservations } = event.data;
        return {
          ...state,
          motions,
          paragraphs: [...state.paragraphs, event.data.paragraph],
          minutes: { ...state.minutes, [event.data.paragraph]: { decisionId, title, clauses, decidedAt, reservations } },
          immediatelyJusterade: event.data.immediateJustering ? [...state.immediatelyJusterade, event.data.paragraph] : state.immediatelyJusterade,
        };
      }
      case 'ProtocolJusterad':
        return { ...state, justeradAt: event.data.justeradAt };
      case 'ProtocolSigned':
        return { ...state, signatures: [...state.signatures, { personId: event.data.personId, signedAt: event.data.signedAt }] };
      case 'AnslagPosted':
        return { ...state, anslagPostedAt: event.data.postedAt };
      case 'ProtocolCorrected': {
        if (event.data.field === 'justeradAt') return { ...state, justeradAt: event.data.to };
        const text = state.minutes[event.data.paragraph];
        return text ? { ...state, minutes: { ...state.minutes, [event.data.paragraph]: corrected(text, event.data) } } : state;
      }
    }
  },

  decide(command, state) {
    if (command instanceof ScheduleMeeting) {
      if (state.meetingId) throw new Conflict(`The meeting ${command.meetingId} is already scheduled`);
      if (command.end !== null && Date.parse(command.end) < Date.parse(command.start)) {
        throw new InvalidInput(`The meeting cannot end (${command.end}) before it starts (${command.start})`);
      }
      const agenda = command.agenda.map((item, index) => ({ ...item, number: index + 1 }));
      const { meetingId, bodyId, start, end, place } = command;
      return [{ type: 'MeetingScheduled', data: { meetingId, bodyId, start, end, place, agenda } }];
    }
    assertExists(state, command.meetingId);
    const meetingId = command.meetingId;
    if (state.status === 'CANCELLED') {
      throw new InvalidInput(`The meeting was cancelled (${state.cancelledAt}): nothing more is recorded in it; schedule a new meeting instead`);
    }
    if (command instanceof CancelMeeting) {
      assertNotYetOpened(state, 'cancelled');
      if (!command.reason.trim()) throw new InvalidInput('Give the reason the meeting is cancelled');
      return [{ type: 'MeetingCancelled', data: { meetingId, at: command.at, reason: command.reason } }];
    }
    if (command instanceof RescheduleMeeting) return reschedule(command, state);

    if (command instanceof AddAgendaItem) {
      if (state.status === 'CLOSED') throw new InvalidInput('The meeting is closed: its agenda can no longer grow');
      assertNotJusterad(state, 'the agenda');
      return [{ type: 'AgendaItemAdded', data: { meetingId, ...command.item, number: state.agenda.length + 1 } }];
    }
    if (command instanceof OpenMeeting) {
      if (state.status !== 'SCHEDULED') throw new InvalidInput(`The meeting is already ${state.status === 'OPEN' ? 'open' : 'closed'}`);
      if (command.firstParagraph === null || command.firstParagraph < 1) throw new InvalidInput('firstParagraph must be at least 1');
      return [{ type: 'MeetingOpened', data: { meetingId, at: command.at, firstParagraph: command.firstParagraph } }];
    }
    if (command instanceof CloseMeeting) {
      if (state.status !== 'OPEN') throw new InvalidInput(state.status === 'CLOSED' ? 'The meeting is already closed' : 'The meeting has not been opened');
      if (state.openedAt && Date.parse(command.at) < Date.parse(state.openedAt)) {
        throw new InvalidInput(`The meeting cannot close (${command.at}) before it opened (${state.openedAt})`);
      }
      return [{ type: 'MeetingClosed', data: { meetingId, at: command.at } }];
    }
    if (command instanceof RecordAttendance) return recordAttendance(command, state);
    if (command instanceof AppointJusterare) {
      assertNotJusterad(state, 'the justerare');
      if (command.personIds.length === 0) throw new InvalidInput('Appoint at least one justerare');
      if (new Set(command.personIds).size !== command.personIds.length) throw new InvalidInput('The same person is named twice as justerare');
      return [{ type: 'JusterareAppointed', data: { meetingId, personIds: command.personIds } }];
    }
    if (command instanceof DeclareJav) {
      const motion = state.motions[command.motionId];
      if (!motion) throw new NotFound('Motion', command.motionId);
      if (motion.decidedIn !== null) throw new RuleViolation('R3', `The motion was already decided in § ${motion.decidedIn}: jäv must be declared before the decision`);
      if (state.jav.some((jav) => jav.personId === command.personId && jav.motionId === command.motionId)) return [];
      return [{ type: 'JavDeclared', data: { meetingId, personId: command.personId, motionId: command.motionId } }];
    }
    if (command instanceof RaiseMotion) {
      if (state.status === 'CLOSED') throw new InvalidInput('The meeting is closed: raise the motion at a later meeting');
      assertNotJusterad(state, 'the motions');
      if (command.agendaItemId && !state.agenda.some((item) => item.itemId === command.agendaItemId)) {
        throw new NotFound('Agenda item', command.agendaItemId);
      }
      const { motionId, agendaItemId, title, dnr, proposedBy, clauses } = command;
      return [{ type: 'MotionRaised', data: { meetingId, motionId, agendaItemId, title, dnr, proposedBy, clauses } }];
    }
    if (command instanceof TakeDecision) return takeDecision(command, state);
    if (command instanceof CorrectProtocol) return correct(command, state);
    if (command instanceof JusteraProtocol) return justera(command, state);
    if (command instanceof SignProtocol) return sign(command, state);
    return postAnslag(command, state);
  },
};

/** A new time or place for the kallelse; the earlier one stays in the event. Without an end the meeting keeps its length. */
function reschedule(command: RescheduleMeeting, state: MeetingState): MeetingEvent[] {
  assertNotYetOpened(state, 'moved');
  if (!command.reason.trim()) throw new InvalidInput('Give the reason the meeting is moved');
  const { start } = command;
  const length = state.end === null ? null : Date.parse(state.end) - Date.parse(state.start);
  const end = command.end ?? (length === null ? null : offsetLike(start, Date.parse(start) + length));
  const place = command.place ?? state.place;
  if (end !== null && Date.parse(end) < Date.parse(start)) throw new InvalidInput(`The meeting cannot end (${end}) before it starts (${start})`);
  const sameInstant = (a: string | null, b: string | null) => (a === null ? b === null : b !== null && Date.parse(a) === Date.parse(b));
  if (sameInstant(start, state.start) && sameInstant(end, state.end) && place === state.place) {
    throw new InvalidInput('The meeting is already at this time and place: nothing to move');
  }
  const previous = { start: state.start, end: state.end, place: state.place };
  return [{ type: 'MeetingRescheduled', data: { meetingId: command.meetingId, start, end, place, reason: command.reason, previous } }];
}

/** An instant written with the UTC offset of `like` (2018-06-14T15:00:00+02:00, as the kallelse writes its times). */
function offsetLike(like: string, instant: number): string {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(like)?.[1] ?? 'Z';
  const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return new Date(instant + minutes * 60_000).toISOString().slice(0, 19) + offset;
}

function recordAttendance(command: RecordAttendance, state: MeetingState): MeetingEvent[] {
  assertNotJusterad(state, 'the attendance');
  if (state.status === 'SCHEDULED') throw new InvalidInput('Open the meeting before recording attendance');
  const { personId, role, replacingPersonId, fromParagraph, toParagraph } = command;
  if (fromParagraph !== null && toParagraph !== null && toParagraph < fromParagraph) {
    throw new InvalidInput(`toParagraph (${toParagraph}) is before fromParagraph (${fromParagraph})`);
  }
  const first = state.firstParagraph ?? 1;
  for (const bound of [fromParagraph, toParagraph]) {
    if (bound !== null && bound < first) throw new InvalidInput(`§ ${bound} is before this meeting's first paragraph (§ ${first})`);
  }
  const range = { fromParagraph, toParagraph };
  const sealed = state.immediatelyJusterade.find((paragraph) => covers(range, paragraph));
  if (sealed !== undefined) {
    throw new RuleViolation('R9', `§ ${sealed} was justerad immediately at the meeting: its attendance cannot change any more`);
  }
  if (state.attendance.some((a) => a.personId === personId && rangesOverlap(a, range))) {
    throw new InvalidInput('This person is already recorded as present for some of these paragraphs');
  }
  const member = command.roster.members.find((m) => m.personId === personId);
  if (role === 'BESLUTANDE' && member?.role !== 'LEDAMOT') {
    throw new RuleViolation('R2', 'Only a ledamot of the body on the meeting day takes part in decisions; an ersättare serves in place of a named ledamot');
  }
  if (role === 'ERSATTARE' && member?.role !== 'ERSATTARE') throw new InvalidInput('This person is not an ersättare of the body on the meeting day');
  if (role === 'TJANSTGORANDE_ERSATTARE') {
    if (member?.role !== 'ERSATTARE') throw new RuleViolation('R2', 'Only an ersättare of the body can serve in place of a ledamot');
    if (!replacingPersonId) throw new RuleViolation('R2', 'A tjänstgörande ersättare serves in place of a named ledamot: give replacingPersonId');
    const replaced = command.roster.members.find((m) => m.personId === replacingPersonId);
    if (replaced?.role !== 'LEDAMOT') throw new RuleViolation('R2', 'The person replaced is not a ledamot of the body on the meeting day');
    const clash = state.attendance.some(
      (a) => VOTING.has(a.role) && rangesOverlap(a, range) && (a.personId === replacingPersonId || a.replacingPersonId === replacingPersonId),
    );
    if (clash) throw new RuleViolation('R2', 'The ledamot replaced is present, or already replaced, for some of these paragraphs');
  } else if (replacingPersonId) {
    throw new InvalidInput('Only a tjänstgörande ersättare replaces someone');
  }
  if (role === 'BESLUTANDE') {
    const replacedThen = state.attendance.some((a) => a.replacingPersonId === personId && rangesOverlap(a, range));
    if (replacedThen) throw new RuleViolation('R2', 'An ersättare already serves in place of this ledamot for some of these paragraphs');
  }
  const recorded: Attendance = { meetingId: command.meetingId, personId, role, replacingPersonId, fromParagraph, toParagraph };
  const outOfOrder = substitutesOutOfOrder(state, command.roster, recorded);
  return [{ type: 'AttendanceRecorded', data: outOfOrder.length > 0 ? { ...recorded, outOfOrder } : recorded }];
}

/**
 * R2, the order of ersättare. An absent ledamot's place goes to the first *available* ersättare in the order
 * (`substituteOrder`, 1 first; an ersättare without a place comes after those with one) among the ersättare of
 * the ledamot's party, or of the member organisation it represents when it has no party (the body's ersättare
 * all together when it has neither). Available: recorded in the attendance as present, as a non-serving
 * ersättare, for every paragraph the other one serves, and so not already serving in anyone's place then. An
 * ersättare who arrives during those paragraphs was not available when the service began. When none of the
 * ledamot's own ersättare is available, the order is exhausted and any ersättare may serve.
 * Reality wins: an ersättare who served out of order is recorded, with who should have been called, whichever of
 * the two was recorded first; the protocol's findings report it.
 */
function substitutesOutOfOrder(state: MeetingState, roster: Roster, recorded: Attendance): SubstituteOutOfOrder[] {
  if (recorded.role === 'TJANSTGORANDE_ERSATTARE') {
    const passedOver = calledBefore(state, roster, recorded);
    return passedOver ? [passedOver] : [];
  }
  if (recorded.role !== 'ERSATTARE') return [];
  const after = { ...state, attendance: [...state.attendance, recorded] };
  const flagged = state.attendance.flatMap((a) => a.outOfOrder ?? []);
  return state.attendance
    .filter((a) => a.role === 'TJANSTGORANDE_ERSATTARE' && !flagged.some((f) => sameService(f, a)))
    .map((serving) => calledBefore(after, roster, serving))
    .filter((passedOver): passedOver is SubstituteOutOfOrder => passedOver?.expectedPersonId === recorded.personId);
}

const placeInOrder = (member: RosterMember) => member.substituteOrder ?? Infinity;

/** Whose ersättare stand in for a ledamot: its party's, else its member organisation's, else the body's. */
function orderOf(ledamot: RosterMember | undefined): { name: string | null; includes: (ersattare: RosterMember) => boolean } {
  if (ledamot?.party) return { name: ledamot.party, includes: (ersattare) => ersattare.party === ledamot.party };
  if (ledamot?.representing) return { name: ledamot.representing, includes: (ersattare) => ersattare.representing === ledamot.representing };
  return { name: null, includes: () => true };
}

/**
 * Present as a non-serving ersättare for every paragraph of the range. A person has one attendance record per
 * paragraph, so this also means serving in nobody's place then.
 */
function available(state: MeetingState, personId: string, range: ParagraphRange): boolean {
  const present = state.attendance.filter((a) => a.personId === personId && a.role === 'ERSATTARE');
  const last = range.toParagraph ?? Infinity;
  for (let next = range.fromParagraph ?? -Infinity; ; ) {
    const record = present.find((a) => covers(a, next));
    if (!record) return false;
    if ((record.toParagraph ?? Infinity) >= last) return true;
    next = record.toParagraph! + 1;
  }
}

/** The ersättare who should have served instead of `serving`, when the order was not kept. */
function calledBefore(state: MeetingState, roster: Roster, serving: Attendance): SubstituteOutOfOrder | undefined {
  const order = orderOf(roster.members.find((m) => m.personId === serving.replacingPersonId));
  const line = roster.members.filter((m) => m.role === 'ERSATTARE' && order.includes(m));
  const first = line
    .filter((m) => m.personId !== serving.personId && available(state, m.personId, serving))
    .sort((a, b) => Math.sign(placeInOrder(a) - placeInOrder(b) || 0))[0];
  if (!first) return undefined;
  const own = line.find((m) => m.personId === serving.personId);
  if (own && placeInOrder(own) <= placeInOrder(first)) return undefined;
  const { personId: servingPersonId, replacingPersonId, fromParagraph, toParagraph } = serving;
  return { servingPersonId, replacingPersonId: replacingPersonId!, expectedPersonId: first.personId, fromParagraph, toParagraph, orderOf: order.name };
}

const sameService = (flagged: SubstituteOutOfOrder, a: Attendance) =>
  flagged.servingPersonId === a.personId && flagged.replacingPersonId === a.replacingPersonId && flagged.fromParagraph === a.fromParagraph && flagged.toParagraph === a.toParagraph;

function takeDecision(command: TakeDecision, state: MeetingState): MeetingEvent[] {
  assertNotJusterad(state, 'the decisions');
  if (state.status !== 'OPEN') throw new InvalidInput(state.status === 'CLOSED' ? 'The meeting is closed: decisions are taken at an open meeting' : 'Open the meeting before taking decisions');
  const paragraph = command.paragraph;
  if (state.paragraphs.includes(paragraph) || paragraph < (state.firstParagraph ?? 1)) {
    throw new Conflict(`§ ${paragraph} cannot be used in this meeting`);
  }
  if (new Set(command.motionIds).size !== command.motionIds.length) throw new InvalidInput('The same motion is named twice');
  for (const motionId of command.motionIds) {
    const motion = state.motions[motionId];
    if (!motion) throw new NotFound('Motion', motionId);
    if (motion.decidedIn !== null) throw new InvalidInput(`The motion "${motion.title}" was already decided in § ${motion.decidedIn}`);
  }
  const title = command.title ?? (command.motionIds.length === 1 ? state.motions[command.motionIds[0]].title : null);
  if (!title) throw new InvalidInput('Give the paragraph a title (it decides no single motion whose title it could take)');
  if (state.openedAt && Date.parse(command.decidedAt) < Date.parse(state.openedAt)) {
    throw new InvalidInput(`A decision (${command.decidedAt}) cannot be taken before the meeting opened (${state.openedAt})`);
  }

  const serving = servingAt(state, paragraph, command.motionIds);
  if (serving.length * 2 <= command.roster.seats) {
    throw new RuleViolation('R1', `No quorum at § ${paragraph}: ${serving.length} of ${command.roster.seats} seats serve, more than half are needed`);
  }
  const javiga = new Set(state.jav.filter((jav) => command.motionIds.includes(jav.motionId)).map((jav) => jav.personId));
  const voters = new Set<string>();
  for (const { personId } of command.votes) {
    if (voters.has(personId)) throw new InvalidInput('A member has two ballots in one vote');
    voters.add(personId);
    if (javiga.has(personId)) throw new RuleViolation('R3', `A jävig member cannot vote in § ${paragraph}`);
    if (!serving.includes(personId)) throw new RuleViolation('R4', `Only members serving at § ${paragraph} vote; a ballot came from someone who does not`);
  }
  for (const { personId } of command.reservations) {
    if (!serving.includes(personId)) throw new RuleViolation('R4', `Only members who took part in § ${paragraph} can enter a reservation`);
  }
  const { meetingId, decisionId, motionIds, clauses, outcome, decidedAt, votes, reservations, immediateJustering } = command;
  return [
    {
      type: 'DecisionTaken',
      data: { meetingId, bodyId: state.bodyId, decisionId, paragraph, motionIds, title, clauses, outcome, decidedAt, votes, reservations, serving, immediateJustering },
    },
  ];
}

/** Who must justera (R5): the presiding chair and every appointed justerare. Checks the minutes can be justerade on `date`. */
function requiredSignatories(state: MeetingState, roster: Roster, date: string, what: string): Set<string> {
  if (state.justeradAt) throw new RuleViolation('R9', `The minutes were already justerade on ${state.justeradAt}`);
  if (state.status === 'SCHEDULED') throw new InvalidInput('The meeting has not been held: there are no minutes to justera');
  const meetingDay = swedishDate(state.start);
  if (date < meetingDay) throw new InvalidInput(`The minutes cannot be ${what} (${date}) before the meeting was held (${meetingDay})`);
  if (state.justerare.length === 0) throw new RuleViolation('R5', 'No justerare has been appointed for this meeting');
  const chair = presidingChair(state, roster);
  return new Set([...(chair ? [chair] : []), ...state.justerare]);
}

function sign(command: SignProtocol, state: MeetingState): MeetingEvent[] {
  const required = requiredSignatories(state, command.roster, command.signedAt, 'signed');
  if (!required.has(command.personId)) throw new RuleViolation('R5', 'Only the chair and the appointed justerare sign the minutes');
  if (state.signatures.some((signature) => signature.personId === command.personId)) return [];
  const { meetingId, personId, signedAt } = command;
  const signatures = [...state.signatures, { personId, signedAt }];
  const events: MeetingEvent[] = [{ type: 'ProtocolSigned', data: { meetingId, personId, signedAt } }];
  if ([...required].every((id) => signatures.some((signature) => signature.personId === id))) {
    const justeradAt = signatures.map((signature) => signature.signedAt).sort().at(-1)!;
    events.push({ type: 'ProtocolJusterad', data: { meetingId, justeradAt, signatoryIds: signatures.map((s) => s.personId), signatures } });
  }
  return events;
}

function justera(command: JusteraProtocol, state: MeetingState): MeetingEvent[] {
  const required = requiredSignatories(state, command.roster, command.justeradAt, 'justerade');
  const signed = new Set(command.signatoryIds);
  const strangers = [...signed].filter((id) => !required.has(id));
  if (strangers.length > 0) throw new RuleViolation('R5', 'Only the chair and the appointed justerare justera the minutes; someone else signed');
  const missing = [...required].filter((id) => !signed.has(id));
  if (missing.length > 0) throw new RuleViolation('R5', `The chair and every appointed justerare must sign; ${missing.length} signature(s) missing`);
  const signatures = command.signatoryIds.map((personId) => ({ personId, signedAt: command.justeradAt }));
  return [{ type: 'ProtocolJusterad', data: { meetingId: command.meetingId, justeradAt: command.justeradAt, signatoryIds: command.signatoryIds, signatures } }];
}

function postAnslag(command: PostAnslag, state: MeetingState): MeetingEvent[] {
  if (!state.justeradAt) throw new RuleViolation('R7', 'The minutes are not justerade yet: the anslag is posted after justering');
  if (command.postedAt < state.justeradAt) {
    throw new RuleViolation('R7', `The anslag (${command.postedAt}) cannot be posted before the minutes were justerade (${state.justeradAt})`);
  }
  if (state.anslagPostedAt) throw new Conflict(`The anslag was already posted on ${state.anslagPostedAt}`);
  if (command.removeAfter < command.postedAt) {
    throw new InvalidInput(`The notice cannot come down (${command.removeAfter}) before it is posted (${command.postedAt})`);
  }
  const { meetingId, postedAt, removeAfter, storageLocation } = command;
  return [{ type: 'AnslagPosted', data: { meetingId, postedAt, removeAfter, storageLocation, appealDeadline: addDays(postedAt, APPEAL_DAYS) } }];
}

/** The paragraph's text with a correction applied (the same change the read model makes). */
function corrected(text: ParagraphText, correction: ProtocolCorrected['data']): ParagraphText {
  const { field, to, index } = correction;
  switch (field) {
    case 'title':
      return { ...text, title: to };
    case 'clauses':
      return { ...text, clauses: text.clauses.map((clause, i) => (i === index ? to : clause)) };
    case 'decidedAt':
      return { ...text, decidedAt: to };
    case 'reservations':
      return { ...text, reservations: text.reservations.map((reservation, i) => (i === index ? { ...reservation, reason: to } : reservation)) };
    case 'justeradAt':
      return text;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const isDateTime = (value: string) => DATE_TIME.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));

/**
 * R9: justerade minutes are never edited; a correction is a new event that leaves the original as it was. Only
 * the form can be corrected (see clause-correction.ts for where form ends in an att-clause); the outcome, the
 * votes, the motions decided and who took part are the decision itself and take a new decision. A correction of
 * the justering date is a justering again: the chair and every appointed justerare sign it (R5, on paper:
 * `signatoryIds`). Before justering there is nothing to correct: the minutes are still a draft.
 */
function correct(command: CorrectProtocol, state: MeetingState): MeetingEvent[] {
  const field = command.field.trim();
  const { paragraph, from, to } = command;
  if ((SUBSTANCE_FIELDS as readonly string[]).includes(field)) {
    throw new RuleViolation('R9', `"${field}" is what § ${paragraph} decided: a correction puts right only how the minutes are written; a different ${field} takes a new decision at a later meeting`);
  }
  if (!(CORRECTABLE_FIELDS as readonly string[]).includes(field)) {
    throw new InvalidInput(`field must be one of ${CORRECTABLE_FIELDS.join(', ')} (or, refused as substance, ${SUBSTANCE_FIELDS.join(', ')}); got "${field}"`);
  }
  const text = state.minutes[paragraph];
  if (!text) throw new InvalidInput(`§ ${paragraph} is not a paragraph of this meeting${state.paragraphs.length ? ` (§ ${Math.min(...state.paragraphs)}–${Math.max(...state.paragraphs)})` : ''}`);
  const justeradOn = state.justeradAt ?? (state.immediatelyJusterade.includes(paragraph) ? swedishDate(text.decidedAt) : null);
  if (!justeradOn || (field === 'justeradAt' && !state.justeradAt)) {
    throw new InvalidInput(`The minutes are not justerade yet: a correction is recorded only after justering (R9); until then the draft is put right before the chair and the justerare sign it`);
  }
  if (!command.reason.trim()) throw new InvalidInput('Give the reason for the correction');
  if (from === to) throw new InvalidInput('from and to are the same: there is nothing to correct');
  if (command.correctedAt < justeradOn) throw new InvalidInput(`A correction (${command.correctedAt}) cannot be dated before the minutes were justerade (${justeradOn})`);
  if (command.decisionId !== null) {
    if (command.decisionBodyId !== state.bodyId) throw new InvalidInput('decisionId must be a decision of the same body as the minutes it corrects');
    if (command.decisionId === text.decisionId) throw new InvalidInput(`§ ${paragraph} cannot be corrected by its own decision: name the later decision that corrected it`);
  }
  const signatoryIds = [...new Set(command.signatoryIds)];
  if (signatoryIds.length > 0 || field === 'justeradAt') assertSignedAgain(state, command.roster, signatoryIds, field);
  const index = correctedPart(field as CorrectableField, command, text, state);
  const { meetingId, reason, correctedAt, decisionId } = command;
  return [
    {
      type: 'ProtocolCorrected',
      data: { meetingId, bodyId: state.bodyId, paragraph, correctedDecisionId: text.decisionId, field: field as CorrectableField, from, to, index, reason, correctedAt, decisionId, signatoryIds },
    },
  ];
}

/** The chair and every appointed justerare sign a correction again, and no one else (R5). */
function assertSignedAgain(state: MeetingState, roster: Roster, signatoryIds: string[], field: string): void {
  const chair = presidingChair(state, roster);
  const required = new Set([...(chair ? [chair] : []), ...state.justerare]);
  const missing = [...required].filter((id) => !signatoryIds.includes(id));
  const strangers = signatoryIds.filter((id) => !required.has(id));
  if (strangers.length > 0) throw new RuleViolation('R5', 'Only the chair and the appointed justerare sign a correction of the minutes; someone else is named in signatoryIds');
  if (missing.length > 0) {
    const why = field === 'justeradAt' ? 'A correction of the justering is a justering again: ' : '';
    throw new RuleViolation('R5', `${why}the chair and every appointed justerare sign it; ${missing.length} signature(s) missing in signatoryIds`);
  }
}

/** Checks `from` against the text as it stands and `to` against what the field may hold; the clause or reservation corrected. */
function correctedPart(field: CorrectableField, command: CorrectProtocol, text: ParagraphText, state: MeetingState): number | null {
  const { paragraph, from, to } = command;
  const standsAs = (what: string, now: string) => new InvalidInput(`from must be § ${paragraph}'s ${what} as it stands now, word for word: "${now}"`);
  switch (field) {
    case 'title':
      if (from !== text.title) throw standsAs('title', text.title);
      if (!to.trim()) throw new InvalidInput('A title cannot be corrected to nothing');
      return null;
    case 'clauses': {
      const index = text.clauses.indexOf(from);
      if (index < 0) throw new InvalidInput(`from must be one of § ${paragraph}'s att-clauses as it stands now, word for word (it has ${text.clauses.length})`);
      const substance = substanceChangedIn(from, to);
      if (substance) {
        throw new RuleViolation(
          'R9',
          `This is not a correction of § ${paragraph}'s wording: ${substance}. A correction of justerade minutes puts right a date, the spelling of a name or word, or a reference (§, dnr, bilaga); a change of what was decided takes a new decision at a later meeting`,
        );
      }
      return index;
    }
    case 'decidedAt': {
      if (Date.parse(from) !== Date.parse(text.decidedAt)) throw standsAs('decidedAt', text.decidedAt);
      if (!isDateTime(to)) throw new InvalidInput(`to must be a date and time with offset, e.g. 2018-06-14T10:00:00+02:00; got "${to}"`);
      if (state.openedAt && Date.parse(to) < Date.parse(state.openedAt)) throw new InvalidInput(`A decision (${to}) cannot be taken before the meeting opened (${state.openedAt})`);
      if (state.closedAt && Date.parse(to) > Date.parse(state.closedAt)) throw new InvalidInput(`A decision (${to}) cannot be taken after the meeting closed (${state.closedAt})`);
      return null;
    }
    case 'reservations': {
      const index = text.reservations.findIndex((reservation) => reservation.reason === from);
      if (index < 0) throw new InvalidInput(`from must be the reason of one of § ${paragraph}'s reservations as it stands now, word for word`);
      if (!to.trim()) throw new InvalidInput('A reservation\'s reason cannot be corrected to nothing');
      return index;
    }
    case 'justeradAt': {
      if (from !== state.justeradAt) throw new InvalidInput(`from must be the justering date as it stands now: ${state.justeradAt}`);
      if (!isIsoDate(to)) throw new InvalidInput(`to must be a date YYYY-MM-DD; got "${to}"`);
      const meetingDay = swedishDate(state.start);
      if (to < meetingDay) throw new InvalidInput(`The minutes cannot be justerade (${to}) before the meeting was held (${meetingDay})`);
      if (state.anslagPostedAt && to > state.anslagPostedAt) {
        throw new RuleViolation('R7', `The anslag was posted on ${state.anslagPostedAt}: the minutes cannot have been justerade after it (${to})`);
      }
      return null;
    }
  }
}
