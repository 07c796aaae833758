import type { BudgetLine } from './budget.events';
import { contributionFindings, contributorGroup } from './budget.findings';

const income = (amount: number, contributor: string | null): BudgetLine => ({ code: `I-${contributor}`, name: 'Medlemsavgift', amount, kind: 'INCOME', contributor });
const cost = (amount: number): BudgetLine => ({ code: 'KANSLI', name: 'Kansli', amount, kind: 'COST', contributor: null });

/** The 2019 contributions of Samordningsförbundet Skellefteå-Norsjö (årsredovisning 2019, not 1). */
const skelleftea2019 = [
  income(2_907_000, 'Försäkringskassan och Arbetsförmedlingen (staten)'),
  income(1_454_000, 'Region Västerbotten'),
  income(1_383_000, 'Skellefteå kommun'),
  income(70_000, 'Norsjö kommun'),
  income(60_000, null),
  cost(6_635_840),
];

describe('R13: a FINSAM board\'s budget contributions are ½ state, ¼ region, ¼ kommuner', () => {
  it('R13: finds nothing in a budget whose contributions keep the split (2019: 50.0 / 25.0 / 25.0 %); lines without a contributor are no contributions', () => {
    expect(contributionFindings(2019, skelleftea2019)).toEqual([]);
  });

  it('R13: finds each group more than 1 percentage point off its share', () => {
    const findings = contributionFindings(2020, [income(500_000, 'Försäkringskassan'), income(300_000, 'Region Västerbotten'), income(200_000, 'Norsjö kommun')]);
    expect(findings).toEqual([
      {
        rule: 'R13',
        message: 'The 2020 budget has the region(s) paying 300 000 kr, 30.0 % of the contributions of 1 000 000 kr, where FINSAM sets 25 %',
        expected: '25 % of the contributions: 250 000 kr, ± 10 000 kr (1 percentage point)',
        actual: '300 000 kr (30.0 %)',
      },
      expect.objectContaining({ rule: 'R13', actual: '200 000 kr (20.0 %)' }),
    ]);
  });

  it('R13: exactly 1 percentage point off is within; one krona more is not', () => {
    const at = (state: number) => contributionFindings(2020, [income(state, 'Arbetsförmedlingen'), income(250_000, 'Region Västerbotten'), income(1_000_000 - 250_000 - state, 'Skellefteå kommun')]);
    expect(at(510_000)).toEqual([]);
    expect(at(490_000)).toEqual([]);
    expect(at(510_001).map((finding) => finding.actual)).toEqual(['510 001 kr (51.0 %)', '239 999 kr (24.0 %)']);
  });

  it('R13: a group that pays nothing is off its share; a contributor the rule cannot place counts in the total only', () => {
    const findings = contributionFindings(2020, [income(500_000, 'Försäkringskassan'), income(250_000, 'Region Västerbotten'), income(250_000, 'Umeå Samordningsförbund')]);
    expect(findings.map((finding) => finding.actual)).toEqual(['0 kr (0.0 %)']);
  });

  it('R13: a budget without contributions gives no finding', () => {
    expect(contributionFindings(2020, [cost(100), income(50, null)])).toEqual([]);
  });

  it('places contributors by name: the state\'s two agencies, regions and landsting, kommuner', () => {
    expect(['Försäkringskassan', 'Arbetsförmedlingen', 'Staten', 'Region Västerbotten', 'Västerbottens läns landsting', 'Norsjö Kommun', 'Urkraft'].map(contributorGroup)).toEqual([
      'STATE',
      'STATE',
      'STATE',
      'REGION',
      'REGION',
      'KOMMUN',
      null,
    ]);
  });
});
