import { Module, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ComplianceFindings } from '@kansli/api';
import { BodiesModule, BodiesReader } from '@kansli/bodies';
import { MeetingsModule } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { BudgetFacts } from './budget.facts';
import { budgetFindings } from './budget.findings';
import { BudgetReader } from './budget.reader';
import { BudgetResolver, BudgetRevisionResolver, DecisionBudgetResolver } from './graphql/budget.resolver';
import * as handlers from './handlers/budget.handlers';

@Module({
  imports: [CqrsModule, BodiesModule, MeetingsModule],
  providers: [
    { provide: BudgetReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new BudgetReader(readModels.database) },
    BudgetFacts,
    ...Object.values(handlers),
    BudgetResolver,
    BudgetRevisionResolver,
    DecisionBudgetResolver,
  ],
  exports: [BudgetReader],
})
export class BudgetModule implements OnModuleInit {
  constructor(
    private readonly compliance: ComplianceFindings,
    private readonly budgets: BudgetReader,
    private readonly bodies: BodiesReader,
  ) {}

  /** R13's contribution findings of a FINSAM board's budgets in `complianceFindings`. */
  onModuleInit(): void {
    this.compliance.register((bodyId, period) => (this.bodies.body(bodyId)?.finsam ? budgetFindings(this.budgets, bodyId, period) : []));
  }
}
