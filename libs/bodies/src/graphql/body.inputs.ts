import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { DateScalar } from '@kansli/api';
import type { BodyKind, MemberPosition, MemberRole } from '../body.events';
import { MAX_SEATS } from '../body.decider';
import { BodyKindEnum, MemberPositionEnum, MemberRoleEnum } from './body.types';

/** Longest name of a body or a person (documented limit). */
export const MAX_NAME_LENGTH = 200;

@InputType()
export class EstablishBodyInput {
  @Field() @IsString() @Length(1, MAX_NAME_LENGTH, { message: `name must be 1–${MAX_NAME_LENGTH} characters` }) name!: string;
  @Field(() => BodyKindEnum) @IsEnum(BodyKindEnum) kind!: BodyKind;
  @Field(() => Int) @IsInt() @Min(1, { message: 'seats must be at least 1' }) @Max(MAX_SEATS, { message: `seats must be at most ${MAX_SEATS}` }) seats!: number;
  @Field({ nullable: true, description: 'A samordningsförbund\'s board under FINSAM: R13 applies.' }) @IsOptional() @IsBoolean() finsam?: boolean;
}

@InputType()
export class RegisterPersonInput {
  @Field() @IsString() @Length(1, MAX_NAME_LENGTH, { message: `name must be 1–${MAX_NAME_LENGTH} characters` }) name!: string;
}

@InputType()
export class AppointMemberInput {
  @Field(() => ID) @IsUUID('all', { message: 'bodyId is not a valid id' }) bodyId!: string;
  @Field(() => ID, { nullable: true }) @ValidateIf((input: AppointMemberInput) => !input.personName) @IsUUID('all', { message: 'give personId (a valid id) or personName' }) personId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, MAX_NAME_LENGTH, { message: `personName must be 1–${MAX_NAME_LENGTH} characters` }) personName?: string;
  @Field(() => MemberRoleEnum) @IsEnum(MemberRoleEnum) role!: MemberRole;
  @Field(() => MemberPositionEnum, { nullable: true }) @IsOptional() @IsEnum(MemberPositionEnum) position?: MemberPosition;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, MAX_NAME_LENGTH) representing?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, 100) party?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100) substituteOrder?: number;
  @Field(() => DateScalar) @IsString() from!: string;
  @Field(() => DateScalar, { nullable: true }) @IsOptional() @IsString() to?: string;
}

@InputType()
export class EndMembershipInput {
  @Field(() => ID) @IsUUID('all', { message: 'membershipId is not a valid id' }) membershipId!: string;
  @Field(() => DateScalar) @IsString() to!: string;
}
