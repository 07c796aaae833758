import { addDays } from '@kansli/kernel';
import { ANSLAG_DAYS, JUSTERING_DAYS, type SubstituteOutOfOrder } from './meeting.events';

/** The dates a protocol's findings are judged on. */
export interface ProtocolDates {
  meetingDate: string;
  justeradAt: string | null;
  anslag: { postedAt: string; removeAfter: string; appealDeadline: string } | null;
}

/** Something that happened late but really happened: recorded, then reported to the auditors. */
export interface Finding {
  rule: 'R2' | 'R6' | 'R7' | 'R8';
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

const paragraphs = ({ fromParagraph, toParagraph }: SubstituteOutOfOrder) =>
  fromParagraph === null && toParagraph === null
    ? 'for the whole meeting'
    : fromParagraph === toParagraph
      ? `at § ${fromParagraph}`
      : `from ${fromParagraph === null ? 'the first paragraph' : `§ ${fromParagraph}`} to ${toParagraph === null ? 'the last paragraph' : `§ ${toParagraph}`}`;

// R2 ersättare in their order: each service out of order, as its AttendanceRecorded event stated it, about the ersättare who served.
export function substituteOrderFindings(outOfOrder: readonly SubstituteOutOfOrder[], nameOf: (personId: string) => string): Array<Finding & { subjectId: string }> {
  return outOfOrder.map((o) => {
    const [serving, replacing, expected] = [nameOf(o.servingPersonId), nameOf(o.replacingPersonId), nameOf(o.expectedPersonId)];
    const order = o.orderOf === null ? 'the order of ersättare' : `the order of ersättare for ${o.orderOf}`;
    return {
      rule: 'R2',
      message: `${serving} served in place of ${replacing} ${paragraphs(o)}, while ${expected}, present and before ${serving} in ${order}, was not called`,
      expected,
      actual: serving,
      subjectId: o.servingPersonId,
    };
  });
}
