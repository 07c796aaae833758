import { statement } from '@kansli/projections';
import type Database from 'better-sqlite3';
import type { BudgetLine, BudgetLineKind } from './budget.events';
import { totals } from './budget.projection';

export interface BudgetRevisionView {
  budgetId: string;
  revisedAt: string;
  reason: string;
  decisionId: string;
  changes: BudgetLine[];
  totalBefore: number;
  totalAfter: number;
  resultBefore: number;
  resultAfter: number;
}

export interface BudgetOutcomeView {
  asOf: string;
  source: string;
  lines: BudgetLine[];
  /** Income − costs over the outcome's lines. */
  result: number;
}

export interface BudgetComparisonLineView {
  code: string;
  name: string;
  kind: BudgetLineKind;
  /** As adopted; 0 for a line a revision added. */
  adopted: number;
  /** As it stands (after the revisions that count). */
  revised: number;
  outcome: number | null;
  /** outcome − revised. */
  deviation: number | null;
}

export interface BudgetView {
  id: string;
  bodyId: string;
  year: number;
  adoptedAt: string;
  decisionId: string | null;
  lines: BudgetLine[];
  total: number;
  income: number;
  costs: number;
  result: number;
  revisions: BudgetRevisionView[];
  outcome: BudgetOutcomeView | null;
  comparison: BudgetComparisonLineView[];
}

/**
 * `asOf`: a business date — the budget as it stood that day (revisions count from their revisedAt's day, an outcome
 * from its asOf); every recorded change when omitted. `knownAt`: an instant — only what was recorded by then.
 */
export interface BudgetTime {
  asOf?: string;
  knownAt?: string;
}

interface BudgetRow { id: string; body_id: string; year: number; adopted_at: string; decision_id: string | null }
interface LineRow { code: string; seq: number; name: string; amount: number; kind: BudgetLineKind; contributor: string | null }
interface RevisionRow {
  budget_id: string; revised_at: string; reason: string; decision_id: string; changes: string;
  total_before: number; total_after: number; result_before: number; result_after: number;
}
interface OutcomeRow { as_of: string; source: string; lines: string }

const LAST_DAY = '9999-12-31';
/** A record time compares as the store writes it (ISO 8601 in UTC, with milliseconds). */
const recordTime = (knownAt: string | undefined) => (knownAt === undefined ? '9999-12-31T23:59:59.999Z' : new Date(knownAt).toISOString());
const toLine = ({ code, name, amount, kind, contributor }: LineRow): BudgetLine => ({ code, name, amount, kind, contributor });
const toRevision = (row: RevisionRow): BudgetRevisionView => ({
  budgetId: row.budget_id,
  revisedAt: row.revised_at,
  reason: row.reason,
  decisionId: row.decision_id,
  changes: JSON.parse(row.changes) as BudgetLine[],
  totalBefore: row.total_before,
  totalAfter: row.total_after,
  resultBefore: row.result_before,
  resultAfter: row.result_after,
});

/** The version of each line that counts on `asOf` as known at `knownAt`: the latest such, by the stream's order. */
const LINES_AS_OF = `SELECT code, seq, name, amount, kind, contributor FROM rm_budget_lines l
  WHERE budget_id = @id AND seq = (SELECT max(seq) FROM rm_budget_lines m
    WHERE m.budget_id = @id AND m.code = l.code AND m.effective_on <= @asOf AND m.recorded_at <= @knownAt)
  ORDER BY line_no`;

/** Queries over the budget read model: every answer is a few selects, never a fold of the stream. */
export class BudgetReader {
  constructor(private readonly db: Database.Database) {}

  /** The body's budget of the year as it stood on `asOf`, as known at `knownAt`; undefined before it was adopted. */
  budget(bodyId: string, year: number, time: BudgetTime = {}): BudgetView | undefined {
    const row = statement(this.db, 'SELECT id FROM rm_budgets WHERE body_id = ? AND year = ?').get(bodyId, year) as { id: string } | undefined;
    return row && this.budgetById(row.id, time);
  }

