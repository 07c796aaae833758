import { statement } from '@kansli/projections';
import type Database from 'better-sqlite3';
import { swedishDate } from '@kansli/kernel';
import type { AttendanceRole, DecisionOutcome, DecisionTaken, SubstituteOutOfOrder } from './meeting.events';
import { protocolFindings, substituteOrderFindings, type Finding } from './protocol.findings';

export interface MeetingView {
  id: string;
  bodyId: string;
  start: string;
  end: string | null;
  place: string | null;
  status: 'SCHEDULED' | 'OPEN' | 'CLOSED' | 'CANCELLED';
  firstParagraph: number | null;
  justerareIds: string[];
  justeradAt: string | null;
  signatoryIds: string[];
  anslag: { postedAt: string; removeAfter: string; storageLocation: string; appealDeadline: string } | null;
}
export interface CancellationView { at: string; reason: string }
export interface ReschedulingView {
  rescheduledAt: string;
  reason: string;
  previousStart: string;
  previousEnd: string | null;
  previousPlace: string | null;
  start: string;
  end: string | null;
  place: string | null;
}
/** A correction of justerade minutes (R9): one field of one paragraph, from → to. */
export interface ProtocolCorrectionView {
  meetingId: string;
  paragraph: number;
  correctedDecisionId: string;
  field: string;
  from: string;
  to: string;
  reason: string;
  correctedAt: string;
  decisionId: string | null;
  signatoryIds: string[];
}
export interface AgendaItemView { id: string; meetingId: string; number: number; title: string; dnr: string | null; proposal: string[] }
export interface AttendanceView { personId: string; role: AttendanceRole; replacingPersonId: string | null; fromParagraph: number | null; toParagraph: number | null }
export interface MotionView { id: string; meetingId: string; agendaItemId: string | null; title: string; dnr: string | null; proposedBy: string; clauses: string[]; status: 'RAISED' | 'DECIDED' | 'WITHDRAWN'; decisionId: string | null }
/** A paragraph as its DecisionTaken event states it, with the corrections of its form since (R9). */
export type DecisionView = Omit<DecisionTaken['data'], 'decisionId' | 'serving'> & { id: string };
/** subjectId: who broke the rule when it is a person (R2: the ersättare who served out of order). */
export interface MeetingFinding extends Finding { meetingId: string; subjectId: string | null }

interface MeetingRow {
  id: string; body_id: string; start: string; end: string | null; place: string | null; status: MeetingView['status'];
  first_paragraph: number | null; justerare_ids: string; justerad_at: string | null; signatory_ids: string;
  anslag_posted_at: string | null; anslag_remove_after: string | null; anslag_storage: string | null; anslag_appeal_deadline: string | null;
}
interface DecisionRow {
  id: string; meeting_id: string; body_id: string; paragraph: number; motion_ids: string; title: string; clauses: string;
  outcome: DecisionOutcome; decided_at: string; votes: string; reservations: string; immediate_justering: number;
}
interface MotionRow { id: string; meeting_id: string; agenda_item_id: string | null; title: string; dnr: string | null; proposed_by: string; clauses: string; status: MotionView['status']; decision_id: string | null }

