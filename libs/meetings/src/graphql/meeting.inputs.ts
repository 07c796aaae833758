import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateNested } from 'class-validator';
import { DateScalar, DateTimeScalar } from '@kansli/api';
import type { AttendanceRole, Ballot, DecisionOutcome } from '../meeting.events';
import { AttendanceRoleEnum, BallotEnum, DecisionOutcomeEnum } from './meeting.types';

/** Documented limits of texts in the minutes. */
export const LIMITS = { title: 300, dnr: 50, clause: 4000, clauses: 50, place: 300, proposedBy: 200, reason: 2000, agenda: 100, storageLocation: 300, people: 50 } as const;
const id = (name: string) => IsUUID('all', { message: `${name} is not a valid id` });
const clauses = () => [IsArray(), ArrayMaxSize(LIMITS.clauses, { message: `at most ${LIMITS.clauses} att-clauses` }), IsString({ each: true }), Length(1, LIMITS.clause, { each: true, message: `each att-clause must be 1–${LIMITS.clause} characters` })];
function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorator) => decorator(target, key));
}

@InputType()
export class AgendaItemInput {
  @Field() @IsString() @Length(1, LIMITS.title, { message: `title must be 1–${LIMITS.title} characters` }) title!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, LIMITS.dnr, { message: `dnr must be 1–${LIMITS.dnr} characters` }) dnr?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @apply(clauses()) proposal?: string[];
}

@InputType()
export class ScheduleMeetingInput {
  @Field(() => ID) @id('bodyId') bodyId!: string;
  @Field(() => DateTimeScalar) @IsString() start!: string;
  @Field(() => DateTimeScalar, { nullable: true }) @IsOptional() @IsString() end?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, LIMITS.place, { message: `place must be 1–${LIMITS.place} characters` }) place?: string;
  @Field(() => [AgendaItemInput], { nullable: true })
  @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.agenda) @ValidateNested({ each: true }) @Type(() => AgendaItemInput)
  agenda?: AgendaItemInput[];
}

@InputType()
export class CancelMeetingInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => DateTimeScalar, { description: 'When the kallelse was withdrawn.' }) @IsString() at!: string;
  @Field() @IsString() @Length(1, LIMITS.reason, { message: `reason must be 1–${LIMITS.reason} characters` }) reason!: string;
}

@InputType()
export class RescheduleMeetingInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => DateTimeScalar) @IsString() start!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Omitted: the meeting keeps its length.' }) @IsOptional() @IsString() end?: string;
  @Field({ nullable: true, description: 'Omitted: the same place.' }) @IsOptional() @IsString() @Length(1, LIMITS.place, { message: `place must be 1–${LIMITS.place} characters` }) place?: string;
  @Field() @IsString() @Length(1, LIMITS.reason, { message: `reason must be 1–${LIMITS.reason} characters` }) reason!: string;
}

@InputType()
export class AddAgendaItemInput extends AgendaItemInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
}

@InputType()
export class OpenMeetingInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => DateTimeScalar) @IsString() at!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1, { message: 'firstParagraph must be at least 1' }) @Max(100000) firstParagraph?: number;
}

@InputType()
export class RecordAttendanceInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => ID) @id('personId') personId!: string;
  @Field(() => AttendanceRoleEnum) @IsEnum(AttendanceRoleEnum) role!: AttendanceRole;
  @Field(() => ID, { nullable: true }) @IsOptional() @id('replacingPersonId') replacingPersonId?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) fromParagraph?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) toParagraph?: number;
}

@InputType()
export class AppointJusterareInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => [ID]) @IsArray() @ArrayMinSize(1, { message: 'appoint at least one justerare' }) @ArrayMaxSize(LIMITS.people) @IsUUID('all', { each: true, message: 'personIds holds an invalid id' }) personIds!: string[];
}

@InputType()
export class DeclareJavInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => ID) @id('personId') personId!: string;
  @Field(() => ID) @id('motionId') motionId!: string;
}

@InputType()
export class CloseMeetingInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => DateTimeScalar) @IsString() at!: string;
}

