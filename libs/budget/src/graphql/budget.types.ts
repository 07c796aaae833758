import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar, DateTimeScalar } from '@kansli/api';
import type { BudgetLineKind } from '../budget.events';

export const BudgetLineKindEnum = { INCOME: 'INCOME', COST: 'COST' } as const satisfies Record<BudgetLineKind, BudgetLineKind>;
registerEnumType(BudgetLineKindEnum, { name: 'BudgetLineKind', description: 'INCOME (intäkt) or COST (kostnad): the sign of a line\'s amount.' });

@ObjectType('BudgetLine', { description: 'A line of a budget. Amounts are whole kronor, 0 or more; the kind gives the sign.' })
export class BudgetLineType {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => Int) amount!: number;
  @Field(() => BudgetLineKindEnum) kind!: BudgetLineKind;
  @Field(() => String, { nullable: true, description: 'The member organisation paying an INCOME line (FINSAM shares, R13).' }) contributor!: string | null;
}

@ObjectType('BudgetRevision', { description: 'A change of the budget by the board\'s decision, counting from the day of revisedAt.' })
export class BudgetRevisionType {
  budgetId!: string;
  decisionId!: string;
  @Field(() => DateTimeScalar) revisedAt!: string;
  @Field() reason!: string;
  @Field(() => [BudgetLineType], { description: 'Each changed or added line as it stands after the revision.' }) changes!: BudgetLineType[];
  @Field(() => Int, { description: 'Budget.total (the costs) just before the revision.' }) totalBefore!: number;
  @Field(() => Int) totalAfter!: number;
  @Field(() => Int, { description: 'Budget.result (income − costs) just before the revision.' }) resultBefore!: number;
  @Field(() => Int) resultAfter!: number;
}

@ObjectType('BudgetOutcome', { description: 'The utfall per line as of a date, e.g. from the årsredovisning.' })
export class BudgetOutcomeType {
  @Field(() => DateScalar) asOf!: string;
  @Field() source!: string;
  @Field(() => [BudgetLineType], { description: 'The lines the outcome gives, named as the budget names them.' }) lines!: BudgetLineType[];
  @Field(() => Int, { description: 'Income − costs over the outcome\'s lines (negative: a deficit).' }) result!: number;
}

@ObjectType('BudgetComparisonLine', { description: 'One line of the budget: as adopted, as revised, its outcome and the deviation.' })
export class BudgetComparisonLineType {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => BudgetLineKindEnum) kind!: BudgetLineKind;
  @Field(() => Int, { description: 'As adopted; 0 for a line a revision added.' }) adopted!: number;
  @Field(() => Int, { description: 'As it stands after the revisions that count.' }) revised!: number;
  @Field(() => Int, { nullable: true, description: 'Null without an outcome for the line.' }) outcome!: number | null;
  @Field(() => Int, { nullable: true, description: 'outcome − revised.' }) deviation!: number | null;
}

@ObjectType('Budget', {
  description:
    'A body\'s budget of one year, as it stood on the day asked about. income: the INCOME lines; costs: the COST lines; ' +
    'result = income − costs (negative: a deficit); total = costs, the budget\'s omslutning (as the årsredovisning\'s "Totalt").',
})
export class BudgetType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  decisionId!: string | null;
  @Field(() => Int) year!: number;
  @Field(() => DateTimeScalar, { description: 'When it was adopted: the budget exists from this day.' }) adoptedAt!: string;
  @Field(() => [BudgetLineType]) lines!: BudgetLineType[];
  @Field(() => Int, { description: 'The sum of the COST lines (the omslutning).' }) total!: number;
  @Field(() => Int) income!: number;
  @Field(() => Int) costs!: number;
  @Field(() => Int, { description: 'income − costs (negative: a deficit).' }) result!: number;
  @Field(() => [BudgetRevisionType], { description: 'The revisions that count on the day asked about, oldest first.' }) revisions!: BudgetRevisionType[];
  @Field(() => BudgetOutcomeType, { nullable: true, description: 'The latest outcome whose asOf is on or before the day asked about.' }) outcome!: BudgetOutcomeType | null;
  @Field(() => [BudgetComparisonLineType], { description: 'Per line: adopted, revised, outcome, deviation.' }) comparison!: BudgetComparisonLineType[];
}