const toMeeting = (r: MeetingRow): MeetingView => ({
  id: r.id,
  bodyId: r.body_id,
  start: r.start,
  end: r.end,
  place: r.place,
  status: r.status,
  firstParagraph: r.first_paragraph,
  justerareIds: JSON.parse(r.justerare_ids) as string[],
  justeradAt: r.justerad_at,
  signatoryIds: JSON.parse(r.signatory_ids) as string[],
  anslag: r.anslag_posted_at
    ? { postedAt: r.anslag_posted_at, removeAfter: r.anslag_remove_after!, storageLocation: r.anslag_storage!, appealDeadline: r.anslag_appeal_deadline! }
    : null,
});
const toDecision = (r: DecisionRow): DecisionView => ({
  id: r.id,
  meetingId: r.meeting_id,
  bodyId: r.body_id,
  paragraph: r.paragraph,
  motionIds: JSON.parse(r.motion_ids) as string[],
  title: r.title,
  clauses: JSON.parse(r.clauses) as string[],
  outcome: r.outcome,
  decidedAt: r.decided_at,
  votes: JSON.parse(r.votes) as DecisionView['votes'],
  reservations: JSON.parse(r.reservations) as DecisionView['reservations'],
  immediateJustering: r.immediate_justering === 1,
});
const toMotion = (r: MotionRow): MotionView => ({
  id: r.id, meetingId: r.meeting_id, agendaItemId: r.agenda_item_id, title: r.title, dnr: r.dnr, proposedBy: r.proposed_by,
  clauses: JSON.parse(r.clauses) as string[], status: r.status, decisionId: r.decision_id,
});

/** Queries over the meetings read model. */
export class MeetingsReader {
  constructor(
    private readonly db: Database.Database,
    /** People's names for the findings' texts (the bodies context knows them); the id when unknown. */
    private readonly personName: (personId: string) => string | undefined = () => undefined,
  ) {}

  meeting(id: string): MeetingView | undefined {
    const row = statement(this.db, 'SELECT * FROM rm_meetings WHERE id = ?').get(id) as MeetingRow | undefined;
    return row && toMeeting(row);
  }

  /** A body's meetings, oldest first, after a cursor (the last meeting's start and id); only justerade ones if asked. */
  meetingsOfBody(bodyId: string, first: number, after?: { start: string; id: string }, justeradOnly = false): MeetingView[] {
    const justerad = justeradOnly ? ' AND justerad_at IS NOT NULL' : '';
    const rows = after
      ? statement(this.db, `SELECT * FROM rm_meetings WHERE body_id = ?${justerad} AND (start, id) > (?, ?) ORDER BY start, id LIMIT ?`).all(bodyId, after.start, after.id, first)
      : statement(this.db, `SELECT * FROM rm_meetings WHERE body_id = ?${justerad} ORDER BY start, id LIMIT ?`).all(bodyId, first);
    return (rows as MeetingRow[]).map(toMeeting);
  }

  /** The meetings a body has held (opened), oldest first, with their day: when the board could be told of something. */
  heldMeetings(bodyId: string): Array<{ id: string; date: string }> {
    const rows = statement(this.db, 'SELECT id, start FROM rm_meetings WHERE body_id = ? AND opened_at IS NOT NULL ORDER BY start, id').all(bodyId) as Array<{ id: string; start: string }>;
    return rows.map(({ id, start }) => ({ id, date: swedishDate(start) }));
  }

  /**
   * The anslagstavla (KL 8:9), newest posting first: the notices up on `today` (posted, not yet taken down after
   * `removeAfter`), or those taken down before it.
   */
  anslag(today: string, which: 'up' | 'down', first: number, offset = 0): MeetingView[] {
    const where = which === 'up' ? 'anslag_posted_at <= @today AND anslag_remove_after >= @today' : 'anslag_remove_after < @today';
    const rows = statement(this.db, `SELECT * FROM rm_meetings WHERE ${where} ORDER BY anslag_posted_at DESC, start DESC, id LIMIT @first OFFSET @offset`)
      .all({ today, first, offset }) as MeetingRow[];
    return rows.map(toMeeting);
  }

  cancellation(meetingId: string): CancellationView | undefined {
    return statement(this.db, 'SELECT at, reason FROM rm_meeting_cancellations WHERE meeting_id = ?').get(meetingId) as CancellationView | undefined;
  }

  /** Every move of the meeting, oldest first, with what the earlier kallelse said. */
  reschedulings(meetingId: string): ReschedulingView[] {
    return statement(
      this.db,
      `SELECT rescheduled_at AS rescheduledAt, reason, previous_start AS previousStart, previous_end AS previousEnd, previous_place AS previousPlace,
         start, end, place FROM rm_meeting_reschedulings WHERE meeting_id = ? ORDER BY seq`,
    ).all(meetingId) as ReschedulingView[];
  }

