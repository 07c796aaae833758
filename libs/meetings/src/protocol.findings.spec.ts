import { protocolFindings, substituteOrderFindings } from './protocol.findings';

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

  it('R2: reports an ersättare who served out of order, naming who should have been called, about the one who served', () => {
    const names: Record<string, string> = { v: 'Birgitta Vestring-Sandberg', e: 'Anders Eriksson', n: 'Nils Nilsson' };
    const outOfOrder = { servingPersonId: 'v', replacingPersonId: 'e', expectedPersonId: 'n', fromParagraph: 30, toParagraph: null, orderOf: 'Arbetsförmedlingen' };
    expect(substituteOrderFindings([outOfOrder], (id) => names[id])).toEqual([
      {
        rule: 'R2',
        message: 'Birgitta Vestring-Sandberg served in place of Anders Eriksson from § 30 to the last paragraph, while Nils Nilsson, present and before Birgitta Vestring-Sandberg in the order of ersättare for Arbetsförmedlingen, was not called',
        expected: 'Nils Nilsson',
        actual: 'Birgitta Vestring-Sandberg',
        subjectId: 'v',
      },
    ]);
    expect(substituteOrderFindings([], (id) => names[id])).toEqual([]);
  });
});
