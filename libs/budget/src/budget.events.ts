import { v5 as uuidv5 } from 'uuid';
import type { DomainEvent } from '@kansli/event-store';

export type BudgetLineKind = 'INCOME' | 'COST';

/** A budget line as it stands after an adoption or a revision. Amounts are whole kronor, 0 or more; the kind gives the sign. */
export type BudgetLine = {
  code: string;
  name: string;
  amount: number;
  kind: BudgetLineKind;
  /** The member organisation paying an INCOME line (FINSAM shares, R13); null otherwise. */
  contributor: string | null;
};

/** `decisionId`: the board's decision that adopted it, when the adoption cites one. */
export type BudgetAdopted = DomainEvent<
  'BudgetAdopted',
  { budgetId: string; bodyId: string; year: number; lines: BudgetLine[]; decisionId: string | null; adoptedAt: string }
>;

/** `changes`: each changed or added line as it stands after the revision (a new code adds a line). */
export type BudgetRevised = DomainEvent<
  'BudgetRevised',
  { budgetId: string; bodyId: string; year: number; changes: BudgetLine[]; reason: string; decisionId: string; revisedAt: string }
>;

/** The utfall per line as of a date, e.g. from the årsredovisning. */
export type BudgetOutcomeRecorded = DomainEvent<
  'BudgetOutcomeRecorded',
  { budgetId: string; bodyId: string; year: number; asOf: string; source: string; lines: Array<{ code: string; amount: number }> }
>;

export type BudgetEvent = BudgetAdopted | BudgetRevised | BudgetOutcomeRecorded;

const BUDGET_NAMESPACE = '5b0e3c55-6f0c-4d47-9a3e-2f8b4a0c7d11';

/**
 * A body has one budget per year: its id is derived from the body and the year, so a second adoption for the same
 * year meets the first in one stream, and the stream's expected revision refuses it even when both come at once.
 */
export const budgetIdOf = (bodyId: string, year: number) => uuidv5(`${bodyId}/${year}`, BUDGET_NAMESPACE);
export const budgetStream = (budgetId: string) => `budget-${budgetId}`;
