import type { CommandContext } from '@kansli/event-store';
import type { AgendaItemData, AttendanceRole, Ballot, DecisionOutcome } from './meeting.events';

/** The body's members on the meeting's date: facts from the bodies context, carried into the command. */
export interface Roster {
  seats: number;
  members: RosterMember[];
}
export interface RosterMember {
  personId: string;
  role: 'LEDAMOT' | 'ERSATTARE';
  position: 'ORDFORANDE' | 'VICE_ORDFORANDE' | null;
  /** R2: an ersättare stands in for the ledamöter of the same party, else of the same member organisation. */
  party?: string | null;
  representing?: string | null;
  /** R2: the place in the order in which ersättare are called (1 first; none: after those with a place). */
  substituteOrder?: number | null;
}

export class ScheduleMeeting {
  constructor(
    readonly meetingId: string,
    readonly bodyId: string,
    readonly start: string,
    readonly end: string | null,
    readonly place: string | null,
    readonly agenda: Array<Omit<AgendaItemData, 'number'>>,
    readonly context: CommandContext,
  ) {}
}

/** Withdraws the kallelse of a meeting that has not opened. */
export class CancelMeeting {
  constructor(
    readonly meetingId: string,
    readonly at: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

/** Moves a meeting that has not opened to another time or place. */
export class RescheduleMeeting {
  constructor(
    readonly meetingId: string,
    readonly start: string,
    /** null: the meeting keeps its length (or stays without an end). */
    readonly end: string | null,
    /** null: the same place. */
    readonly place: string | null,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

export class AddAgendaItem {
  constructor(
    readonly meetingId: string,
    readonly item: Omit<AgendaItemData, 'number'>,
    readonly context: CommandContext,
  ) {}
}

export class OpenMeeting {
  constructor(
    readonly meetingId: string,
    readonly at: string,
    /** Where the body's paragraph series stands; given to continue an imported series. */
    readonly firstParagraph: number | null,
    readonly context: CommandContext,
  ) {}
}

export class RecordAttendance {
  constructor(
    readonly meetingId: string,
    readonly personId: string,
    readonly role: AttendanceRole,
    readonly replacingPersonId: string | null,
    readonly fromParagraph: number | null,
    readonly toParagraph: number | null,
    readonly context: CommandContext,
    readonly roster: Roster = { seats: 0, members: [] },
  ) {}
}

export class AppointJusterare {
  constructor(
    readonly meetingId: string,
    readonly personIds: string[],
    readonly context: CommandContext,
  ) {}
}

export class DeclareJav {
  constructor(
    readonly meetingId: string,
    readonly personId: string,
    readonly motionId: string,
    readonly context: CommandContext,
  ) {}
}

export class CloseMeeting {
  constructor(
    readonly meetingId: string,
    readonly at: string,
    readonly context: CommandContext,
  ) {}
}

export class RaiseMotion {
  constructor(
    readonly meetingId: string,
    readonly motionId: string,
    readonly agendaItemId: string | null,
    readonly title: string,
    readonly dnr: string | null,
    readonly proposedBy: string,
    readonly clauses: string[],
    readonly context: CommandContext,
  ) {}
}

export class TakeDecision {
  constructor(
    readonly meetingId: string,
    readonly decisionId: string,
    readonly motionIds: string[],
    readonly title: string | null,
    readonly clauses: string[],
    readonly outcome: DecisionOutcome,
    readonly decidedAt: string,
    readonly votes: Array<{ personId: string; ballot: Ballot }>,
    readonly reservations: Array<{ personId: string; reason: string | null }>,
    readonly immediateJustering: boolean,
    readonly context: CommandContext,
    /** The paragraph number reserved in the body's register for this decision. */
    readonly paragraph: number = 0,
    readonly roster: Roster = { seats: 0, members: [] },
  ) {}

  /** The same decision with its reserved paragraph number and the roster of the meeting's date. */
  resolved(paragraph: number, roster: Roster): TakeDecision {
    return Object.assign(Object.create(TakeDecision.prototype) as TakeDecision, this, { paragraph, roster });
  }
}

export class JusteraProtocol {
  constructor(
    readonly meetingId: string,
    readonly justeradAt: string,
    readonly signatoryIds: string[],
    readonly context: CommandContext,
    readonly roster: Roster = { seats: 0, members: [] },
  ) {}
}

/** Digital justering: the signer is the person named in their own token. */
export class SignProtocol {
  constructor(
    readonly meetingId: string,
    readonly personId: string,
    readonly signedAt: string,
    readonly context: CommandContext,
    readonly roster: Roster = { seats: 0, members: [] },
  ) {}
}

export class PostAnslag {
  constructor(
    readonly meetingId: string,
    readonly postedAt: string,
    readonly removeAfter: string,
    readonly storageLocation: string,
    readonly context: CommandContext,
  ) {}
}

/** A correction of justerade minutes (R9); the handler adds the correcting decision's body and the roster. */
export class CorrectProtocol {
  constructor(
    readonly meetingId: string,
    readonly paragraph: number,
    readonly field: string,
    readonly from: string,
    readonly to: string,
    readonly reason: string,
    readonly correctedAt: string,
    readonly decisionId: string | null,
    readonly signatoryIds: string[],
    readonly context: CommandContext,
    /** The body whose decision `decisionId` is (null without one). */
    readonly decisionBodyId: string | null = null,
    readonly roster: Roster = { seats: 0, members: [] },
  ) {}
}

export type MeetingCommand =
  | ScheduleMeeting
  | CancelMeeting
  | RescheduleMeeting
  | AddAgendaItem
  | OpenMeeting
  | RecordAttendance
  | AppointJusterare
  | DeclareJav
  | CloseMeeting
  | RaiseMotion
  | TakeDecision
  | JusteraProtocol
  | SignProtocol
  | PostAnslag
  | CorrectProtocol;

/** A copy of a command carrying the roster of the meeting's date (the handler looks it up). */
export function withRoster<C extends RecordAttendance | JusteraProtocol | SignProtocol | CorrectProtocol>(command: C, roster: Roster): C {
  return Object.assign(Object.create(Object.getPrototypeOf(command) as object) as C, command, { roster });
}
