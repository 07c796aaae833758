import type { CommandContext } from '@kansli/event-store';
import { budgetIdOf, type BudgetLineKind } from './budget.events';

/** A decision of the board that a command cites, as the meetings register records it: a fact the handler looks up. */
export type CitedDecision = { decisionId: string; bodyId: string; decidedAt: string };

export type AdoptedLine = { code: string; name: string; amount: number; kind: BudgetLineKind; contributor: string | null };

/** A revision's change of one line: the new amount; a name (and kind) adds a line whose code is new. */
export type LineChange = { code: string; name: string | null; amount: number; kind: BudgetLineKind | null; contributor: string | null };

/**
 * `cited`: the decision `decisionId` names, or null when there is none by that id. The budget's id follows from the
 * body and the year: a second adoption for the same year goes to the same stream, where the decider refuses it.
 */
export class AdoptBudget {
  readonly budgetId: string;

  constructor(
    readonly bodyId: string,
    readonly year: number,
    readonly lines: readonly AdoptedLine[],
    readonly decisionId: string | null,
    readonly adoptedAt: string,
    readonly context: CommandContext,
    readonly cited: CitedDecision | null = null,
  ) {
    this.budgetId = budgetIdOf(bodyId, year);
  }

  citing(cited: CitedDecision | null): AdoptBudget {
    return new AdoptBudget(this.bodyId, this.year, this.lines, this.decisionId, this.adoptedAt, this.context, cited);
  }
}

export class ReviseBudget {
  constructor(
    readonly budgetId: string,
    readonly changes: readonly LineChange[],
    readonly reason: string,
    readonly decisionId: string,
    readonly revisedAt: string,
    readonly context: CommandContext,
    readonly cited: CitedDecision | null = null,
  ) {}

  citing(cited: CitedDecision | null): ReviseBudget {
    return new ReviseBudget(this.budgetId, this.changes, this.reason, this.decisionId, this.revisedAt, this.context, cited);
  }
}

export class RecordBudgetOutcome {
  constructor(
    readonly budgetId: string,
    readonly asOf: string,
    readonly source: string,
    readonly lines: ReadonlyArray<{ code: string; amount: number }>,
    readonly context: CommandContext,
  ) {}
}

export type BudgetCommand = AdoptBudget | ReviseBudget | RecordBudgetOutcome;