@InputType()
export class RaiseMotionInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @id('agendaItemId') agendaItemId?: string;
  @Field() @IsString() @Length(1, LIMITS.title, { message: `title must be 1–${LIMITS.title} characters` }) title!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, LIMITS.dnr, { message: `dnr must be 1–${LIMITS.dnr} characters` }) dnr?: string;
  @Field() @IsString() @Length(1, LIMITS.proposedBy, { message: `proposedBy must be 1–${LIMITS.proposedBy} characters` }) proposedBy!: string;
  @Field(() => [String]) @apply(clauses()) clauses!: string[];
}

@InputType()
export class BallotInput {
  @Field(() => ID) @id('personId') personId!: string;
  @Field(() => BallotEnum) @IsEnum(BallotEnum) ballot!: Ballot;
}

@InputType()
export class ReservationInput {
  @Field(() => ID) @id('personId') personId!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, LIMITS.reason, { message: `reason must be 1–${LIMITS.reason} characters` }) reason?: string;
}

@InputType()
export class TakeDecisionInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => [ID], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.people) @IsUUID('all', { each: true, message: 'motionIds holds an invalid id' }) motionIds?: string[];
  @Field({ nullable: true }) @IsOptional() @IsString() @Length(1, LIMITS.title, { message: `title must be 1–${LIMITS.title} characters` }) title?: string;
  @Field(() => [String]) @apply(clauses()) clauses!: string[];
  @Field(() => DecisionOutcomeEnum) @IsEnum(DecisionOutcomeEnum) outcome!: DecisionOutcome;
  @Field(() => DateTimeScalar, { nullable: true }) @IsOptional() @IsString() decidedAt?: string;
  @Field(() => [BallotInput], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.people) @ValidateNested({ each: true }) @Type(() => BallotInput) votes?: BallotInput[];
  @Field(() => [ReservationInput], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.people) @ValidateNested({ each: true }) @Type(() => ReservationInput) reservations?: ReservationInput[];
  @Field({ nullable: true }) @IsOptional() @IsBoolean() immediateJustering?: boolean;
}

@InputType()
export class JusteraProtocolInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => DateScalar) @IsString() justeradAt!: string;
  @Field(() => [ID]) @IsArray() @ArrayMinSize(1, { message: 'give the signatories' }) @ArrayMaxSize(LIMITS.people) @IsUUID('all', { each: true, message: 'signatoryIds holds an invalid id' }) signatoryIds!: string[];
}

@InputType()
export class SignProtocolInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => DateScalar) @IsString() signedAt!: string;
  @Field(() => ID, { nullable: true, description: 'Who signs: only ever the person of the token; refused if it names anyone else.' })
  @IsOptional() @id('personId') personId?: string;
}

@InputType()
export class PostAnslagInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => DateScalar) @IsString() postedAt!: string;
  @Field(() => DateScalar) @IsString() removeAfter!: string;
  @Field() @IsString() @Length(1, LIMITS.storageLocation, { message: `storageLocation must be 1–${LIMITS.storageLocation} characters` }) storageLocation!: string;
}

@InputType()
export class CorrectProtocolInput {
  @Field(() => ID) @id('meetingId') meetingId!: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(100000) paragraph!: number;
  @Field({ description: 'title, clauses, decidedAt, reservations or justeradAt; outcome, votes and motions are substance (RULE_VIOLATION R9).' })
  @IsString() @Length(1, 50, { message: 'field must be 1–50 characters' }) field!: string;
  @Field({ description: 'The text as it stands now: the att-clause, title, decidedAt, reservation reason or justering date.' })
  @IsString() @Length(1, LIMITS.clause, { message: `from must be 1–${LIMITS.clause} characters` }) from!: string;
  @Field() @IsString() @Length(1, LIMITS.clause, { message: `to must be 1–${LIMITS.clause} characters` }) to!: string;
  @Field() @IsString() @Length(1, LIMITS.reason, { message: `reason must be 1–${LIMITS.reason} characters` }) reason!: string;
  @Field(() => DateScalar) @IsString() correctedAt!: string;
  @Field(() => ID, { nullable: true, description: 'The later decision of the same body that made the correction.' }) @IsOptional() @id('decisionId') decisionId?: string;
  @Field(() => [ID], { nullable: true, description: 'The chair and every appointed justerare, signing the correction again on paper; required for justeradAt (R5).' })
  @IsOptional() @IsArray() @ArrayMaxSize(LIMITS.people) @IsUUID('all', { each: true, message: 'signatoryIds holds an invalid id' }) signatoryIds?: string[];
}
