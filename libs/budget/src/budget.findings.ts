import { memberOrganisationKind } from '@kansli/bodies';
import type { BudgetLine } from './budget.events';
import type { BudgetReader } from './budget.reader';

/** FINSAM's three payers: the state (through Försäkringskassan and Arbetsförmedlingen), the region(s), the kommuner. */
export type ContributorGroup = 'STATE' | 'REGION' | 'KOMMUN';

/** Each group's share of the contributions under FINSAM (2003:1210) 9 §, in quarters: ½, ¼, ¼. */
const QUARTERS: Record<ContributorGroup, number> = { STATE: 2, REGION: 1, KOMMUN: 1 };
const GROUP_NAMES: Record<ContributorGroup, string> = {
  STATE: 'Försäkringskassan and Arbetsförmedlingen (the state)',
  REGION: 'the region(s)',
  KOMMUN: 'the kommuner',
};
const SHARE_NAMES: Record<ContributorGroup, string> = { STATE: '50 %', REGION: '25 %', KOMMUN: '25 %' };
/** How far a group's share may be from its part, in percentage points of the contributions total. */
export const TOLERANCE_POINTS = 1;

/**
 * Which FINSAM payer a contributor is, by the name the budget gives it ("Försäkringskassan", "Region Västerbotten",
 * "Västerbottens läns landsting", "Skellefteå kommun", "staten"); null when the name says none of them.
 */
export function contributorGroup(contributor: string): ContributorGroup | null {
  switch (memberOrganisationKind(contributor)) {
    case 'FORSAKRINGSKASSAN':
    case 'ARBETSFORMEDLINGEN':
      return 'STATE';
    case 'REGION':
      return 'REGION';
    case 'KOMMUN':
      return 'KOMMUN';
    case null:
      return /\bstaten\b/i.test(contributor) ? 'STATE' : null;
  }
}

export interface ContributionFinding {
  rule: 'R13';
  message: string;
  expected: string;
  actual: string;
}

/**
 * R13, contributions: the budget's contributions are its INCOME lines that name a contributor. Each group's sum
 * must be its share of their total (½ state, ¼ region, ¼ kommuner) within 1 percentage point of that total
 * (|group − share × total| ≤ total / 100; exactly 1 point off is still within). A contributor the rule cannot place
 * counts in the total and in no group. A budget without contributions gives no finding: there is nothing to weigh.
 */
export function contributionFindings(year: number, lines: ReadonlyArray<Pick<BudgetLine, 'kind' | 'amount' | 'contributor'>>): ContributionFinding[] {
  const contributions = lines.filter((line): line is typeof line & { contributor: string } => line.kind === 'INCOME' && line.contributor !== null);
  const total = contributions.reduce((sum, line) => sum + line.amount, 0);
  if (total === 0) return [];
  const sums: Record<ContributorGroup, number> = { STATE: 0, REGION: 0, KOMMUN: 0 };
  for (const line of contributions) {
    const group = contributorGroup(line.contributor);
    if (group) sums[group] += line.amount;
  }
  const findings: ContributionFinding[] = [];
  for (const group of Object.keys(QUARTERS) as ContributorGroup[]) {
    // In hundredths of quarters, to stay in whole numbers: |400·sum − 100·quarters·total| > 4·total.
    if (Math.abs(400 * sums[group] - 100 * QUARTERS[group] * total) <= 4 * TOLERANCE_POINTS * total) continue;
    const percent = ((sums[group] * 100) / total).toFixed(1);
    findings.push({
      rule: 'R13',
      message: `The ${year} budget has ${GROUP_NAMES[group]} paying ${kronor(sums[group])} kr, ${percent} % of the contributions of ${kronor(total)} kr, where FINSAM sets ${SHARE_NAMES[group]}`,
      expected: `${SHARE_NAMES[group]} of the contributions: ${kronor(Math.round((QUARTERS[group] * total) / 4))} kr, ± ${kronor(Math.floor((TOLERANCE_POINTS * total) / 100))} kr (${TOLERANCE_POINTS} percentage point)`,
      actual: `${kronor(sums[group])} kr (${percent} %)`,
    });
  }
  return findings;
}

/**
 * R13's contribution findings of a body's budgets whose year meets the period (business dates, inclusive), each
 * budget as it stood at the period's end (with every recorded revision when the period has no end). The subject is
 * the budget.
 */
export function budgetFindings(budgets: BudgetReader, bodyId: string, period: { from?: string; to?: string }) {
  return budgets
    .budgetsOfBody(bodyId)
    .filter(({ year }) => (!period.from || period.from <= `${year}-12-31`) && (!period.to || period.to >= `${year}-01-01`))
    .flatMap(({ id, year }) => {
      const budget = budgets.budgetById(id, { asOf: period.to });
      return budget ? contributionFindings(year, budget.lines).map((finding) => ({ ...finding, meetingId: null, subjectId: id })) : [];
    });
}

function kronor(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
