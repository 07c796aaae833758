import { addDays } from '@kansli/kernel';
import { ANSLAG_DAYS, JUSTERING_DAYS } from './meeting.events';

/** The dates a protocol's findings are judged on. */
export interface ProtocolDates {
  meetingDate: string;
  justeradAt: string | null;
  anslag: { postedAt: string; removeAfter: string; appealDeadline: string } | null;
}

/** Something that happened late but really happened: recorded, then reported to the auditors. */
export interface Finding {
  rule: 'R6' | 'R7' | 'R8';
  message: string;
  expected: string;
  actual: string;
}

// R6 justering within 14 days, R7 anslag within 2 days of justering, R8 notice up for the whole appeal period.
export function protocolFindings({ meetingDate, justeradAt, anslag }: ProtocolDates): Finding[] {
  const findings: Finding[] = [];
  if (justeradAt) {
    const due = addDays(meetingDate, JUSTERING_DAYS);
    if (justeradAt > due) {
      findings.push({ rule: 'R6', message: `The minutes were justerade ${justeradAt}, later than ${JUSTERING_DAYS} days after the meeting of ${meetingDate}`, expected: `on or before ${due}`, actual: justeradAt });
    }
  }
  if (justeradAt && anslag) {
    const due = addDays(justeradAt, ANSLAG_DAYS);
    if (anslag.postedAt > due) {
      findings.push({ rule: 'R7', message: `The anslag was posted ${anslag.postedAt}, later than the second day after justering (${justeradAt})`, expected: `on or before ${due}`, actual: anslag.postedAt });
    }
  }
  if (anslag && anslag.removeAfter < anslag.appealDeadline) {
    findings.push({ rule: 'R8', message: `The notice comes down ${anslag.removeAfter}, before the appeal period ends ${anslag.appealDeadline}`, expected: `on or after ${anslag.appealDeadline}`, actual: anslag.removeAfter });
  }
  return findings;
}
