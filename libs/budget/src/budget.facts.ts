import { Injectable } from '@nestjs/common';
import { BodiesReader } from '@kansli/bodies';
import { FoldCache } from '@kansli/event-store';
import { NotFound } from '@kansli/kernel';
import { MeetingsReader } from '@kansli/meetings';
import type { CitedDecision } from './budget.commands';

/** Facts from other registers that the budget's commands carry to the decider: the body, the decision cited. */
@Injectable()
export class BudgetFacts {
  /** Budgets folded recently: a revision reads only the events since (a budget's stream grows with each one). */
  readonly folds = new FoldCache();

  constructor(
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
  ) {}

  assertBody(bodyId: string): void {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
  }

  /** The cited decision, or null when there is none by that id (the decider answers NOT_FOUND). */
  decision(decisionId: string): CitedDecision | null {
    const decision = this.meetings.decision(decisionId);
    return decision ? { decisionId, bodyId: decision.bodyId, decidedAt: decision.decidedAt } : null;
  }
}
