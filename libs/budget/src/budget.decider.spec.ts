import { deciderSpec } from '@kansli/testing';
import { AdoptBudget, RecordBudgetOutcome, ReviseBudget, type AdoptedLine, type CitedDecision, type LineChange } from './budget.commands';
import { budgetDecider } from './budget.decider';
import { budgetIdOf, type BudgetAdopted, type BudgetEvent, type BudgetRevised } from './budget.events';

const context = { occurredAt: '2019-01-10T10:00:00+01:00' };
const bodyId = 'body-1';
const budgetId = budgetIdOf(bodyId, 2019);
const decision = (overrides: Partial<CitedDecision> = {}): CitedDecision => ({ decisionId: 'd1', bodyId, decidedAt: '2019-06-14T10:00:00+02:00', ...overrides });

const lines: AdoptedLine[] = [
  { code: 'KANSLI', name: 'Kansli', amount: 1_131_000, kind: 'COST', contributor: null },
  { code: 'INSATSER', name: 'Verksamheter/projekt', amount: 4_000_000, kind: 'COST', contributor: null },
  { code: 'STATEN', name: 'Medlemsavgift staten', amount: 2_907_000, kind: 'INCOME', contributor: 'Försäkringskassan' },
];
const adopt = (overrides: Partial<AdoptBudget> = {}) =>
  Object.assign(new AdoptBudget(bodyId, 2019, lines, null, '2018-11-22T10:00:00+01:00', context), overrides);
const adopted: BudgetAdopted = {
  type: 'BudgetAdopted',
  data: { budgetId, bodyId, year: 2019, lines: lines.map((line) => ({ ...line })), decisionId: null, adoptedAt: '2018-11-22T10:00:00+01:00' },
};
const change = (code: string, amount: number, overrides: Partial<LineChange> = {}): LineChange => ({ code, name: null, amount, kind: null, contributor: null, ...overrides });
const revise = (changes: LineChange[], overrides: Partial<ReviseBudget> = {}) =>
  Object.assign(new ReviseBudget(budgetId, changes, 'Tilläggsbeslut om nya insatser', 'd1', '2019-06-14T12:00:00+02:00', context, decision()), overrides);
const revised = (changes: BudgetRevised['data']['changes'], overrides: Partial<BudgetRevised['data']> = {}): BudgetRevised => ({
  type: 'BudgetRevised',
  data: { budgetId, bodyId, year: 2019, changes, reason: 'Tilläggsbeslut om nya insatser', decisionId: 'd1', revisedAt: '2019-06-14T12:00:00+02:00', ...overrides },
});
const outcome = (outcomeLines: Array<{ code: string; amount: number }>, asOf = '2019-12-31') => new RecordBudgetOutcome(budgetId, asOf, 'Årsredovisning 2019', outcomeLines, context);

