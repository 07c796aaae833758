import type Database from 'better-sqlite3';
import { statement } from '@kansli/projections';
import type { Projection } from '@kansli/projections';
import type { MeetingEvent, ProtocolCorrected } from './meeting.events';

const json = (value: unknown) => JSON.stringify(value);

/** Meetings with their agenda, attendance, motions, decisions and protocol, as the GraphQL API shows them. */
export const meetingsProjection: Projection = {
  name: 'meetings',
  eventTypes: [
    'MeetingScheduled', 'MeetingCancelled', 'MeetingRescheduled', 'AgendaItemAdded', 'MeetingOpened', 'AttendanceRecorded', 'JusterareAppointed', 'JavDeclared',
    'MeetingClosed', 'MotionRaised', 'DecisionTaken', 'ProtocolJusterad', 'AnslagPosted', 'ProtocolCorrected',
  ],
  // rm_motions_meeting stays: MotionRaised counts a meeting's motions through it.
  deferredIndexes: ['rm_meetings_body', 'rm_agenda_items_meeting', 'rm_decisions_meeting'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_meetings (
        id TEXT PRIMARY KEY, body_id TEXT NOT NULL, start TEXT NOT NULL, end TEXT, place TEXT, status TEXT NOT NULL,
        first_paragraph INTEGER, opened_at TEXT, closed_at TEXT, justerare_ids TEXT NOT NULL DEFAULT '[]',
        justerad_at TEXT, signatory_ids TEXT NOT NULL DEFAULT '[]',
        anslag_posted_at TEXT, anslag_remove_after TEXT, anslag_storage TEXT, anslag_appeal_deadline TEXT);
      CREATE INDEX IF NOT EXISTS rm_meetings_body ON rm_meetings (body_id, start);
      CREATE TABLE IF NOT EXISTS rm_meeting_cancellations (meeting_id TEXT PRIMARY KEY, at TEXT NOT NULL, reason TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS rm_meeting_reschedulings (
        meeting_id TEXT NOT NULL, seq INTEGER NOT NULL, rescheduled_at TEXT NOT NULL, reason TEXT NOT NULL,
        previous_start TEXT NOT NULL, previous_end TEXT, previous_place TEXT, start TEXT NOT NULL, end TEXT, place TEXT,
        PRIMARY KEY (meeting_id, seq));
      CREATE TABLE IF NOT EXISTS rm_agenda_items (
        id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, number INTEGER NOT NULL, title TEXT NOT NULL, dnr TEXT, proposal TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS rm_agenda_items_meeting ON rm_agenda_items (meeting_id, number);
      CREATE TABLE IF NOT EXISTS rm_attendance (
        meeting_id TEXT NOT NULL, seq INTEGER NOT NULL, person_id TEXT NOT NULL, role TEXT NOT NULL,
        replacing_person_id TEXT, from_paragraph INTEGER, to_paragraph INTEGER, PRIMARY KEY (meeting_id, seq));
      CREATE TABLE IF NOT EXISTS rm_substitutes_out_of_order (
        meeting_id TEXT NOT NULL, seq INTEGER NOT NULL, serving_person_id TEXT NOT NULL, replacing_person_id TEXT NOT NULL,
        expected_person_id TEXT NOT NULL, from_paragraph INTEGER, to_paragraph INTEGER, order_of TEXT, PRIMARY KEY (meeting_id, seq));
      CREATE TABLE IF NOT EXISTS rm_jav (meeting_id TEXT NOT NULL, person_id TEXT NOT NULL, motion_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS rm_motions (
        id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, agenda_item_id TEXT, title TEXT NOT NULL, dnr TEXT,
        proposed_by TEXT NOT NULL, clauses TEXT NOT NULL, status TEXT NOT NULL, decision_id TEXT, seq INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS rm_motions_meeting ON rm_motions (meeting_id, seq);
      CREATE TABLE IF NOT EXISTS rm_decisions (
        id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, body_id TEXT NOT NULL, paragraph INTEGER NOT NULL,
        motion_ids TEXT NOT NULL, title TEXT NOT NULL, clauses TEXT NOT NULL, outcome TEXT NOT NULL, decided_at TEXT NOT NULL,
        votes TEXT NOT NULL, reservations TEXT NOT NULL, serving TEXT NOT NULL, immediate_justering INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS rm_decisions_meeting ON rm_decisions (meeting_id, paragraph);
      CREATE TABLE IF NOT EXISTS rm_protocol_corrections (
        meeting_id TEXT NOT NULL, seq INTEGER NOT NULL, paragraph INTEGER NOT NULL, corrected_decision_id TEXT NOT NULL, field TEXT NOT NULL,
        from_text TEXT NOT NULL, to_text TEXT NOT NULL, reason TEXT NOT NULL, corrected_at TEXT NOT NULL, decision_id TEXT,
        signatory_ids TEXT NOT NULL, PRIMARY KEY (meeting_id, seq));
    `);
  },
  apply(db, recorded) {
    const event = recorded as unknown as MeetingEvent;
    const d = event.data;
    switch (event.type) {
      case 'MeetingScheduled': {
        const e = event.data;
        statement(db, "INSERT INTO rm_meetings (id, body_id, start, end, place, status) VALUES (?, ?, ?, ?, ?, 'SCHEDULED')").run(e.meetingId, e.bodyId, e.start, e.end, e.place);
        for (const item of e.agenda) {
          statement(db, 'INSERT INTO rm_agenda_items (id, meeting_id, number, title, dnr, proposal) VALUES (?, ?, ?, ?, ?, ?)').run(item.itemId, e.meetingId, item.number, item.title, item.dnr, json(item.proposal));
        }
        return;
      }
      case 'MeetingCancelled':
        statement(db, "UPDATE rm_meetings SET status = 'CANCELLED' WHERE id = ?").run(d.meetingId);
        statement(db, 'INSERT INTO rm_meeting_cancellations (meeting_id, at, reason) VALUES (?, ?, ?)').run(d.meetingId, event.data.at, event.data.reason);
        return;
      case 'MeetingRescheduled': {
        const e = event.data;
        statement(db,
          `INSERT INTO rm_meeting_reschedulings (meeting_id, seq, rescheduled_at, reason, previous_start, previous_end, previous_place, start, end, place)
           VALUES (?, (SELECT count(*) FROM rm_meeting_reschedulings WHERE meeting_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.meetingId, e.meetingId, recorded.metadata.occurredAt, e.reason, e.previous.start, e.previous.end, e.previous.place, e.start, e.end, e.place);
        statement(db, 'UPDATE rm_meetings SET start = ?, end = ?, place = ? WHERE id = ?').run(e.start, e.end, e.place, e.meetingId);
        return;
      }
      case 'AgendaItemAdded': {
        const e = event.data;
        statement(db, 'INSERT INTO rm_agenda_items (id, meeting_id, number, title, dnr, proposal) VALUES (?, ?, ?, ?, ?, ?)').run(e.itemId, e.meetingId, e.number, e.title, e.dnr, json(e.proposal));
        return;
      }
      case 'MeetingOpened':
        statement(db, "UPDATE rm_meetings SET status = 'OPEN', opened_at = ?, first_paragraph = ? WHERE id = ?").run(event.data.at, event.data.firstParagraph, d.meetingId);
        return;
      case 'AttendanceRecorded': {
        const e = event.data;
        statement(db, 
          `INSERT INTO rm_attendance (meeting_id, seq, person_id, role, replacing_person_id, from_paragraph, to_paragraph)
           VALUES (?, (SELECT count(*) FROM rm_attendance WHERE meeting_id = ?), ?, ?, ?, ?, ?)`,
        ).run(e.meetingId, e.meetingId, e.personId, e.role, e.replacingPersonId, e.fromParagraph, e.toParagraph);
        for (const o of e.outOfOrder ?? []) {
          statement(db,
            `INSERT INTO rm_substitutes_out_of_order (meeting_id, seq, serving_person_id, replacing_person_id, expected_person_id, from_paragraph, to_paragraph, order_of)
             VALUES (?, (SELECT count(*) FROM rm_substitutes_out_of_order WHERE meeting_id = ?), ?, ?, ?, ?, ?, ?)`,
          ).run(e.meetingId, e.meetingId, o.servingPersonId, o.replacingPersonId, o.expectedPersonId, o.fromParagraph, o.toParagraph, o.orderOf);
        }
        return;
      }
      case 'JusterareAppointed':
        statement(db, 'UPDATE rm_meetings SET justerare_ids = ? WHERE id = ?').run(json(event.data.personIds), d.meetingId);
        return;
      case 'JavDeclared':
        statement(db, 'INSERT INTO rm_jav (meeting_id, person_id, motion_id) VALUES (?, ?, ?)').run(d.meetingId, event.data.personId, event.data.motionId);
        return;
      case 'MeetingClosed':
        statement(db, "UPDATE rm_meetings SET status = 'CLOSED', closed_at = ? WHERE id = ?").run(event.data.at, d.meetingId);
        return;
      case 'MotionRaised': {
        const e = event.data;
        statement(db, 
          `INSERT INTO rm_motions (id, meeting_id, agenda_item_id, title, dnr, proposed_by, clauses, status, seq)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'RAISED', (SELECT count(*) FROM rm_motions WHERE meeting_id = ?))`,
        ).run(e.motionId, e.meetingId, e.agendaItemId, e.title, e.dnr, e.proposedBy, json(e.clauses), e.meetingId);
        return;
      }
      case 'DecisionTaken': {
        const e = event.data;
        statement(db, 
          `INSERT INTO rm_decisions (id, meeting_id, body_id, paragraph, motion_ids, title, clauses, outcome, decided_at, votes, reservations, serving, immediate_justering)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.decisionId, e.meetingId, e.bodyId, e.paragraph, json(e.motionIds), e.title, json(e.clauses), e.outcome, e.decidedAt, json(e.votes), json(e.reservations), json(e.serving), e.immediateJustering ? 1 : 0);
        for (const motionId of e.motionIds) statement(db, "UPDATE rm_motions SET status = 'DECIDED', decision_id = ? WHERE id = ?").run(e.decisionId, motionId);
        return;
      }
      case 'ProtocolJusterad':
        statement(db, 'UPDATE rm_meetings SET justerad_at = ?, signatory_ids = ? WHERE id = ?').run(event.data.justeradAt, json(event.data.signatoryIds), d.meetingId);
        return;
      case 'ProtocolCorrected': {
        const e = event.data;
        statement(db,
          `INSERT INTO rm_protocol_corrections (meeting_id, seq, paragraph, corrected_decision_id, field, from_text, to_text, reason, corrected_at, decision_id, signatory_ids)
           VALUES (?, (SELECT count(*) FROM rm_protocol_corrections WHERE meeting_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.meetingId, e.meetingId, e.paragraph, e.correctedDecisionId, e.field, e.from, e.to, e.reason, e.correctedAt, e.decisionId, json(e.signatoryIds));
        applyCorrection(db, e);
        return;
      }
      case 'AnslagPosted': {
        const e = event.data;
        statement(db, 'UPDATE rm_meetings SET anslag_posted_at = ?, anslag_remove_after = ?, anslag_storage = ?, anslag_appeal_deadline = ? WHERE id = ?').run(e.postedAt, e.removeAfter, e.storageLocation, e.appealDeadline, e.meetingId);
        return;
      }
    }
  },
};

/** The current text shows the correction (R9); the original stays in its DecisionTaken event and in rm_protocol_corrections. */
function applyCorrection(db: Database.Database, e: ProtocolCorrected['data']): void {
  const decision = () => statement(db, 'SELECT clauses, reservations FROM rm_decisions WHERE id = ?').get(e.correctedDecisionId) as { clauses: string; reservations: string };
  switch (e.field) {
    case 'title':
      statement(db, 'UPDATE rm_decisions SET title = ? WHERE id = ?').run(e.to, e.correctedDecisionId);
      return;
    case 'clauses': {
      const clauses = JSON.parse(decision().clauses) as string[];
      clauses[e.index!] = e.to;
      statement(db, 'UPDATE rm_decisions SET clauses = ? WHERE id = ?').run(json(clauses), e.correctedDecisionId);
      return;
    }
    case 'decidedAt':
      statement(db, 'UPDATE rm_decisions SET decided_at = ? WHERE id = ?').run(e.to, e.correctedDecisionId);
      return;
    case 'reservations': {
      const reservations = JSON.parse(decision().reservations) as Array<{ personId: string; reason: string | null }>;
      reservations[e.index!] = { ...reservations[e.index!], reason: e.to };
      statement(db, 'UPDATE rm_decisions SET reservations = ? WHERE id = ?').run(json(reservations), e.correctedDecisionId);
      return;
    }
    case 'justeradAt':
      statement(db, 'UPDATE rm_meetings SET justerad_at = ? WHERE id = ?').run(e.to, e.meetingId);
      return;
  }
}
