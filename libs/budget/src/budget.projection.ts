import { swedishDate } from '@kansli/kernel';
import { statement, type Projection } from '@kansli/projections';
import type Database from 'better-sqlite3';
import type { BudgetEvent, BudgetLine } from './budget.events';

/**
 * Budgets as `budget(bodyId, year, asOf, knownAt)` shows them. Every version of a line is a row with the day it
 * counts from (`effective_on`: the adoption's or the revision's day) and when it was recorded, so that `asOf`
 * (business time) and `knownAt` (record time) are answered by a select; revisions and outcomes are rows too.
 * A revision's totals before and after are summed here from the lines as the stream had them. Reads only the event
 * (its data, its revision in the stream, its recordedAt): a rebuild gives the same rows.
 */
export const budgetProjection: Projection = {
  name: 'budget',
  eventTypes: ['BudgetAdopted', 'BudgetRevised', 'BudgetOutcomeRecorded'],
  deferredIndexes: ['rm_budgets_body', 'rm_budget_revisions_decision'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_budgets (
        id TEXT PRIMARY KEY, body_id TEXT NOT NULL, year INTEGER NOT NULL, adopted_at TEXT NOT NULL, adopted_on TEXT NOT NULL,
        decision_id TEXT, recorded_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS rm_budgets_body ON rm_budgets (body_id, year);
      CREATE TABLE IF NOT EXISTS rm_budget_lines (
        budget_id TEXT NOT NULL, code TEXT NOT NULL, seq INTEGER NOT NULL, line_no INTEGER NOT NULL, name TEXT NOT NULL,
        amount INTEGER NOT NULL, kind TEXT NOT NULL, contributor TEXT, effective_on TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (budget_id, code, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS rm_budget_revisions (
        budget_id TEXT NOT NULL, seq INTEGER NOT NULL, revised_at TEXT NOT NULL, revised_on TEXT NOT NULL, reason TEXT NOT NULL,
        decision_id TEXT NOT NULL, changes TEXT NOT NULL, total_before INTEGER NOT NULL, total_after INTEGER NOT NULL,
        result_before INTEGER NOT NULL, result_after INTEGER NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (budget_id, seq)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS rm_budget_revisions_decision ON rm_budget_revisions (decision_id);
      CREATE TABLE IF NOT EXISTS rm_budget_outcomes (
        budget_id TEXT NOT NULL, seq INTEGER NOT NULL, as_of TEXT NOT NULL, source TEXT NOT NULL, lines TEXT NOT NULL,
        recorded_at TEXT NOT NULL, PRIMARY KEY (budget_id, seq)) WITHOUT ROWID;
    `);
  },
  apply(db, recorded) {
    const event = recorded as unknown as BudgetEvent;
    const seq = Number(recorded.revision);
    switch (event.type) {
      case 'BudgetAdopted': {
        const { budgetId, bodyId, year, lines, decisionId, adoptedAt } = event.data;
        const adoptedOn = swedishDate(adoptedAt);
        statement(db, 'INSERT INTO rm_budgets (id, body_id, year, adopted_at, adopted_on, decision_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          budgetId,
          bodyId,
          year,
          adoptedAt,
          adoptedOn,
          decisionId,
          recorded.recordedAt,
        );
        lines.forEach((line, index) => insertLine(db, budgetId, seq, index + 1, line, adoptedOn, recorded.recordedAt));
        return;
      }
      case 'BudgetRevised': {
        const { budgetId, changes, reason, decisionId, revisedAt } = event.data;
        const revisedOn = swedishDate(revisedAt);
        const before = currentLines(db, budgetId);
        const after = new Map(before);
        let lastLineNo = Math.max(0, ...[...before.values()].map((line) => line.lineNo));
        for (const change of changes) {
          const lineNo = before.get(change.code)?.lineNo ?? ++lastLineNo;
          after.set(change.code, { ...change, lineNo });
          insertLine(db, budgetId, seq, lineNo, change, revisedOn, recorded.recordedAt);
        }
        const [totalsBefore, totalsAfter] = [totals(before.values()), totals(after.values())];
        statement(
          db,
          `INSERT INTO rm_budget_revisions (budget_id, seq, revised_at, revised_on, reason, decision_id, changes, total_before, total_after, result_before, result_after, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(budgetId, seq, revisedAt, revisedOn, reason, decisionId, JSON.stringify(changes), totalsBefore.total, totalsAfter.total, totalsBefore.result, totalsAfter.result, recorded.recordedAt);
        return;
      }
      case 'BudgetOutcomeRecorded': {
        const { budgetId, asOf, source, lines } = event.data;
        statement(db, 'INSERT INTO rm_budget_outcomes (budget_id, seq, as_of, source, lines, recorded_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          budgetId,
          seq,
          asOf,
          source,
          JSON.stringify(lines),
          recorded.recordedAt,
        );
        return;
      }
    }
  },
};

type CurrentLine = Pick<BudgetLine, 'amount' | 'kind'> & { lineNo: number };

function insertLine(db: Database.Database, budgetId: string, seq: number, lineNo: number, line: BudgetLine, effectiveOn: string, recordedAt: string): void {
  statement(
    db,
    `INSERT INTO rm_budget_lines (budget_id, code, seq, line_no, name, amount, kind, contributor, effective_on, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(budgetId, line.code, seq, lineNo, line.name, line.amount, line.kind, line.contributor, effectiveOn, recordedAt);
}

/** Each line's latest version, as the stream has it so far. */
function currentLines(db: Database.Database, budgetId: string): Map<string, CurrentLine> {
  const rows = statement(
    db,
    `SELECT code, line_no AS lineNo, amount, kind FROM rm_budget_lines l
     WHERE budget_id = @budgetId AND seq = (SELECT max(seq) FROM rm_budget_lines m WHERE m.budget_id = @budgetId AND m.code = l.code)`,
  ).all({ budgetId }) as Array<CurrentLine & { code: string }>;
  return new Map(rows.map(({ code, ...line }) => [code, line]));
}

/**
 * A budget's figures from its lines: `income` the INCOME lines, `costs` the COST lines, `result` = income − costs,
 * and `total` = costs, the budget's omslutning (the årsredovisning's "Totalt" is the sum of the cost lines).
 */
export function totals(lines: Iterable<Pick<BudgetLine, 'amount' | 'kind'>>): { total: number; income: number; costs: number; result: number } {
  let income = 0;
  let costs = 0;
  for (const line of lines) {
    if (line.kind === 'INCOME') income += line.amount;
    else costs += line.amount;
  }
  return { total: costs, income, costs, result: income - costs };
}
