import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand } from '@kansli/event-store';
import { AdoptBudget, RecordBudgetOutcome, ReviseBudget } from '../budget.commands';
import { budgetDecider } from '../budget.decider';
import { budgetStream } from '../budget.events';
import { BudgetFacts } from '../budget.facts';

/** The adoption of the body's budget of a year, with the decision it cites. */
@CommandHandler(AdoptBudget)
export class AdoptBudgetHandler implements ICommandHandler<AdoptBudget> {
  constructor(private readonly events: EventStore, private readonly facts: BudgetFacts) {}
  execute(command: AdoptBudget) {
    this.facts.assertBody(command.bodyId);
    const cited = command.decisionId === null ? null : this.facts.decision(command.decisionId);
    return handleCommand(this.events, budgetStream(command.budgetId), budgetDecider, command.citing(cited), command.context, { cache: this.facts.folds });
  }
}

/** A revision, with the decision it cites. */
@CommandHandler(ReviseBudget)
export class ReviseBudgetHandler implements ICommandHandler<ReviseBudget> {
  constructor(private readonly events: EventStore, private readonly facts: BudgetFacts) {}
  execute(command: ReviseBudget) {
    return handleCommand(this.events, budgetStream(command.budgetId), budgetDecider, command.citing(this.facts.decision(command.decisionId)), command.context, {
      cache: this.facts.folds,
    });
  }
}

@CommandHandler(RecordBudgetOutcome)
export class RecordBudgetOutcomeHandler implements ICommandHandler<RecordBudgetOutcome> {
  constructor(private readonly events: EventStore, private readonly facts: BudgetFacts) {}
  execute(command: RecordBudgetOutcome) {
    return handleCommand(this.events, budgetStream(command.budgetId), budgetDecider, command, command.context, { cache: this.facts.folds });
  }
}
