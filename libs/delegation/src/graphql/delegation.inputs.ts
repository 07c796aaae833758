import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { DateScalar } from '@kansli/api';
import type { AttestKind, DelegationAction, MatterCategory } from '../delegation.events';
import { AttestKindEnum, DelegationActionEnum, MatterCategoryEnum } from './delegation.types';

/** Documented limits of the registers' texts. */
export const LIMITS = { matter: 500, designation: 200, title: 300, dnr: 50, scope: 200, invoiceRef: 100, role: 100, report: 500 } as const;
const id = (name: string) => IsUUID('all', { message: `${name} is not a valid id` });
const text = (name: string, max: number) => Length(1, max, { message: `${name} must be 1–${max} characters` });
const kronor = (name: string, min: number) => [IsInt({ message: `${name} is whole kronor` }), Min(min, { message: `${name} must be ${min === 0 ? 'zero or more' : `at least ${min}`}` })];
function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorator) => decorator(target, key));
}
const DESIGNATION = 'A person\'s id or a role name (ORDFORANDE, VICE_ORDFORANDE, or a role held through assignRole).';

@InputType({ description: 'GRANT needs matter, category and delegate; AMEND changes what it gives (null clears substitute or limitAmount); REVOKE ends it from validFrom.' })
export class ChangeDelegationInput {
  @Field(() => ID) @id('bodyId') bodyId!: string;
  @Field(() => DelegationActionEnum) @IsEnum(DelegationActionEnum) action!: DelegationAction;
  @Field(() => ID, { nullable: true, description: 'The delegation to AMEND or REVOKE; none for a GRANT.' }) @IsOptional() @id('delegationId') delegationId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @text('matter', LIMITS.matter) matter?: string | null;
  @Field(() => MatterCategoryEnum, { nullable: true }) @IsOptional() @IsEnum(MatterCategoryEnum) category?: MatterCategory | null;
  @Field(() => String, { nullable: true, description: DESIGNATION }) @IsOptional() @IsString() @text('delegate', LIMITS.designation) delegate?: string | null;
  @Field(() => String, { nullable: true, description: DESIGNATION }) @IsOptional() @IsString() @text('substitute', LIMITS.designation) substitute?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @apply(kronor('limitAmount', 0)) limitAmount?: number | null;
  @Field(() => DateScalar) @IsString() validFrom!: string;
  @Field(() => ID) @id('decisionId') decisionId!: string;
}

@InputType()
export class RecordDelegatedDecisionInput {
  @Field(() => ID) @id('delegationId') delegationId!: string;
  @Field({ description: 'The id of the person who decided.' }) @IsUUID('all', { message: 'decidedBy must be the id of the person who decided' }) decidedBy!: string;
  @Field(() => DateScalar) @IsString() decidedAt!: string;
  @Field() @IsString() @text('title', LIMITS.title) title!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @text('dnr', LIMITS.dnr) dnr?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @apply(kronor('amount', 0)) amount?: number;
}

@InputType()
export class ReportDelegatedDecisionsInput {
  @Field(() => ID, { description: 'The paragraph where the board was told (anmälan av delegationsbeslut).' }) @id('decisionId') decisionId!: string;
  @Field(() => [ID])
  @IsArray() @ArrayMinSize(1, { message: 'name at least one delegated decision' }) @ArrayMaxSize(LIMITS.report, { message: `at most ${LIMITS.report} delegated decisions in one report` })
  @IsUUID('all', { each: true, message: 'delegatedDecisionIds holds an invalid id' })
  delegatedDecisionIds!: string[];
}

@InputType()
export class ChangeAttestRuleInput {
  @Field(() => ID) @id('bodyId') bodyId!: string;
  @Field({ description: 'The kind of invoice ("Fakturor", "Resor"…); a later change of the same scope and kind replaces the rule from its validFrom.' })
  @IsString() @text('scope', LIMITS.scope) scope!: string;
  @Field(() => AttestKindEnum) @IsEnum(AttestKindEnum) kind!: AttestKind;
  @Field({ description: DESIGNATION }) @IsString() @text('attestant', LIMITS.designation) attestant!: string;
  @Field({ nullable: true, description: DESIGNATION }) @IsOptional() @IsString() @text('substitute', LIMITS.designation) substitute?: string;
  @Field(() => DateScalar) @IsString() validFrom!: string;
  @Field(() => ID) @id('decisionId') decisionId!: string;
}

@InputType()
export class AttestInvoiceInput {
  @Field(() => ID) @id('bodyId') bodyId!: string;
  @Field() @IsString() @text('invoiceRef', LIMITS.invoiceRef) invoiceRef!: string;
  @Field(() => Int) @apply(kronor('amount', 1)) amount!: number;
  @Field(() => AttestKindEnum) @IsEnum(AttestKindEnum) kind!: AttestKind;
  @Field({ description: 'The id of the person who attests.' }) @IsUUID('all', { message: 'attestedBy must be the id of the person who attests' }) attestedBy!: string;
  @Field({ nullable: true, description: 'The id of the person whose cost it is (they may not attest it).' })
  @IsOptional() @IsUUID('all', { message: 'incurredBy must be the id of the person whose cost it is' }) incurredBy?: string;
  @Field(() => DateScalar) @IsString() at!: string;
  @Field({ nullable: true, description: 'The kind of invoice: a scope of the attest order on that day. Left out, any rule of this kind valid that day counts.' })
  @IsOptional() @IsString() @text('scope', LIMITS.scope) scope?: string;
}

@InputType()
export class AssignRoleInput {
  @Field(() => ID) @id('bodyId') bodyId!: string;
  @Field({ description: 'A role that is not a board position, e.g. "Förbundschef".' }) @IsString() @text('role', LIMITS.role) role!: string;
  @Field(() => ID) @id('personId') personId!: string;
  @Field(() => DateScalar) @IsString() from!: string;
  @Field(() => DateScalar, { nullable: true, description: 'The last day held; open-ended when left out. Assigning the same role to the same person from the same day again sets it.' })
  @IsOptional() @IsString() to?: string;
}
