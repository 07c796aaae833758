import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateScalar, DateTimeScalar, PageInfoType } from '@kansli/api';
import { PersonType } from '@kansli/bodies';
import type { AttendanceRole, Ballot, DecisionOutcome } from '../meeting.events';

export const MeetingStatusEnum = { SCHEDULED: 'SCHEDULED', OPEN: 'OPEN', CLOSED: 'CLOSED', CANCELLED: 'CANCELLED' } as const;
export const AttendanceRoleEnum = { BESLUTANDE: 'BESLUTANDE', TJANSTGORANDE_ERSATTARE: 'TJANSTGORANDE_ERSATTARE', ERSATTARE: 'ERSATTARE', TJANSTEMAN: 'TJANSTEMAN', OVRIG: 'OVRIG' } as const satisfies Record<AttendanceRole, AttendanceRole>;
export const MotionStatusEnum = { RAISED: 'RAISED', DECIDED: 'DECIDED', WITHDRAWN: 'WITHDRAWN' } as const;
export const DecisionOutcomeEnum = { BIFALL: 'BIFALL', AVSLAG: 'AVSLAG', NOTERAD: 'NOTERAD', ATERREMISS: 'ATERREMISS', BORDLAGD: 'BORDLAGD' } as const satisfies Record<DecisionOutcome, DecisionOutcome>;
export const BallotEnum = { JA: 'JA', NEJ: 'NEJ', AVSTAR: 'AVSTAR' } as const satisfies Record<Ballot, Ballot>;
export const ProtocolStatusEnum = { DRAFT: 'DRAFT', JUSTERAD: 'JUSTERAD', ANSLAGEN: 'ANSLAGEN', LAGA_KRAFT: 'LAGA_KRAFT' } as const;
registerEnumType(MeetingStatusEnum, { name: 'MeetingStatus' });
registerEnumType(AttendanceRoleEnum, { name: 'AttendanceRole' });
registerEnumType(MotionStatusEnum, { name: 'MotionStatus' });
registerEnumType(DecisionOutcomeEnum, { name: 'DecisionOutcome' });
registerEnumType(BallotEnum, { name: 'Ballot' });
registerEnumType(ProtocolStatusEnum, { name: 'ProtocolStatus' });

@ObjectType('Meeting', { description: 'A sammanträde, from kallelse to anslag.' })
export class MeetingType {
  @Field(() => ID) id!: string;
  bodyId!: string;
  @Field(() => DateTimeScalar) start!: string;
  @Field(() => DateTimeScalar, { nullable: true }) end!: string | null;
  @Field(() => String, { nullable: true }) place!: string | null;
  @Field(() => MeetingStatusEnum) status!: keyof typeof MeetingStatusEnum;
  firstParagraph!: number | null;
  justerareIds!: string[];
  justeradAt!: string | null;
  signatoryIds!: string[];
  anslag!: { postedAt: string; removeAfter: string; storageLocation: string; appealDeadline: string } | null;
}

@ObjectType('MeetingCancellation', { description: 'The kallelse withdrawn before the meeting opened.' })
export class MeetingCancellationType {
  @Field(() => DateTimeScalar) at!: string;
  @Field() reason!: string;
}

@ObjectType('MeetingRescheduling', { description: 'A move of the meeting before it opened: what the earlier kallelse said, and what the new one says.' })
export class MeetingReschedulingType {
  @Field(() => DateTimeScalar, { description: 'When the move was recorded.' }) rescheduledAt!: string;
  @Field() reason!: string;
  @Field(() => DateTimeScalar) previousStart!: string;
  @Field(() => DateTimeScalar, { nullable: true }) previousEnd!: string | null;
  @Field(() => String, { nullable: true }) previousPlace!: string | null;
  @Field(() => DateTimeScalar) start!: string;
  @Field(() => DateTimeScalar, { nullable: true }) end!: string | null;
  @Field(() => String, { nullable: true }) place!: string | null;
}

