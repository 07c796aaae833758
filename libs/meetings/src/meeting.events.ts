import type { DomainEvent } from '@kansli/event-store';

export type AttendanceRole = 'BESLUTANDE' | 'TJANSTGORANDE_ERSATTARE' | 'ERSATTARE' | 'TJANSTEMAN' | 'OVRIG';
export type DecisionOutcome = 'BIFALL' | 'AVSLAG' | 'NOTERAD' | 'ATERREMISS' | 'BORDLAGD';
export type Ballot = 'JA' | 'NEJ' | 'AVSTAR';

export type AgendaItemData = {
  itemId: string;
  number: number;
  title: string;
  dnr: string | null;
  proposal: string[];
};

export type MeetingScheduled = DomainEvent<
  'MeetingScheduled',
  { meetingId: string; bodyId: string; start: string; end: string | null; place: string | null; agenda: AgendaItemData[] }
>;
/** The kallelse withdrawn: the meeting will not be held. Only before it opens. */
export type MeetingCancelled = DomainEvent<'MeetingCancelled', { meetingId: string; at: string; reason: string }>;
/** The meeting moved to another time or place before it opened; `previous` keeps what the earlier kallelse said. */
export type MeetingRescheduled = DomainEvent<
  'MeetingRescheduled',
  {
    meetingId: string;
    start: string;
    end: string | null;
    place: string | null;
    reason: string;
    previous: { start: string; end: string | null; place: string | null };
  }
>;
export type AgendaItemAdded = DomainEvent<'AgendaItemAdded', { meetingId: string } & AgendaItemData>;
export type MeetingOpened = DomainEvent<'MeetingOpened', { meetingId: string; at: string; firstParagraph: number }>;
export type AttendanceRecorded = DomainEvent<
  'AttendanceRecorded',
  {
    meetingId: string;
    personId: string;
    role: AttendanceRole;
    replacingPersonId: string | null;
    /** null: from the first paragraph. */
    fromParagraph: number | null;
    /** null: to the last paragraph. */
    toParagraph: number | null;
    /**
     * R2: ersättare served out of the set order, found when this attendance was recorded (the record of the
     * ersättare serving, or of the ersättare present who should have been called). Absent (all events before
     * it existed, and every record that breaks no order): in order.
     */
    outOfOrder?: SubstituteOutOfOrder[];
  }
>;
/** An ersättare who served (R2) while another, present and before them in the order, was not called. */
export type SubstituteOutOfOrder = {
  servingPersonId: string;
  replacingPersonId: string;
  /** The first available ersättare in the order: the one who should have been called. */
  expectedPersonId: string;
  fromParagraph: number | null;
  toParagraph: number | null;
  /** Whose order it was: the ledamot's party or member organisation (null: the body's one order of ersättare). */
  orderOf: string | null;
};
export type JusterareAppointed = DomainEvent<'JusterareAppointed', { meetingId: string; personIds: string[] }>;
export type JavDeclared = DomainEvent<'JavDeclared', { meetingId: string; personId: string; motionId: string }>;
export type MeetingClosed = DomainEvent<'MeetingClosed', { meetingId: string; at: string }>;
export type MotionRaised = DomainEvent<
  'MotionRaised',
  { meetingId: string; motionId: string; agendaItemId: string | null; title: string; dnr: string | null; proposedBy: string; clauses: string[] }
>;
export type DecisionTaken = DomainEvent<
  'DecisionTaken',
  {
    meetingId: string;
    bodyId: string;
    decisionId: string;
    paragraph: number;
    motionIds: string[];
    title: string;
    clauses: string[];
    outcome: DecisionOutcome;
    decidedAt: string;
    votes: Array<{ personId: string; ballot: Ballot }>;
    reservations: Array<{ personId: string; reason: string | null }>;
    /** Who served (voting members, R1–R3) when the paragraph was decided: the quorum the decision stood on. */
    serving: string[];
    immediateJustering: boolean;
  }
>;
export type ProtocolJusterad = DomainEvent<
  'ProtocolJusterad',
  { meetingId: string; justeradAt: string; signatoryIds: string[]; signatures: Array<{ personId: string; signedAt: string }> }
>;
/** One signature of a digital justering (R5); the last one needed also justerar the minutes. */
export type ProtocolSigned = DomainEvent<'ProtocolSigned', { meetingId: string; personId: string; signedAt: string }>;
export type AnslagPosted = DomainEvent<
  'AnslagPosted',
  { meetingId: string; postedAt: string; removeAfter: string; storageLocation: string; appealDeadline: string }
>;

/**
 * A correction of justerade minutes (R9): the original events stay as they were; this one says what one field of
 * one paragraph (or of the justering) read, what it should read, why, when, and on whose authority (a later
 * decision, or the chair and justerare signing again).
 */
export type ProtocolCorrected = DomainEvent<
  'ProtocolCorrected',
  {
    meetingId: string;
    bodyId: string;
    paragraph: number;
    /** The decision of the corrected paragraph. */
    correctedDecisionId: string;
    field: CorrectableField;
    from: string;
    to: string;
    /** Which att-clause or reservation (0 first) for `clauses` and `reservations`; null for the other fields. */
    index: number | null;
    reason: string;
    correctedAt: string;
    /** The decision that made the correction, if a later meeting decided it. */
    decisionId: string | null;
    /** Who signed the correction (the chair and every justerare: required for `justeradAt`). */
    signatoryIds: string[];
  }
>;
/** The fields of the minutes a correction may touch: their form, never what was decided. */
export const CORRECTABLE_FIELDS = ['title', 'clauses', 'decidedAt', 'reservations', 'justeradAt'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];
/** What the board decided, and who took part: changed only by a new decision (R9). */
export const SUBSTANCE_FIELDS = ['outcome', 'votes', 'motions', 'attendance', 'serving', 'paragraph'] as const;

export type MeetingEvent =
  | MeetingScheduled
  | MeetingCancelled
  | MeetingRescheduled
  | AgendaItemAdded
  | MeetingOpened
  | AttendanceRecorded
  | JusterareAppointed
  | JavDeclared
  | MeetingClosed
  | MotionRaised
  | DecisionTaken
  | ProtocolJusterad
  | ProtocolSigned
  | AnslagPosted
  | ProtocolCorrected;

/** Paragraph numbers run per body per calendar year, across meetings: one register per body and year. */
export type ParagraphNumberAssigned = DomainEvent<
  'ParagraphNumberAssigned',
  { bodyId: string; year: number; number: number; meetingId: string; decisionId: string }
>;
export type ParagraphSeriesContinued = DomainEvent<
  'ParagraphSeriesContinued',
  { bodyId: string; year: number; next: number; meetingId: string }
>;
export type ParagraphRegisterEvent = ParagraphNumberAssigned | ParagraphSeriesContinued;

export const meetingStream = (meetingId: string) => `meeting-${meetingId}`;
export const paragraphRegisterStream = (bodyId: string, year: number) => `paragraphs-${bodyId}-${year}`;

/** The appeal period runs three weeks from the day of posting (KL 13:5, R8). */
export const APPEAL_DAYS = 21;
/** Justering no later than 14 days after the meeting (R6). */
export const JUSTERING_DAYS = 14;
/** Anslag no later than the second day after justering (KL 8:12, R7). */
export const ANSLAG_DAYS = 2;
