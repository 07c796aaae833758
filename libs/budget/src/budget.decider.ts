import type { Decider } from '@kansli/event-store';
import { InvalidInput, isIsoDate, NotFound, swedishDate } from '@kansli/kernel';
import { AdoptBudget, RecordBudgetOutcome, ReviseBudget, type BudgetCommand, type CitedDecision } from './budget.commands';
import type { BudgetEvent, BudgetLine } from './budget.events';

export interface BudgetState {
  budgetId: string | null;
  bodyId: string;
  year: number;
  lines: Readonly<Record<string, BudgetLine>>;
  adoptedAt: string;
  /** The adoption's or the last revision's business time: revisions follow one another in time. */
  lastChangedAt: string;
}

export const YEARS = { min: 1900, max: 2100 } as const;
/** Sums are GraphQL `Int`s: income, costs and each total stay within 32 bits. */
export const MAX_TOTAL = 2_147_483_647;

const instant = (dateTime: string) => Date.parse(dateTime);

// A register that changes by decision: one adoption per body and year, revisions citing a decision of the same
// body and dated in order, outcomes of the budget's own lines. Amounts are whole kronor, 0 or more.
export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = {
  initialState: () => ({ budgetId: null, bodyId: '', year: 0, lines: {}, adoptedAt: '', lastChangedAt: '' }),

  evolve(state, event) {
    switch (event.type) {
      case 'BudgetAdopted': {
        const { budgetId, bodyId, year, lines, adoptedAt } = event.data;
        return { budgetId, bodyId, year, lines: Object.fromEntries(lines.map((line) => [line.code, line])), adoptedAt, lastChangedAt: adoptedAt };
      }
      case 'BudgetRevised':
        return {
          ...state,
          lines: { ...state.lines, ...Object.fromEntries(event.data.changes.map((line) => [line.code, line])) },
          lastChangedAt: event.data.revisedAt,
        };
      case 'BudgetOutcomeRecorded':
        return state;
    }
  },

  decide(command, state) {
    if (command instanceof AdoptBudget) return adopt(command, state);
    if (!state.budgetId) throw new NotFound('Budget', command.budgetId);
    if (command instanceof ReviseBudget) return revise(command, state);
    return recordOutcome(command, state);
  },
};

function adopt(command: AdoptBudget, state: BudgetState): BudgetEvent[] {
  const { budgetId, bodyId, year, decisionId, adoptedAt } = command;
  if (state.budgetId) {
    throw new InvalidInput(`The ${year} budget of this body is already adopted (budget ${state.budgetId}): change it with reviseBudget, citing the decision`);
  }
  if (!Number.isInteger(year) || year < YEARS.min || year > YEARS.max) {
    throw new InvalidInput(`year must be a year from ${YEARS.min} to ${YEARS.max}, got ${year}`);
  }
  assertDateTime('adoptedAt', adoptedAt);
  if (decisionId !== null) assertCited(decisionId, command.cited, bodyId, adoptedAt, 'adoption');
  assertDistinct(command.lines.map((line) => line.code), 'lines');
  const lines = command.lines.map((line) => checkedLine(line));
  assertTotals(lines, year);
  return [{ type: 'BudgetAdopted', data: { budgetId, bodyId, year, lines, decisionId, adoptedAt } }];
}

function revise(command: ReviseBudget, state: BudgetState): BudgetEvent[] {
  const { budgetId, decisionId, revisedAt } = command;
  assertCited(decisionId, command.cited, state.bodyId, revisedAt, 'revision');
  const reason = command.reason.trim();
  if (!reason) throw new InvalidInput('Give the reason for the revision (as the decision states it)');
  if (command.changes.length === 0) throw new InvalidInput('A revision changes at least one line: list the lines and their new amounts in changes');
  assertDateTime('revisedAt', revisedAt);
  if (instant(revisedAt) < instant(state.adoptedAt)) {
    throw new InvalidInput(`revisedAt (${revisedAt}) is before the budget was adopted (${state.adoptedAt}): a revision counts from a date after the adoption`);
  }
  if (instant(revisedAt) < instant(state.lastChangedAt)) {
    throw new InvalidInput(`revisedAt (${revisedAt}) is before the budget's last revision (${state.lastChangedAt}): record revisions in the order they took effect`);
  }
  assertDistinct(command.changes.map((change) => change.code), 'changes');
  const changes = command.changes.map((change) => {
    const existing = state.lines[change.code];
    if (!existing) {
      if (change.name === null || !change.name.trim()) {
        throw new InvalidInput(`The ${state.year} budget has no line "${change.code}": to add it as a new line, give its name (and kind, COST when left out)`);
      }
      return checkedLine({ code: change.code, name: change.name, amount: change.amount, kind: change.kind ?? 'COST', contributor: change.contributor });
    }
    if (change.kind !== null && change.kind !== existing.kind) {
      throw new InvalidInput(`Line "${change.code}" is ${existing.kind === 'COST' ? 'a COST' : 'an INCOME'} line and stays one: add a line with a new code for ${change.kind === 'COST' ? 'a cost' : 'an income'}`);
    }
    return checkedLine({ ...existing, name: change.name ?? existing.name, amount: change.amount, contributor: change.contributor ?? existing.contributor });
  });
  assertTotals(Object.values({ ...state.lines, ...Object.fromEntries(changes.map((line) => [line.code, line])) }), state.year);
  return [{ type: 'BudgetRevised', data: { budgetId, bodyId: state.bodyId, year: state.year, changes, reason, decisionId, revisedAt } }];
}