  /** The corrections of a meeting's minutes in the order they were recorded; of one paragraph's decision if asked. */
  corrections(meetingId: string, correctedDecisionId?: string): ProtocolCorrectionView[] {
    const rows = statement(
      this.db,
      `SELECT meeting_id AS meetingId, paragraph, corrected_decision_id AS correctedDecisionId, field, from_text AS "from", to_text AS "to", reason,
         corrected_at AS correctedAt, decision_id AS decisionId, signatory_ids AS signatoryIds
       FROM rm_protocol_corrections WHERE meeting_id = ? AND (? IS NULL OR corrected_decision_id = ?) ORDER BY seq`,
    ).all(meetingId, correctedDecisionId ?? null, correctedDecisionId ?? null) as Array<Omit<ProtocolCorrectionView, 'signatoryIds'> & { signatoryIds: string }>;
    return rows.map((row) => ({ ...row, signatoryIds: JSON.parse(row.signatoryIds) as string[] }));
  }

  agenda(meetingId: string): AgendaItemView[] {
    const rows = statement(this.db, 'SELECT id, meeting_id AS meetingId, number, title, dnr, proposal FROM rm_agenda_items WHERE meeting_id = ? ORDER BY number').all(meetingId) as Array<Omit<AgendaItemView, 'proposal'> & { proposal: string }>;
    return rows.map((row) => ({ ...row, proposal: JSON.parse(row.proposal) as string[] }));
  }

  agendaItem(id: string): AgendaItemView | undefined {
    const row = statement(this.db, 'SELECT id, meeting_id AS meetingId, number, title, dnr, proposal FROM rm_agenda_items WHERE id = ?').get(id) as (Omit<AgendaItemView, 'proposal'> & { proposal: string }) | undefined;
    return row && { ...row, proposal: JSON.parse(row.proposal) as string[] };
  }

  attendance(meetingId: string): AttendanceView[] {
    return statement(this.db, 'SELECT person_id AS personId, role, replacing_person_id AS replacingPersonId, from_paragraph AS fromParagraph, to_paragraph AS toParagraph FROM rm_attendance WHERE meeting_id = ? ORDER BY seq')
      .all(meetingId) as AttendanceView[];
  }

  motions(meetingId: string): MotionView[] {
    return (statement(this.db, 'SELECT * FROM rm_motions WHERE meeting_id = ? ORDER BY seq').all(meetingId) as MotionRow[]).map(toMotion);
  }

  motion(id: string): MotionView | undefined {
    const row = statement(this.db, 'SELECT * FROM rm_motions WHERE id = ?').get(id) as MotionRow | undefined;
    return row && toMotion(row);
  }

