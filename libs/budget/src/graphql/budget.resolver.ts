import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access, Clock, CommandingResolver, DateScalar, DateTimeScalar, type RequestContext } from '@kansli/api';
import { BodiesReader, BodyType } from '@kansli/bodies';
import { swedishDate } from '@kansli/kernel';
import { DecisionType, MeetingsReader } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { AdoptBudget, RecordBudgetOutcome, ReviseBudget } from '../budget.commands';
import { BudgetReader, type BudgetRevisionView, type BudgetView } from '../budget.reader';
import { AdoptBudgetInput, RecordBudgetOutcomeInput, ReviseBudgetInput } from './budget.inputs';
import { BudgetRevisionType, BudgetType } from './budget.types';

const trimmed = (text: string | undefined) => text?.trim() ?? null;

@Resolver(() => BudgetType)
export class BudgetResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly reader: BudgetReader,
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
  ) {
    super(commands, readModels, clock);
  }

  @Access('AUTHENTICATED')
  @Query(() => BudgetType, {
    nullable: true,
    description:
      'The body\'s budget of the year as it stood on asOf (today when left out): revisions count from their revisedAt\'s day, ' +
      'the outcome from its asOf; null before its adoption. knownAt: only what was recorded by then.',
  })
  budget(
    @Args('bodyId', { type: () => ID }) bodyId: string,
    @Args('year', { type: () => Int }) year: number,
    @Args('asOf', { type: () => DateScalar, nullable: true }) asOf?: string,
    @Args('knownAt', { type: () => DateTimeScalar, nullable: true }) knownAt?: string,
  ): BudgetView | null {
    return this.reader.budget(bodyId, year, { asOf: asOf ?? this.today(), knownAt: knownAt ?? undefined }) ?? null;
  }

  @ResolveField(() => BodyType) body(@Parent() budget: BudgetType) {
    return this.bodies.body(budget.bodyId);
  }

  @ResolveField(() => DecisionType, { nullable: true, description: 'The decision that adopted it, when the adoption cites one.' })
  decision(@Parent() budget: BudgetType) {
    return budget.decisionId === null ? null : this.meetings.decision(budget.decisionId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => BudgetType, { description: 'Adopts the body\'s budget of a year, once: later changes are revisions (reviseBudget).' })
  async adoptBudget(@Args('input') input: AdoptBudgetInput, @Context('request') request: RequestContext): Promise<BudgetView> {
    const adoptedAt = input.adoptedAt ?? this.now();
    const lines = (input.lines ?? []).map((line) => ({ code: line.code.trim(), name: line.name.trim(), amount: line.amount, kind: line.kind, contributor: trimmed(line.contributor) }));
    const command = new AdoptBudget(input.bodyId, input.year, lines, input.decisionId ?? null, adoptedAt, this.context(request, adoptedAt));
    await this.run(command);
    return this.standing(command.budgetId, swedishDate(adoptedAt));
  }

  @Access('SEKRETERARE')
  @Mutation(() => BudgetType, { description: 'Revises the budget by the board\'s decision: new amounts of lines, or new lines with a name.' })
  async reviseBudget(@Args('input') input: ReviseBudgetInput, @Context('request') request: RequestContext): Promise<BudgetView> {
    const revisedAt = input.revisedAt ?? this.now();
    const changes = input.changes.map((change) => ({
      code: change.code.trim(),
      name: trimmed(change.name),
      amount: change.amount,
      kind: change.kind ?? null,
      contributor: trimmed(change.contributor),
    }));
    await this.run(new ReviseBudget(input.budgetId, changes, input.reason, input.decisionId, revisedAt, this.context(request, revisedAt)));
    return this.standing(input.budgetId, swedishDate(revisedAt));
  }

  @Access('SEKRETERARE')
  @Mutation(() => BudgetType, { description: 'Records the utfall per line as of a date, e.g. from the årsredovisning.' })
  async recordBudgetOutcome(@Args('input') input: RecordBudgetOutcomeInput, @Context('request') request: RequestContext): Promise<BudgetView> {
    const lines = input.lines.map(({ code, amount }) => ({ code: code.trim(), amount }));
    await this.run(new RecordBudgetOutcome(input.budgetId, input.asOf, input.source, lines, this.context(request)));
    return this.standing(input.budgetId, input.asOf);
  }

  /** The budget as it stands today, or on the day of the change when that is later, so the change shows. */
  private standing(budgetId: string, day: string): BudgetView {
    return this.reader.budgetById(budgetId, { asOf: day > this.today() ? day : this.today() })!;
  }
}

@Resolver(() => BudgetRevisionType)
export class BudgetRevisionResolver {
  constructor(private readonly meetings: MeetingsReader) {}

  @ResolveField(() => DecisionType, { nullable: true, description: 'The decision that made the revision.' })
  decision(@Parent() revision: BudgetRevisionView) {
    return this.meetings.decision(revision.decisionId) ?? null;
  }
}

@Resolver(() => DecisionType)
export class DecisionBudgetResolver {
  constructor(private readonly reader: BudgetReader) {}

  @Access('AUTHENTICATED')
  @ResolveField(() => [BudgetRevisionType], { description: 'The budget revisions this decision made.' })
  budgetRevisions(@Parent() decision: DecisionType): BudgetRevisionView[] {
    return this.reader.revisionsOfDecision(decision.id);
  }
}