function recordOutcome(command: RecordBudgetOutcome, state: BudgetState): BudgetEvent[] {
  const { budgetId, asOf } = command;
  if (!isIsoDate(asOf)) throw new InvalidInput(`asOf must be a date (YYYY-MM-DD), got ${JSON.stringify(asOf)}`);
  if (asOf < `${state.year}-01-01`) throw new InvalidInput(`An outcome of the ${state.year} budget is as of a date in ${state.year} or later, not ${asOf}`);
  const source = command.source.trim();
  if (!source) throw new InvalidInput('Give the source of the outcome (e.g. "Årsredovisning 2019")');
  if (command.lines.length === 0) throw new InvalidInput('An outcome has at least one line: give the amount of each budget line by its code');
  assertDistinct(command.lines.map((line) => line.code), 'lines');
  const lines = command.lines.map(({ code, amount }) => {
    if (!state.lines[code]) {
      throw new InvalidInput(`The ${state.year} budget has no line "${code}": record the outcome of the budget's own lines, or add the line with reviseBudget first`);
    }
    assertAmount(code, amount);
    return { code, amount };
  });
  assertTotals(lines.map(({ code, amount }) => ({ ...state.lines[code], amount })), state.year);
  return [{ type: 'BudgetOutcomeRecorded', data: { budgetId, bodyId: state.bodyId, year: state.year, asOf, source, lines } }];
}

/** A line as it will be recorded: a code, a name, amount whole and not negative, a contributor only on an INCOME line. */
function checkedLine(line: { code: string; name: string; amount: number; kind: BudgetLine['kind']; contributor: string | null }): BudgetLine {
  const { code } = line;
  const name = line.name.trim();
  const contributor = line.contributor?.trim() || null;
  if (!code.trim()) throw new InvalidInput('Every budget line needs a code');
  if (!name) throw new InvalidInput(`Line "${code}" needs a name`);
  assertAmount(code, line.amount);
  if (contributor !== null && line.kind !== 'INCOME') {
    throw new InvalidInput(`Line "${code}" is a cost: only an INCOME line has a contributor (the member organisation paying it)`);
  }
  return { code, name, amount: line.amount, kind: line.kind, contributor };
}

function assertAmount(code: string, amount: number): void {
  if (!Number.isInteger(amount)) throw new InvalidInput(`The amount of line "${code}" must be whole kronor, got ${amount}`);
  if (amount < 0) {
    throw new InvalidInput(`The amount of line "${code}" is negative (${amount} kr): give amounts as 0 or more; the line's kind (INCOME or COST) gives its sign`);
  }
}

function assertTotals(lines: ReadonlyArray<Pick<BudgetLine, 'amount' | 'kind'>>, year: number): void {
  for (const kind of ['INCOME', 'COST'] as const) {
    const sum = lines.filter((line) => line.kind === kind).reduce((total, line) => total + line.amount, 0);
    if (sum > MAX_TOTAL) throw new InvalidInput(`The ${year} budget's ${kind === 'INCOME' ? 'income' : 'costs'} would add up to ${sum} kr, more than the ${MAX_TOTAL} kr the API can carry`);
  }
}

function assertDistinct(codes: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const code of codes) {
    if (seen.has(code)) throw new InvalidInput(`Line "${code}" appears twice in ${field}: give each code once`);
    seen.add(code);
  }
}

function assertDateTime(field: string, value: string): void {
  if (Number.isNaN(instant(value))) throw new InvalidInput(`${field} must be a date and time with offset, got ${JSON.stringify(value)}`);
}

/** The cited decision exists, is the same body's, and was taken no later than the day the change counts from. */
function assertCited(decisionId: string, cited: CitedDecision | null, bodyId: string, at: string, what: 'adoption' | 'revision'): void {
  if (!cited) throw new NotFound('Decision', decisionId);
  if (cited.bodyId !== bodyId) {
    throw new InvalidInput(`Decision ${decisionId} is another body's decision: cite the decision of the board whose budget this is`);
  }
  if (!Number.isNaN(instant(at)) && swedishDate(at) < swedishDate(cited.decidedAt)) {
    throw new InvalidInput(`The ${what} cannot count from ${swedishDate(at)}, before the decision that made it (${swedishDate(cited.decidedAt)}): give a date on or after the decision`);
  }
}