  budgetById(id: string, time: BudgetTime = {}): BudgetView | undefined {
    const at = { id, asOf: time.asOf ?? LAST_DAY, knownAt: recordTime(time.knownAt) };
    const row = statement(this.db, 'SELECT * FROM rm_budgets WHERE id = @id AND adopted_on <= @asOf AND recorded_at <= @knownAt').get(at) as BudgetRow | undefined;
    if (!row) return undefined;
    const lineRows = statement(this.db, LINES_AS_OF).all(at) as LineRow[];
    const lines = lineRows.map(toLine);
    const view = { id, bodyId: row.body_id, year: row.year, adoptedAt: row.adopted_at, decisionId: row.decision_id, lines, ...totals(lines) };
    // Revisions, outcome and comparison are read when asked for: a mutation's answer rarely selects them all.
    let revisions: BudgetRevisionView[] | undefined;
    let outcome: BudgetOutcomeView | null | undefined;
    let comparison: BudgetComparisonLineView[] | undefined;
    return Object.defineProperties(view, {
      revisions: { enumerable: true, get: () => (revisions ??= this.revisions(at)) },
      outcome: { enumerable: true, get: () => (outcome === undefined ? (outcome = this.outcome(at, lines)) : outcome) },
      comparison: { enumerable: true, get: () => (comparison ??= this.comparison(id, lines, (view as BudgetView).outcome)) },
    }) as BudgetView;
  }

  private revisions(at: { id: string; asOf: string; knownAt: string }): BudgetRevisionView[] {
    const rows = statement(this.db, 'SELECT * FROM rm_budget_revisions WHERE budget_id = @id AND revised_on <= @asOf AND recorded_at <= @knownAt ORDER BY seq').all(at) as RevisionRow[];
    return rows.map(toRevision);
  }

  /** Per line as it stands: the adopted amount (the versions numbered 0: the adoption is the stream's first event), the outcome, the deviation. */
  private comparison(id: string, lines: readonly BudgetLine[], outcome: BudgetOutcomeView | null): BudgetComparisonLineView[] {
    const adoptedRows = statement(this.db, 'SELECT code, amount FROM rm_budget_lines WHERE budget_id = ? AND seq = 0').all(id) as Array<{ code: string; amount: number }>;
    const adopted = new Map(adoptedRows.map((line) => [line.code, line.amount]));
    const outcomes = new Map(outcome?.lines.map((line) => [line.code, line.amount]));
    return lines.map(({ code, name, kind, amount }) => {
      const actual = outcomes.get(code) ?? null;
      return { code, name, kind, adopted: adopted.get(code) ?? 0, revised: amount, outcome: actual, deviation: actual === null ? null : actual - amount };
    });
  }

  /** The budget revisions a decision made. */
  revisionsOfDecision(decisionId: string): BudgetRevisionView[] {
    return (statement(this.db, 'SELECT * FROM rm_budget_revisions WHERE decision_id = ? ORDER BY budget_id, seq').all(decisionId) as RevisionRow[]).map(toRevision);
  }

  /** The body's budgets, by year. */
  budgetsOfBody(bodyId: string): Array<{ id: string; year: number }> {
    return statement(this.db, 'SELECT id, year FROM rm_budgets WHERE body_id = ? ORDER BY year').all(bodyId) as Array<{ id: string; year: number }>;
  }

  /** The latest outcome as of `asOf` known at `knownAt`, its lines named as the budget names them. */
  private outcome(at: { id: string; asOf: string; knownAt: string }, lines: readonly BudgetLine[]): BudgetOutcomeView | null {
    const row = statement(this.db, 'SELECT as_of, source, lines FROM rm_budget_outcomes WHERE budget_id = @id AND as_of <= @asOf AND recorded_at <= @knownAt ORDER BY as_of DESC, seq DESC LIMIT 1').get(at) as
      | OutcomeRow
      | undefined;
    if (!row) return null;
    const byCode = new Map(lines.map((line) => [line.code, line]));
    const outcomeLines = (JSON.parse(row.lines) as Array<{ code: string; amount: number }>).map(({ code, amount }) => ({ ...(byCode.get(code) ?? this.lastVersion(at.id, code)), amount }));
    return { asOf: row.as_of, source: row.source, lines: outcomeLines, result: totals(outcomeLines).result };
  }

  /** A line that did not count yet on `asOf` (added by a later revision) but has an outcome by then. */
  private lastVersion(budgetId: string, code: string): BudgetLine {
    return toLine(statement(this.db, 'SELECT code, seq, name, amount, kind, contributor FROM rm_budget_lines WHERE budget_id = ? AND code = ? ORDER BY seq DESC LIMIT 1').get(budgetId, code) as LineRow);
  }
}
