import { unreportedDelegatedDecisions, type DelegatedDecisionFacts } from './delegated-decision.findings';

const meetings = [
  { id: 'm-0614', date: '2018-06-14' },
  { id: 'm-0920', date: '2018-09-20' },
  { id: 'm-1206', date: '2018-12-06' },
];
const decision = (id: string, decidedAt: string, reportedAtMeetingId: string | null = null): DelegatedDecisionFacts => ({ id, title: `Beslut ${id}`, decidedAt, reportedAtMeetingId });

describe('R11 findings', () => {
  it('R11: flags a delegated decision still unreported at the first meeting 14 or more days after it, naming both', () => {
    expect(unreportedDelegatedDecisions([decision('dd-1', '2018-08-20')], meetings)).toEqual([
      {
        rule: 'R11',
        message: 'The delegated decision "Beslut dd-1" of 2018-08-20 was not reported to the board by its meeting of 2018-09-20, 14 days or more after it (KL 6:40)',
        expected: 'reported on or before 2018-09-20',
        actual: 'not reported',
        meetingId: 'm-0920',
        subjectId: 'dd-1',
      },
    ]);
  });

  it('R11: a meeting 13 days after is too soon to count; 14 days counts', () => {
    expect(unreportedDelegatedDecisions([decision('dd-1', '2018-06-01')], meetings).map((f) => f.meetingId)).toEqual(['m-0920']);
    expect(unreportedDelegatedDecisions([decision('dd-1', '2018-05-31')], meetings).map((f) => f.meetingId)).toEqual(['m-0614']);
  });

  it('R11: reported at that meeting or before is on time; reported at a later one is still flagged, once', () => {
    expect(unreportedDelegatedDecisions([decision('dd-1', '2018-08-20', 'm-0920')], meetings)).toEqual([]);
    expect(unreportedDelegatedDecisions([decision('dd-1', '2018-06-10', 'm-0614')], meetings)).toEqual([]);
    expect(unreportedDelegatedDecisions([decision('dd-1', '2018-08-20', 'm-1206')], meetings)).toEqual([
      expect.objectContaining({ meetingId: 'm-0920', subjectId: 'dd-1', actual: 'reported on 2018-12-06' }),
    ]);
  });

  it('R11: nothing to flag before the body has met 14 days after the decision', () => {
    expect(unreportedDelegatedDecisions([decision('dd-1', '2018-11-30')], meetings)).toEqual([]);
  });
});
