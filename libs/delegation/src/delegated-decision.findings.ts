import { addDays } from '@kansli/kernel';
import { REPORT_DAYS } from './delegation.events';

export interface DelegatedDecisionFacts {
  id: string;
  title: string;
  decidedAt: string;
  /** The meeting where it was reported to the board, if it was. */
  reportedAtMeetingId: string | null;
}

/** A meeting the body held, with its day. */
export interface HeldMeeting {
  id: string;
  date: string;
}

export interface UnreportedFinding {
  rule: 'R11';
  message: string;
  expected: string;
  actual: string;
  meetingId: string;
  subjectId: string;
}

/**
 * R11 (KL 6:40): a delegated decision must be reported to the board. One finding per delegated decision that was
 * not yet reported when the body held a meeting 14 or more days after it: the first such meeting. Reported at
 * that meeting (or before) is on time; reported later, or not at all, is flagged.
 */
export function unreportedDelegatedDecisions(decisions: readonly DelegatedDecisionFacts[], meetings: readonly HeldMeeting[]): UnreportedFinding[] {
  const byDay = [...meetings].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const dayOf = new Map(meetings.map((meeting) => [meeting.id, meeting.date]));
  const findings: UnreportedFinding[] = [];
  for (const decision of decisions) {
    const due = addDays(decision.decidedAt, REPORT_DAYS);
    const meeting = byDay.find((held) => held.date >= due);
    if (!meeting) continue;
    const reportedOn = decision.reportedAtMeetingId ? dayOf.get(decision.reportedAtMeetingId) : undefined;
    if (decision.reportedAtMeetingId && (reportedOn === undefined || reportedOn <= meeting.date)) continue;
    findings.push({
      rule: 'R11',
      message: `The delegated decision "${decision.title}" of ${decision.decidedAt} was not reported to the board by its meeting of ${meeting.date}, ${REPORT_DAYS} days or more after it (KL 6:40)`,
      expected: `reported on or before ${meeting.date}`,
      actual: reportedOn ? `reported on ${reportedOn}` : 'not reported',
      meetingId: meeting.id,
      subjectId: decision.id,
    });
  }
  return findings;
}
