import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar } from '@kansli/api';
import type { BodyKind, MemberPosition, MemberRole } from '../body.events';

export const BodyKindEnum = { STYRELSE: 'STYRELSE', NAMND: 'NAMND', FULLMAKTIGE: 'FULLMAKTIGE', UTSKOTT: 'UTSKOTT', BEREDNINGSGRUPP: 'BEREDNINGSGRUPP' } as const satisfies Record<BodyKind, BodyKind>;
export const MemberRoleEnum = { LEDAMOT: 'LEDAMOT', ERSATTARE: 'ERSATTARE' } as const satisfies Record<MemberRole, MemberRole>;
export const MemberPositionEnum = { ORDFORANDE: 'ORDFORANDE', VICE_ORDFORANDE: 'VICE_ORDFORANDE' } as const satisfies Record<MemberPosition, MemberPosition>;
registerEnumType(BodyKindEnum, { name: 'BodyKind', description: 'styrelse, nämnd, fullmäktige, utskott, beredningsgrupp' });
registerEnumType(MemberRoleEnum, { name: 'MemberRole' });
registerEnumType(MemberPositionEnum, { name: 'MemberPosition' });

@ObjectType('Body', { description: 'A board that decides (styrelse, nämnd, förbund…).' })
export class BodyType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => BodyKindEnum) kind!: BodyKind;
  @Field(() => Int, { description: 'Number of ledamot seats; quorum is more than half of them (R1).' }) seats!: number;
  @Field({ description: 'A samordningsförbund\'s board under FINSAM (R13 applies).' }) finsam!: boolean;
}

@ObjectType('Person')
export class PersonType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType('Membership', { description: 'A person\'s seat on a body for a period.' })
export class MembershipType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  personId!: string;
  @Field(() => MemberRoleEnum) role!: MemberRole;
  @Field(() => MemberPositionEnum, { nullable: true }) position!: MemberPosition | null;
  @Field(() => String, { nullable: true, description: 'The member organisation the member represents.' }) representing!: string | null;
  @Field(() => String, { nullable: true }) party!: string | null;
  @Field(() => Int, { nullable: true, description: 'The order in which ersättare are called (R2).' }) substituteOrder!: number | null;
  @Field(() => DateScalar) from!: string;
  @Field(() => DateScalar, { nullable: true }) to!: string | null;
}
