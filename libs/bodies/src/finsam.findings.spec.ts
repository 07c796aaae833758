import { finsamMemberFindings, memberOrganisationKind, type SeatPeriod } from './finsam.findings';

const ORGANISATIONS = ['Försäkringskassan', 'Arbetsförmedlingen', 'Region Västerbotten', 'Skellefteå kommun', 'Norsjö kommun'];
const seat = (representing: string, role: SeatPeriod['role'], from = '2018-01-01', to: string | null = null): SeatPeriod => ({ representing, role, from, to });
/** A complete FINSAM board: a ledamot and an ersättare from each of the five member organisations. */
const complete = (): SeatPeriod[] => ORGANISATIONS.flatMap((organisation) => [seat(organisation, 'LEDAMOT'), seat(organisation, 'ERSATTARE')]);

describe('FINSAM member findings', () => {
  it('R13: a board with a ledamot and an ersättare from each member organisation has no finding', () => {
    expect(finsamMemberFindings(complete())).toEqual([]);
  });

  it('R13: a member organisation without an ersättare is a finding for as long as the gap lasts', () => {
    const seats = complete().map((s) => (s.representing === 'Norsjö kommun' && s.role === 'ERSATTARE' ? { ...s, to: '2018-06-30' } : s));
    seats.push(seat('Norsjö kommun', 'ERSATTARE', '2018-09-01'));
    const findings = finsamMemberFindings(seats);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'R13', from: '2018-07-01', to: '2018-08-31', actual: 'no ersättare for Norsjö kommun' }),
    ]);
    expect(findings[0].message).toBe('Norsjö kommun has no ersättare on the board from 2018-07-01 to 2018-08-31.');
  });

  it('R13: a member organisation without a ledamot or an ersättare is a finding that runs on while it lasts', () => {
    const seats = complete().filter((s) => s.representing !== 'Arbetsförmedlingen' || s.role === 'ERSATTARE');
    expect(finsamMemberFindings(seats)).toEqual([expect.objectContaining({ rule: 'R13', from: '2018-01-01', to: null, actual: 'no ledamot for Arbetsförmedlingen' })]);
  });

  it('R13: a board with no region among its members is a finding', () => {
    const seats = complete().filter((s) => s.representing !== 'Region Västerbotten');
    expect(finsamMemberFindings(seats)).toEqual([expect.objectContaining({ rule: 'R13', actual: 'none from a region' })]);
  });

  it('R13: only days within the period asked about count, and the finding is clipped to it', () => {
    const seats = complete().map((s) => (s.representing === 'Försäkringskassan' && s.role === 'LEDAMOT' ? { ...s, to: '2018-03-31' } : s));
    expect(finsamMemberFindings(seats, { to: '2018-03-31' })).toEqual([]);
    expect(finsamMemberFindings(seats, { from: '2018-05-01', to: '2018-05-31' })).toEqual([
      expect.objectContaining({ from: '2018-05-01', to: '2018-05-31', actual: 'no ledamot for Försäkringskassan' }),
    ]);
  });

  it('tells the kind of member organisation from the names the records use', () => {
    expect(['Försäkringskassan', 'Arbetsförmedlingen', 'Region Västerbotten', 'Västerbottens läns landsting', 'Norsjö Kommun', 'KPMG'].map(memberOrganisationKind)).toEqual([
      'FORSAKRINGSKASSAN',
      'ARBETSFORMEDLINGEN',
      'REGION',
      'REGION',
      'KOMMUN',
      null,
    ]);
  });
});
