import { protocolFindings } from './protocol.findings';

const anslag = (postedAt: string, removeAfter: string, appealDeadline: string) => ({ postedAt, removeAfter, appealDeadline });

describe('protocol findings', () => {
  it('R6: flags a justering later than 14 days after the meeting, not one on the 14th day', () => {
    expect(protocolFindings({ meetingDate: '2018-06-14', justeradAt: '2018-06-28', anslag: null })).toEqual([]);
    expect(protocolFindings({ meetingDate: '2018-06-14', justeradAt: '2018-06-29', anslag: null })).toEqual([
      expect.objectContaining({ rule: 'R6', expected: 'on or before 2018-06-28', actual: '2018-06-29' }),
    ]);
  });

  it('R7: flags an anslag later than the second day after justering', () => {
    expect(protocolFindings({ meetingDate: '2018-06-14', justeradAt: '2018-06-14', anslag: anslag('2018-06-16', '2018-07-07', '2018-07-07') })).toEqual([]);
    expect(protocolFindings({ meetingDate: '2018-06-14', justeradAt: '2018-06-14', anslag: anslag('2018-08-10', '2018-08-31', '2018-08-31') })).toEqual([
      expect.objectContaining({ rule: 'R7', expected: 'on or before 2018-06-16', actual: '2018-08-10' }),
    ]);
  });

  it('R8: flags a notice taken down before the appeal period ends', () => {
    expect(protocolFindings({ meetingDate: '2018-06-14', justeradAt: '2018-06-15', anslag: anslag('2018-06-15', '2018-07-01', '2018-07-06') })).toEqual([
      expect.objectContaining({ rule: 'R8', expected: 'on or after 2018-07-06', actual: '2018-07-01' }),
    ]);
  });
});
