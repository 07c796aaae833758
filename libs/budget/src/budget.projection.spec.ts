import Database from 'better-sqlite3';
import type { RecordedEvent } from '@kansli/event-store';
import type { BudgetEvent } from './budget.events';
import { budgetProjection } from './budget.projection';
import { BudgetReader } from './budget.reader';

const budgetId = 'budget-1';
const bodyId = 'body-1';
const cost = (code: string, name: string, amount: number) => ({ code, name, amount, kind: 'COST' as const, contributor: null });
const income = (code: string, name: string, amount: number, contributor: string | null = null) => ({ code, name, amount, kind: 'INCOME' as const, contributor });

const adopted: BudgetEvent = {
  type: 'BudgetAdopted',
  data: {
    budgetId,
    bodyId,
    year: 2019,
    lines: [cost('INSATSER', 'Verksamheter/projekt', 4_000_000), cost('KANSLI', 'Kansli', 1_131_000), income('AVGIFTER', 'Medlemsavgifter', 5_000_000)],
    decisionId: null,
    adoptedAt: '2018-11-22T10:00:00+01:00',
  },
};
const revised: BudgetEvent = {
  type: 'BudgetRevised',
  data: {
    budgetId,
    bodyId,
    year: 2019,
    changes: [cost('INSATSER', 'Verksamheter/projekt', 4_757_840), cost('KONF', 'Konferenser', 250_000)],
    reason: 'Tilläggsbeslut: nya insatser',
    decisionId: 'd-juni',
    // 23:30 UTC on the 13th is the 14th in Sweden: the revision counts from the Swedish day.
    revisedAt: '2019-06-13T23:30:00Z',
  },
};
const outcomeRecorded: BudgetEvent = {
  type: 'BudgetOutcomeRecorded',
  data: { budgetId, bodyId, year: 2019, asOf: '2019-12-31', source: 'Årsredovisning 2019', lines: [{ code: 'INSATSER', amount: 4_120_948 }, { code: 'AVGIFTER', amount: 5_000_000 }, { code: 'KONF', amount: 210_112 }] },
};
const RECORDED = ['2018-11-23T08:00:00.000Z', '2019-06-20T08:00:00.000Z', '2020-02-14T08:00:00.000Z'];

function readModel(events: BudgetEvent[]): BudgetReader {
  const db = new Database(':memory:');
  budgetProjection.setup!(db);
  events.forEach((event, index) => {
    const recorded: RecordedEvent = {
      id: `e${index}`,
      ...event,
      metadata: { occurredAt: '2018-11-22T10:00:00+01:00' },
      stream: `budget-${budgetId}`,
      revision: BigInt(index),
      position: BigInt(index + 1),
      recordedAt: RECORDED[index],
    };
    budgetProjection.apply(db, recorded);
  });
  return new BudgetReader(db);
}

describe('budget projection and reader', () => {
  const reader = readModel([adopted, revised, outcomeRecorded]);

  it('sums income, costs, result (income − costs) and total (the costs, the budget\'s omslutning)', () => {
    expect(reader.budget(bodyId, 2019, { asOf: '2019-01-01' })).toMatchObject({ income: 5_000_000, costs: 5_131_000, result: -131_000, total: 5_131_000 });
  });

  it('asOf: a revision counts from its revisedAt\'s Swedish day; nothing exists before the adoption\'s day', () => {
    expect(reader.budget(bodyId, 2019, { asOf: '2018-11-21' })).toBeUndefined();
    const before = reader.budget(bodyId, 2019, { asOf: '2019-06-13' })!;
    expect(before.lines.map((line) => [line.code, line.amount])).toEqual([['INSATSER', 4_000_000], ['KANSLI', 1_131_000], ['AVGIFTER', 5_000_000]]);
    expect(before.revisions).toEqual([]);
    const after = reader.budget(bodyId, 2019, { asOf: '2019-06-14' })!;
    expect(after.lines.map((line) => [line.code, line.amount])).toEqual([['INSATSER', 4_757_840], ['KANSLI', 1_131_000], ['AVGIFTER', 5_000_000], ['KONF', 250_000]]);
    expect(after.revisions).toEqual([
      {
        budgetId,
        revisedAt: '2019-06-13T23:30:00Z',
        reason: 'Tilläggsbeslut: nya insatser',
        decisionId: 'd-juni',
        changes: [cost('INSATSER', 'Verksamheter/projekt', 4_757_840), cost('KONF', 'Konferenser', 250_000)],
        totalBefore: 5_131_000,
        totalAfter: 6_138_840,
        resultBefore: -131_000,
        resultAfter: -1_138_840,
      },
    ]);
    expect(after.outcome).toBeNull();
  });

  it('knownAt: only what was recorded by then counts, whatever the business date', () => {
    const known = reader.budget(bodyId, 2019, { knownAt: '2019-06-20T09:59:59+02:00' })!;
    expect(known.revisions).toEqual([]);
    expect(known.lines.find((line) => line.code === 'INSATSER')?.amount).toBe(4_000_000);
    expect(reader.budget(bodyId, 2019, { knownAt: '2019-06-20T10:00:00+02:00' })!.revisions).toHaveLength(1);
    expect(reader.budget(bodyId, 2019, { knownAt: '2018-11-23T07:59:59Z' })).toBeUndefined();
  });

  it('compares per line: adopted, revised, the outcome and outcome − revised; an outcome shows from its asOf', () => {
    const budget = reader.budget(bodyId, 2019)!;
    expect(budget.comparison).toEqual([
      { code: 'INSATSER', name: 'Verksamheter/projekt', kind: 'COST', adopted: 4_000_000, revised: 4_757_840, outcome: 4_120_948, deviation: -636_892 },
      { code: 'KANSLI', name: 'Kansli', kind: 'COST', adopted: 1_131_000, revised: 1_131_000, outcome: null, deviation: null },
      { code: 'AVGIFTER', name: 'Medlemsavgifter', kind: 'INCOME', adopted: 5_000_000, revised: 5_000_000, outcome: 5_000_000, deviation: 0 },
      { code: 'KONF', name: 'Konferenser', kind: 'COST', adopted: 0, revised: 250_000, outcome: 210_112, deviation: -39_888 },
    ]);
    expect(budget.outcome).toMatchObject({ asOf: '2019-12-31', source: 'Årsredovisning 2019', result: 5_000_000 - 4_120_948 - 210_112 });
    expect(budget.outcome?.lines.map((line) => line.name)).toEqual(['Verksamheter/projekt', 'Medlemsavgifter', 'Konferenser']);
    expect(reader.budget(bodyId, 2019, { asOf: '2019-12-30' })!.outcome).toBeNull();
  });

  it('finds the revisions a decision made and the budgets of a body', () => {
    expect(reader.revisionsOfDecision('d-juni').map((revision) => revision.totalAfter)).toEqual([6_138_840]);
    expect(reader.revisionsOfDecision('d-other')).toEqual([]);
    expect(reader.budgetsOfBody(bodyId)).toEqual([{ id: budgetId, year: 2019 }]);
  });
});