@ObjectType('AgendaItem')
export class AgendaItemType {
  @Field(() => ID) id!: string;
  @Field(() => Int) number!: number;
  @Field() title!: string;
  @Field(() => String, { nullable: true, description: 'Diarienummer.' }) dnr!: string | null;
  @Field(() => [String], { description: 'Proposed att-clauses of the kallelse.' }) proposal!: string[];
}

@ObjectType('Attendance', { description: 'Who was present, as what, for which paragraphs (null bounds: the whole meeting).' })
export class AttendanceType {
  personId!: string;
  replacingPersonId!: string | null;
  @Field(() => AttendanceRoleEnum) role!: AttendanceRole;
  @Field(() => Int, { nullable: true }) fromParagraph!: number | null;
  @Field(() => Int, { nullable: true }) toParagraph!: number | null;
}

@ObjectType('Motion')
export class MotionType {
  @Field(() => ID) id!: string;
  meetingId!: string;
  agendaItemId!: string | null;
  decisionId!: string | null;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) dnr!: string | null;
  @Field() proposedBy!: string;
  @Field(() => [String]) clauses!: string[];
  @Field(() => MotionStatusEnum) status!: keyof typeof MotionStatusEnum;
}

@ObjectType('CastBallot')
export class CastBallotType {
  personId!: string;
  @Field(() => BallotEnum) ballot!: Ballot;
}

@ObjectType('Reservation')
export class ReservationType {
  personId!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType('Decision', { description: 'A paragraph (§) of the minutes.' })
export class DecisionType {
  @Field(() => ID) id!: string;
  meetingId!: string;
  motionIds!: string[];
  immediateJustering!: boolean;
  @Field(() => Int) paragraph!: number;
  @Field() title!: string;
  @Field(() => [String]) clauses!: string[];
  @Field(() => DecisionOutcomeEnum) outcome!: DecisionOutcome;
  @Field(() => DateTimeScalar) decidedAt!: string;
  @Field(() => [CastBallotType]) votes!: CastBallotType[];
  @Field(() => [ReservationType]) reservations!: ReservationType[];
}

@ObjectType('Anslag', { description: 'The notice on the anslagstavla that the minutes are justerade.' })
export class AnslagType {
  @Field(() => DateScalar) postedAt!: string;
  @Field(() => DateScalar) removeAfter!: string;
  @Field() storageLocation!: string;
  @Field(() => DateScalar, { description: 'Posting date + 21 days (R8).' }) appealDeadline!: string;
}

@ObjectType('ComplianceFinding', { description: 'Something late but real, reported against a rule of DOMAIN.md.' })
export class ComplianceFindingType {
  meetingId!: string | null;
  @Field() rule!: string;
  @Field() message!: string;
  @Field(() => String, { nullable: true }) expected!: string | null;
  @Field(() => String, { nullable: true }) actual!: string | null;
  @Field(() => ID, { nullable: true, description: 'What broke the rule when it is not a meeting: the ersättare who served out of order (R2), a delegated decision (R11), a budget or the body (R13).' })
  subjectId!: string | null;
}

@ObjectType('ProtocolCorrection', { description: 'A correction of justerade minutes (R9): the original stays as it was; both versions show here.' })
export class ProtocolCorrectionType {
  correctedDecisionId!: string;
  decisionId!: string | null;
  signatoryIds!: string[];
  @Field(() => Int) paragraph!: number;
  @Field() field!: string;
  @Field({ description: 'What the minutes said.' }) from!: string;
  @Field({ description: 'What they say now.' }) to!: string;
  @Field() reason!: string;
  @Field(() => DateScalar) correctedAt!: string;
}

@ObjectType('Protocol', { description: 'The minutes of a meeting.' })
export class ProtocolType {
  meeting!: MeetingType;
}

@ObjectType('MeetingEdge')
export class MeetingEdgeType {
  @Field() cursor!: string;
  @Field(() => MeetingType) node!: MeetingType;
}

@ObjectType('MeetingConnection')
export class MeetingConnectionType {
  @Field(() => [MeetingEdgeType]) edges!: MeetingEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}

export { PersonType };
