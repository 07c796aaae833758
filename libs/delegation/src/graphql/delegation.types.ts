import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar, DateTimeScalar, PageInfoType } from '@kansli/api';
import type { AttestKind, DelegationAction, MatterCategory } from '../delegation.events';

export const DelegationActionEnum = { GRANT: 'GRANT', AMEND: 'AMEND', REVOKE: 'REVOKE' } as const satisfies Record<DelegationAction, DelegationAction>;
export const MatterCategoryEnum = {
  EKONOMI: 'EKONOMI',
  PERSONAL: 'PERSONAL',
  UPPHANDLING: 'UPPHANDLING',
  AVTAL: 'AVTAL',
  ATTEST: 'ATTEST',
  YTTRANDE: 'YTTRANDE',
  INSATSER: 'INSATSER',
  BRADSKANDE: 'BRADSKANDE',
  OVRIGT: 'OVRIGT',
  MAL_OCH_RIKTLINJER: 'MAL_OCH_RIKTLINJER',
  VERKSAMHETENS_INRIKTNING: 'VERKSAMHETENS_INRIKTNING',
  BUDGET: 'BUDGET',
  YTTRANDE_TILL_FULLMAKTIGE: 'YTTRANDE_TILL_FULLMAKTIGE',
  PRINCIPIELL: 'PRINCIPIELL',
} as const satisfies Record<MatterCategory, MatterCategory>;
export const AttestKindEnum = { MOTTAGNING: 'MOTTAGNING', BESLUT: 'BESLUT' } as const satisfies Record<AttestKind, AttestKind>;
registerEnumType(DelegationActionEnum, { name: 'DelegationAction' });
registerEnumType(MatterCategoryEnum, {
  name: 'MatterCategory',
  description: 'MAL_OCH_RIKTLINJER, VERKSAMHETENS_INRIKTNING, BUDGET, YTTRANDE_TILL_FULLMAKTIGE and PRINCIPIELL can never be delegated (KL 6:38, R10).',
});
registerEnumType(AttestKindEnum, { name: 'AttestKind', description: 'MOTTAGNING: mottagningsattest (receipt); BESLUT: beslutsattest (approval).' });

const DESIGNATION = 'A person\'s id or a role name (ORDFORANDE, VICE_ORDFORANDE, or a role held through assignRole such as "Förbundschef").';

@ObjectType('Delegation', { description: 'A matter the board delegated, as it stood on the day asked about.' })
export class DelegationType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  decisionId!: string;
  @Field() matter!: string;
  @Field(() => MatterCategoryEnum) category!: MatterCategory;
  @Field({ description: DESIGNATION }) delegate!: string;
  @Field(() => String, { nullable: true, description: DESIGNATION }) substitute!: string | null;
  @Field(() => Int, { nullable: true, description: 'Whole kronor; no limit when null.' }) limitAmount!: number | null;
  @Field(() => DateScalar, { description: 'The day the delegation began (its GRANT).' }) validFrom!: string;
  @Field(() => DateScalar, { nullable: true, description: 'Its last valid day: the day before its REVOKE applies.' }) validTo!: string | null;
  // A plain field, not a resolver: a resolved field costs a pass through the guards per delegation.
  @Field(() => [DelegationVersionType], { description: 'Every version known at knownAt, oldest first.' }) history!: DelegationVersionType[];
}

@ObjectType('DelegationVersion', { description: 'One change of a delegation: what it said from validFrom, and when it was recorded.' })
export class DelegationVersionType {
  delegationId!: string;
  decisionId!: string;
  @Field(() => DelegationActionEnum) action!: DelegationAction;
  @Field(() => DateScalar) validFrom!: string;
  @Field(() => DateTimeScalar) recordedAt!: string;
  @Field() matter!: string;
  @Field(() => MatterCategoryEnum) category!: MatterCategory;
  @Field(() => String, { nullable: true }) delegate!: string | null;
  @Field(() => String, { nullable: true }) substitute!: string | null;
  @Field(() => Int, { nullable: true }) limitAmount!: number | null;
}

@ObjectType('DelegatedDecision', { description: 'A decision taken under a delegation (delegationsbeslut), to be reported to the board (R11).' })
export class DelegatedDecisionType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  delegationId!: string;
  reportedDecisionId!: string | null;
  reportedMeetingId!: string | null;
  @Field({ description: 'The id of the person who decided.' }) decidedBy!: string;
  @Field(() => DateScalar) decidedAt!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) dnr!: string | null;
  @Field(() => Int, { nullable: true }) amount!: number | null;
}

@ObjectType('DelegatedDecisionEdge')
export class DelegatedDecisionEdgeType {
  @Field() cursor!: string;
  @Field(() => DelegatedDecisionType) node!: DelegatedDecisionType;
}

@ObjectType('DelegatedDecisionConnection')
export class DelegatedDecisionConnectionType {
  @Field(() => [DelegatedDecisionEdgeType]) edges!: DelegatedDecisionEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

@ObjectType('AttestRule', { description: 'A rule of the attestordning: who attests one kind of invoice, from validFrom until the next version.' })
export class AttestRuleType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  decisionId!: string;
  @Field({ description: 'The kind of invoice ("Fakturor", "Resor"…).' }) scope!: string;
  @Field(() => AttestKindEnum) kind!: AttestKind;
  @Field({ description: DESIGNATION }) attestant!: string;
  @Field(() => String, { nullable: true, description: DESIGNATION }) substitute!: string | null;
  @Field(() => DateScalar) validFrom!: string;
  @Field(() => DateScalar, { nullable: true, description: 'The day before the next version of this scope and kind applies.' }) validTo!: string | null;
}

@ObjectType('InvoiceAttest')
export class InvoiceAttestType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  @Field() invoiceRef!: string;
  @Field(() => Int) amount!: number;
  @Field(() => AttestKindEnum) kind!: AttestKind;
  @Field({ description: 'The scope of the rule the attest was given under.' }) scope!: string;
  @Field({ description: 'The id of the person who attested.' }) attestedBy!: string;
  @Field(() => String, { nullable: true, description: 'The id of the person whose cost it is.' }) incurredBy!: string | null;
  @Field(() => DateScalar) at!: string;
}

@ObjectType('RoleAssignment', { description: 'A role that is not a board position (Förbundschef…), held by a person for a period.' })
export class RoleAssignmentType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  personId!: string;
  @Field() role!: string;
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar, { nullable: true }) to!: string | null;
}