  motionsByIds(ids: readonly string[]): MotionView[] {
    const rows = statement(this.db, 'SELECT * FROM rm_motions WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as MotionRow[];
    return ids.map((id) => rows.find((row) => row.id === id)).filter((row): row is MotionRow => !!row).map(toMotion);
  }

  decisions(meetingId: string): DecisionView[] {
    return (statement(this.db, 'SELECT * FROM rm_decisions WHERE meeting_id = ? ORDER BY paragraph').all(meetingId) as DecisionRow[]).map(toDecision);
  }

  decision(id: string): DecisionView | undefined {
    const row = statement(this.db, 'SELECT * FROM rm_decisions WHERE id = ?').get(id) as DecisionRow | undefined;
    return row && toDecision(row);
  }

  findings(meeting: MeetingView): MeetingFinding[] {
    const outOfOrder = statement(
      this.db,
      `SELECT serving_person_id AS servingPersonId, replacing_person_id AS replacingPersonId, expected_person_id AS expectedPersonId,
         from_paragraph AS fromParagraph, to_paragraph AS toParagraph, order_of AS orderOf FROM rm_substitutes_out_of_order WHERE meeting_id = ? ORDER BY seq`,
    ).all(meeting.id) as SubstituteOutOfOrder[];
    const substitutes = substituteOrderFindings(outOfOrder, (id) => this.personName(id) ?? id).map((finding) => ({ ...finding, meetingId: meeting.id }));
    const protocol = protocolFindings({ meetingDate: swedishDate(meeting.start), justeradAt: meeting.justeradAt, anslag: meeting.anslag }).map((finding) => ({
      ...finding,
      meetingId: meeting.id,
      subjectId: null,
    }));
    return [...substitutes, ...protocol];
  }

  /** Findings of a body's meetings held between two dates (inclusive). */
  bodyFindings(bodyId: string, from?: string, to?: string): MeetingFinding[] {
    const rows = statement(this.db, 'SELECT * FROM rm_meetings WHERE body_id = ? ORDER BY start, id').all(bodyId) as MeetingRow[];
    return rows
      .map(toMeeting)
      .filter((meeting) => {
        const day = swedishDate(meeting.start);
        return (!from || day >= from) && (!to || day <= to);
      })
      .flatMap((meeting) => this.findings(meeting));
  }

  /**
   * What a body's meetings filed under a diarienummer (of every body when `bodyId` is null): the agenda items with
   * the dnr, the motions with it (or, without a dnr of their own, on an agenda item with it), and the decisions of
   * those motions; oldest meeting first.
   */
  filedUnder(dnr: string, bodyId: string | null): { agendaItems: AgendaItemView[]; motions: MotionView[]; decisions: DecisionView[] } {
    const items = statement(
      this.db,
      `SELECT a.id, a.meeting_id AS meetingId, a.number, a.title, a.dnr, a.proposal FROM rm_agenda_items a JOIN rm_meetings m ON m.id = a.meeting_id
        WHERE a.dnr = ? AND (? IS NULL OR m.body_id = ?) ORDER BY m.start, m.id, a.number`,
    ).all(dnr, bodyId, bodyId) as Array<Omit<AgendaItemView, 'proposal'> & { proposal: string }>;
    const motions = (statement(
      this.db,
      `SELECT mo.* FROM rm_motions mo JOIN rm_meetings m ON m.id = mo.meeting_id LEFT JOIN rm_agenda_items a ON a.id = mo.agenda_item_id
        WHERE coalesce(mo.dnr, a.dnr) = ? AND (? IS NULL OR m.body_id = ?) ORDER BY m.start, m.id, mo.seq`,
    ).all(dnr, bodyId, bodyId) as MotionRow[]).map(toMotion);
    const decisionIds = [...new Set(motions.map((motion) => motion.decisionId).filter((id): id is string => id !== null))];
    const decisions = (statement(this.db, 'SELECT * FROM rm_decisions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY decided_at, paragraph, id')
      .all(JSON.stringify(decisionIds)) as DecisionRow[]).map(toDecision);
    return { agendaItems: items.map((row) => ({ ...row, proposal: JSON.parse(row.proposal) as string[] })), motions, decisions };
  }

  /** Every diarienummer on a body's agenda items and motions, with the day of the first meeting that carried it. */
  dnrsOfBody(bodyId: string): Array<{ dnr: string; firstDate: string }> {
    const rows = statement(
      this.db,
      `SELECT dnr, min(start) AS start FROM (
         SELECT a.dnr AS dnr, m.start AS start FROM rm_agenda_items a JOIN rm_meetings m ON m.id = a.meeting_id WHERE m.body_id = ? AND a.dnr IS NOT NULL
         UNION ALL
         SELECT mo.dnr, m.start FROM rm_motions mo JOIN rm_meetings m ON m.id = mo.meeting_id WHERE m.body_id = ? AND mo.dnr IS NOT NULL)
       GROUP BY dnr ORDER BY dnr`,
    ).all(bodyId, bodyId) as Array<{ dnr: string; start: string }>;
    return rows.map(({ dnr, start }) => ({ dnr, firstDate: swedishDate(start) }));
  }
}
