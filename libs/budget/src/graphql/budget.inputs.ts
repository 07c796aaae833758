import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { DateScalar, DateTimeScalar } from '@kansli/api';
import type { BudgetLineKind } from '../budget.events';
import { BudgetLineKindEnum } from './budget.types';

/** Documented limits of a budget's texts and sizes. */
export const LIMITS = { code: 50, name: 300, contributor: 200, reason: 2000, source: 300, lines: 500 } as const;
const id = (name: string) => IsUUID('all', { message: `${name} is not a valid id` });
const text = (name: string, max: number) => Length(1, max, { message: `${name} must be 1–${max} characters` });
const lines = () => ArrayMaxSize(LIMITS.lines, { message: `at most ${LIMITS.lines} lines` });

@InputType()
export class BudgetLineInput {
  @Field() @IsString() @text('code', LIMITS.code) code!: string;
  @Field() @IsString() @text('name', LIMITS.name) name!: string;
  @Field(() => Int, { description: 'Whole kronor, 0 or more.' }) @IsInt() amount!: number;
  @Field(() => BudgetLineKindEnum, { defaultValue: 'COST' }) @IsEnum(BudgetLineKindEnum) kind!: BudgetLineKind;
  @Field({ nullable: true, description: 'The member organisation paying an INCOME line (FINSAM shares, R13).' })
  @IsOptional() @IsString() @text('contributor', LIMITS.contributor)
  contributor?: string;
}

@InputType()
export class AdoptBudgetInput {
  @Field(() => ID) @id('bodyId') bodyId!: string;
  @Field(() => Int) @IsInt() year!: number;
  @Field(() => [BudgetLineInput], { nullable: true }) @IsOptional() @IsArray() @lines() @ValidateNested({ each: true }) @Type(() => BudgetLineInput) lines?: BudgetLineInput[];
  @Field(() => ID, { nullable: true, description: 'The board\'s decision that adopted it: a decision of the same body.' }) @IsOptional() @id('decisionId') decisionId?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was adopted; now when left out.' }) @IsOptional() @IsString() adoptedAt?: string;
}

@InputType({ description: 'A line\'s new amount; a code the budget does not have adds a line, with its name (and kind, COST when left out).' })
export class BudgetChangeInput {
  @Field() @IsString() @text('code', LIMITS.code) code!: string;
  @Field({ nullable: true, description: 'Needed for a new line; renames an existing one.' }) @IsOptional() @IsString() @text('name', LIMITS.name) name?: string;
  @Field(() => Int, { description: 'The line\'s new amount, whole kronor; 0 keeps the line at zero.' }) @IsInt() amount!: number;
  @Field(() => BudgetLineKindEnum, { nullable: true, description: 'For a new line; an existing line keeps its kind.' }) @IsOptional() @IsEnum(BudgetLineKindEnum) kind?: BudgetLineKind;
  @Field({ nullable: true, description: 'The member organisation paying an INCOME line; an existing line keeps its own when left out.' })
  @IsOptional() @IsString() @text('contributor', LIMITS.contributor)
  contributor?: string;
}

@InputType()
export class ReviseBudgetInput {
  @Field(() => ID) @id('budgetId') budgetId!: string;
  @Field(() => [BudgetChangeInput]) @IsArray() @lines() @ValidateNested({ each: true }) @Type(() => BudgetChangeInput) changes!: BudgetChangeInput[];
  @Field() @IsString() @text('reason', LIMITS.reason) reason!: string;
  @Field(() => ID, { description: 'The board\'s decision that revised it: a decision of the same body.' }) @id('decisionId') decisionId!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the revision counts from; now when left out.' }) @IsOptional() @IsString() revisedAt?: string;
}

@InputType()
export class BudgetOutcomeLineInput {
  @Field({ description: 'The code of a line of the budget.' }) @IsString() @text('code', LIMITS.code) code!: string;
  @Field(() => Int, { description: 'Whole kronor, 0 or more.' }) @IsInt() amount!: number;
}

@InputType()
export class RecordBudgetOutcomeInput {
  @Field(() => ID) @id('budgetId') budgetId!: string;
  @Field(() => DateScalar, { description: 'The day the outcome is as of (e.g. 2019-12-31).' }) @IsString() asOf!: string;
  @Field({ description: 'Where the figures come from, e.g. "Årsredovisning 2019".' }) @IsString() @text('source', LIMITS.source) source!: string;
  @Field(() => [BudgetOutcomeLineInput]) @IsArray() @lines() @ValidateNested({ each: true }) @Type(() => BudgetOutcomeLineInput) lines!: BudgetOutcomeLineInput[];
}