describe('budget decider', () => {
  it('adopts a budget once per body and year: a second adoption is refused and points to reviseBudget', () => {
    deciderSpec(budgetDecider).given([]).when(adopt()).then([adopted]);
    deciderSpec(budgetDecider).given([adopted]).when(adopt()).thenThrows(/already adopted .*change it with reviseBudget/, { code: 'BAD_USER_INPUT' });
  });

  it('derives the budget id from the body and the year', () => {
    expect(budgetIdOf(bodyId, 2019)).toBe(budgetIdOf(bodyId, 2019));
    expect(budgetIdOf(bodyId, 2019)).not.toBe(budgetIdOf(bodyId, 2020));
    expect(budgetIdOf(bodyId, 2019)).not.toBe(budgetIdOf('body-2', 2019));
  });

  it('refuses negative amounts, fractions, duplicate codes, nameless lines, a contributor on a cost and a year out of range', () => {
    const withLine = (line: Partial<AdoptedLine>) => adopt({ lines: [...lines, { code: 'X', name: 'X', amount: 1, kind: 'COST', contributor: null, ...line }] });
    deciderSpec(budgetDecider).given([]).when(withLine({ amount: -5 })).thenThrows(/line "X" is negative \(-5 kr\)/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([]).when(withLine({ amount: 1.5 })).thenThrows(/whole kronor/);
    deciderSpec(budgetDecider).given([]).when(withLine({ code: 'KANSLI' })).thenThrows(/Line "KANSLI" appears twice in lines/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([]).when(withLine({ name: '  ' })).thenThrows(/Line "X" needs a name/);
    deciderSpec(budgetDecider).given([]).when(withLine({ code: ' ' })).thenThrows(/needs a code/);
    deciderSpec(budgetDecider).given([]).when(withLine({ contributor: 'Norsjö kommun' })).thenThrows(/only an INCOME line has a contributor/);
    deciderSpec(budgetDecider).given([]).when(adopt({ year: 19 })).thenThrows(/year must be a year from 1900 to 2100, got 19/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([]).when(adopt({ year: 2101 })).thenThrows(/year must be/);
    deciderSpec(budgetDecider).given([]).when(withLine({ amount: 2_147_483_000 })).thenThrows(/costs would add up to/);
  });

  it('an adoption that cites a decision cites one of the same body, taken no later than the adoption', () => {
    const cited = decision({ decidedAt: '2018-11-22T09:30:00+01:00' });
    deciderSpec(budgetDecider)
      .given([])
      .when(adopt({ decisionId: 'd1', cited }))
      .then([{ ...adopted, data: { ...adopted.data, decisionId: 'd1' } }]);
    deciderSpec(budgetDecider).given([]).when(adopt({ decisionId: 'd1', cited: null })).thenThrows(/Decision d1 does not exist/, { code: 'NOT_FOUND' });
    deciderSpec(budgetDecider).given([]).when(adopt({ decisionId: 'd1', cited: { ...cited, bodyId: 'body-2' } })).thenThrows(/another body's decision/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([]).when(adopt({ decisionId: 'd1', cited: decision() })).thenThrows(/cannot count from 2018-11-22, before the decision that made it \(2019-06-14\)/);
  });

  it('a revision cites a decision of the same body', () => {
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', 1_000_000)], { cited: decision({ bodyId: 'body-2' }) })).thenThrows(/another body's decision/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', 1_000_000)], { cited: null })).thenThrows(/Decision d1 does not exist/, { code: 'NOT_FOUND' });
  });

  it('a revision sets the new amounts of existing lines, keeping their name and kind, and adds a line only when given a name', () => {
    deciderSpec(budgetDecider)
      .given([adopted])
      .when(revise([change('INSATSER', 4_400_000), change('KONF', 250_000, { name: 'Konferenser' }), change('REGION', 1_454_000, { name: 'Medlemsavgift region', kind: 'INCOME', contributor: 'Region Västerbotten' })]))
      .then([
        revised([
          { code: 'INSATSER', name: 'Verksamheter/projekt', amount: 4_400_000, kind: 'COST', contributor: null },
          { code: 'KONF', name: 'Konferenser', amount: 250_000, kind: 'COST', contributor: null },
          { code: 'REGION', name: 'Medlemsavgift region', amount: 1_454_000, kind: 'INCOME', contributor: 'Region Västerbotten' },
        ]),
      ]);
    deciderSpec(budgetDecider)
      .given([adopted])
      .when(revise([change('KONF', 250_000)]))
      .thenThrows(/The 2019 budget has no line "KONF": to add it as a new line, give its name/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', 0)])).then([revised([{ ...lines[0], amount: 0 }])]);
  });

  it('a revision keeps a line\'s kind, refuses negative amounts and duplicate codes, and needs a reason and a change', () => {
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', 5, { kind: 'INCOME' })])).thenThrows(/is a COST line and stays one/);
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', -1)])).thenThrows(/negative/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', 1), change('KANSLI', 2)])).thenThrows(/appears twice in changes/);
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', 1)], { reason: ' ' })).thenThrows(/Give the reason/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([adopted]).when(revise([])).thenThrows(/changes at least one line/);
  });

  it('a revision counts from after the adoption and the previous revision, and not from before its decision', () => {
    deciderSpec(budgetDecider)
      .given([adopted])
      .when(revise([change('KANSLI', 1)], { revisedAt: '2018-11-01T10:00:00+01:00', cited: decision({ decidedAt: '2018-10-01T10:00:00+02:00' }) }))
      .thenThrows(/before the budget was adopted/, { code: 'BAD_USER_INPUT' });
    const first = revised([{ ...lines[0], amount: 1 }], { revisedAt: '2019-09-01T10:00:00+02:00' });
    deciderSpec(budgetDecider).given([adopted, first]).when(revise([change('KANSLI', 2)])).thenThrows(/before the budget's last revision/);
    deciderSpec(budgetDecider).given([adopted]).when(revise([change('KANSLI', 2)], { revisedAt: '2019-06-13T12:00:00+02:00' })).thenThrows(/before the decision that made it/);
  });

  it('an outcome is of the budget\'s own lines, once each, as of a date from the budget\'s year', () => {
    deciderSpec(budgetDecider)
      .given([adopted])
      .when(outcome([{ code: 'KANSLI', amount: 937_402 }, { code: 'STATEN', amount: 2_907_000 }]))
      .then([
        {
          type: 'BudgetOutcomeRecorded',
          data: { budgetId, bodyId, year: 2019, asOf: '2019-12-31', source: 'Årsredovisning 2019', lines: [{ code: 'KANSLI', amount: 937_402 }, { code: 'STATEN', amount: 2_907_000 }] },
        },
      ]);
    deciderSpec(budgetDecider).given([adopted]).when(outcome([{ code: 'KONF', amount: 1 }])).thenThrows(/no line "KONF": record the outcome of the budget's own lines/, { code: 'BAD_USER_INPUT' });
    deciderSpec(budgetDecider).given([adopted]).when(outcome([{ code: 'KANSLI', amount: 1 }, { code: 'KANSLI', amount: 2 }])).thenThrows(/appears twice/);
    deciderSpec(budgetDecider).given([adopted]).when(outcome([{ code: 'KANSLI', amount: -1 }])).thenThrows(/negative/);
    deciderSpec(budgetDecider).given([adopted]).when(outcome([])).thenThrows(/at least one line/);
    deciderSpec(budgetDecider).given([adopted]).when(outcome([{ code: 'KANSLI', amount: 1 }], '2018-12-31')).thenThrows(/as of a date in 2019 or later/);
    deciderSpec(budgetDecider).given([adopted]).when(new RecordBudgetOutcome(budgetId, '2019-12-31', ' ', [{ code: 'KANSLI', amount: 1 }], context)).thenThrows(/Give the source/);
  });

  it('revises and records outcomes only of a budget that exists', () => {
    deciderSpec(budgetDecider).given([]).when(revise([change('KANSLI', 1)])).thenThrows(new RegExp(`Budget ${budgetId} does not exist`), { code: 'NOT_FOUND' });
    deciderSpec(budgetDecider).given([]).when(outcome([{ code: 'KANSLI', amount: 1 }])).thenThrows(/does not exist/, { code: 'NOT_FOUND' });
  });

  it('folds revisions onto the adopted lines', () => {
    const history: BudgetEvent[] = [adopted, revised([{ ...lines[0], amount: 7 }])];
    const state = history.reduce(budgetDecider.evolve, budgetDecider.initialState());
    expect(state.lines.KANSLI.amount).toBe(7);
    expect(state.lines.INSATSER.amount).toBe(4_000_000);
    expect(state.lastChangedAt).toBe('2019-06-14T12:00:00+02:00');
  });
});
