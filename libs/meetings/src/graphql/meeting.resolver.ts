import { randomUUID } from 'node:crypto';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { Access, Clock, CommandingResolver, ComplianceFindings, DateScalar, DateTimeScalar, type RequestContext } from '@kansli/api';
import { BodiesReader, BodyType, PersonType } from '@kansli/bodies';
import { InvalidInput, NotFound, RuleViolation, swedishDate } from '@kansli/kernel';
import { ProjectionRunner } from '@kansli/projections';
import {
  AddAgendaItem,
  AppointJusterare,
  CancelMeeting,
  CloseMeeting,
  CorrectProtocol,
  DeclareJav,
  JusteraProtocol,
  OpenMeeting,
  PostAnslag,
  RaiseMotion,
  RecordAttendance,
  RescheduleMeeting,
  ScheduleMeeting,
  SignProtocol,
  TakeDecision,
} from '../meeting.commands';
import { MeetingsAsKnown, readerOf } from '../meeting-as-known';
import { MeetingsReader, type DecisionView, type MeetingView } from '../meetings.reader';
import {
  AddAgendaItemInput,
  AppointJusterareInput,
  CancelMeetingInput,
  CloseMeetingInput,
  CorrectProtocolInput,
  DeclareJavInput,
  JusteraProtocolInput,
  OpenMeetingInput,
  PostAnslagInput,
  RaiseMotionInput,
  RecordAttendanceInput,
  RescheduleMeetingInput,
  ScheduleMeetingInput,
  SignProtocolInput,
  TakeDecisionInput,
} from './meeting.inputs';
import {
  AgendaItemType,
  AnslagType,
  AttendanceType,
  CastBallotType,
  ComplianceFindingType,
  DecisionType,
  MeetingCancellationType,
  MeetingConnectionType,
  MeetingReschedulingType,
  MeetingType,
  MotionType,
  ProtocolCorrectionType,
  ProtocolStatusEnum,
  ProtocolType,
  ReservationType,
} from './meeting.types';

/** Who reads the audit queries and the compliance findings. */
const AUDIT = ['SEKRETERARE', 'ADMIN', 'REVISOR'] as const;

/** The public (no token) sees a meeting only once its minutes are justerade. */
function publiclyVisible(meeting: MeetingView, request: RequestContext): boolean {
  return request.principal !== null || meeting.justeradAt !== null;
}
const MAX_PAGE = 100;

@Resolver(() => MeetingType)
export class MeetingResolver extends CommandingResolver {
  constructor(
    commands: CommandBus,
    readModels: ProjectionRunner,
    clock: Clock,
    private readonly meetings: MeetingsReader,
    private readonly bodies: BodiesReader,
    private readonly compliance: ComplianceFindings,
    private readonly asKnown: MeetingsAsKnown,
  ) {
    super(commands, readModels, clock);
  }

  @Access('ANONYMOUS')
  @Query(() => MeetingType, {
    nullable: true,
    description:
      'The public sees a meeting once its minutes are justerade. knownAt: the meeting as the system knew it at that instant ' +
      '(only events recorded by then: the kallelse as sent, before the minutes were written); null if nothing of it was recorded yet.',
  })
  async meeting(
    @Args('id', { type: () => ID }) id: string,
    @Context('request') request: RequestContext,
    @Args('knownAt', { type: () => DateTimeScalar, nullable: true }) knownAt?: string,
  ) {
    const meeting = knownAt ? (await this.asKnown.meeting(id, new Date(knownAt).toISOString()))?.meeting : this.meetings.meeting(id);
    return meeting && publiclyVisible(meeting, request) ? meeting : null;
  }

  @Access(...AUDIT)
  @Query(() => [ComplianceFindingType], { description: 'Every register\'s findings for the body from `from` to `to`: its meetings (R2 ersättare out of order, R6–R8), delegated decisions (R11), members and budget contributions (R13).' })
  complianceFindings(
    @Args('bodyId', { type: () => ID }) bodyId: string,
    @Args('from', { type: () => DateScalar, nullable: true }) from?: string,
    @Args('to', { type: () => DateScalar, nullable: true }) to?: string,
  ) {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
    return this.compliance.of(bodyId, { from: from ?? undefined, to: to ?? undefined });
  }

  @ResolveField(() => BodyType) body(@Parent() meeting: MeetingView) {
    return this.bodies.body(meeting.bodyId);
  }
  @ResolveField(() => MeetingCancellationType, { nullable: true, description: 'Why and when the kallelse was withdrawn (status CANCELLED).' })
  cancellation(@Parent() meeting: MeetingView) {
    return readerOf(meeting, this.meetings).cancellation(meeting.id) ?? null;
  }
  @ResolveField(() => [MeetingReschedulingType], { description: 'Every move of the meeting before it opened, oldest first: the kallelse history.' })
  reschedulings(@Parent() meeting: MeetingView) {
    return readerOf(meeting, this.meetings).reschedulings(meeting.id);
  }
  @ResolveField(() => [AgendaItemType]) agenda(@Parent() meeting: MeetingView) {
    return readerOf(meeting, this.meetings).agenda(meeting.id);
  }
  @ResolveField(() => [AttendanceType]) attendance(@Parent() meeting: MeetingView) {
    return readerOf(meeting, this.meetings).attendance(meeting.id);
  }
  @ResolveField(() => [PersonType]) justerare(@Parent() meeting: MeetingView) {
    return meeting.justerareIds.map((id) => this.bodies.person(id));
  }
  @ResolveField(() => [DecisionType]) decisions(@Parent() meeting: MeetingView) {
    return readerOf(meeting, this.meetings).decisions(meeting.id);
  }
  @Access('AUTHENTICATED')
  @ResolveField(() => [MotionType]) motions(@Parent() meeting: MeetingView) {
    return readerOf(meeting, this.meetings).motions(meeting.id);
  }
  @ResolveField(() => ProtocolType) protocol(@Parent() meeting: MeetingView): ProtocolType {
    return { meeting };
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType, { description: 'The kallelse: the meeting with its agenda and proposed att-clauses.' })
  async scheduleMeeting(@Args('input') input: ScheduleMeetingInput, @Context('request') request: RequestContext) {
    const meetingId = randomUUID();
    const agenda = (input.agenda ?? []).map((item) => ({ itemId: randomUUID(), title: item.title.trim(), dnr: item.dnr ?? null, proposal: item.proposal ?? [] }));
    await this.run(new ScheduleMeeting(meetingId, input.bodyId, input.start, input.end ?? null, input.place ?? null, agenda, this.context(request)));
    return this.meetings.meeting(meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType, { description: 'Withdraws the kallelse of a meeting that has not opened: status CANCELLED, and nothing more is recorded in it.' })
  async cancelMeeting(@Args('input') input: CancelMeetingInput, @Context('request') request: RequestContext) {
    await this.run(new CancelMeeting(input.meetingId, input.at, input.reason.trim(), this.context(request)));
    return this.meetings.meeting(input.meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType, { description: 'Moves a meeting that has not opened to another time or place; Meeting.reschedulings keeps the earlier kallelse.' })
  async rescheduleMeeting(@Args('input') input: RescheduleMeetingInput, @Context('request') request: RequestContext) {
    await this.run(new RescheduleMeeting(input.meetingId, input.start, input.end ?? null, input.place?.trim() ?? null, input.reason.trim(), this.context(request)));
    return this.meetings.meeting(input.meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType)
  async addAgendaItem(@Args('input') input: AddAgendaItemInput, @Context('request') request: RequestContext) {
    const item = { itemId: randomUUID(), title: input.title.trim(), dnr: input.dnr ?? null, proposal: input.proposal ?? [] };
    await this.run(new AddAgendaItem(input.meetingId, item, this.context(request)));
    return this.meetings.meeting(input.meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType)
  async openMeeting(@Args('input') input: OpenMeetingInput, @Context('request') request: RequestContext) {
    await this.run(new OpenMeeting(input.meetingId, input.at, input.firstParagraph ?? null, this.context(request, input.at)));
    return this.meetings.meeting(input.meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType)
  async recordAttendance(@Args('input') input: RecordAttendanceInput, @Context('request') request: RequestContext) {
    const { meetingId, personId, role } = input;
    await this.run(new RecordAttendance(meetingId, personId, role, input.replacingPersonId ?? null, input.fromParagraph ?? null, input.toParagraph ?? null, this.context(request)));
    return this.meetings.meeting(meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType)
  async appointJusterare(@Args('input') input: AppointJusterareInput, @Context('request') request: RequestContext) {
    await this.run(new AppointJusterare(input.meetingId, input.personIds, this.context(request)));
    return this.meetings.meeting(input.meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType)
  async declareJav(@Args('input') input: DeclareJavInput, @Context('request') request: RequestContext) {
    await this.run(new DeclareJav(input.meetingId, input.personId, input.motionId, this.context(request)));
    return this.meetings.meeting(input.meetingId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => MeetingType)
  async closeMeeting(@Args('input') input: CloseMeetingInput, @Context('request') request: RequestContext) {
    await this.run(new CloseMeeting(input.meetingId, input.at, this.context(request, input.at)));
    return this.meetings.meeting(input.meetingId);
  }

  @Access('SEKRETERARE', 'LEDAMOT')
  @Mutation(() => MotionType)
  async raiseMotion(@Args('input') input: RaiseMotionInput, @Context('request') request: RequestContext) {
    const motionId = randomUUID();
    await this.run(new RaiseMotion(input.meetingId, motionId, input.agendaItemId ?? null, input.title.trim(), input.dnr ?? null, input.proposedBy.trim(), input.clauses, this.context(request)));
    return this.meetings.motion(motionId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => DecisionType, { description: "Assigns the next paragraph number of the body's year." })
  async takeDecision(@Args('input') input: TakeDecisionInput, @Context('request') request: RequestContext) {
    const decisionId = randomUUID();
    const decidedAt = input.decidedAt ?? this.clock.now().toISOString();
    await this.run(
      new TakeDecision(
        input.meetingId,
        decisionId,
        input.motionIds ?? [],
        input.title?.trim() ?? null,
        input.clauses,
        input.outcome,
        decidedAt,
        input.votes ?? [],
        (input.reservations ?? []).map(({ personId, reason }) => ({ personId, reason: reason ?? null })),
        input.immediateJustering ?? false,
        this.context(request, decidedAt),
      ),
    );
    return this.meetings.decision(decisionId);
  }

  @Access('SEKRETERARE')
  @Mutation(() => ProtocolType, { description: 'Records the justering by the chair and the appointed justerare.' })
  async justeraProtocol(@Args('input') input: JusteraProtocolInput, @Context('request') request: RequestContext): Promise<ProtocolType> {
    await this.run(new JusteraProtocol(input.meetingId, input.justeradAt, input.signatoryIds, this.context(request)));
    return { meeting: this.meetings.meeting(input.meetingId)! };
  }

  @Access('SEKRETERARE')
  @Mutation(() => ProtocolType, {
    description: 'Records a correction of justerade minutes (R9): the form of one field of one paragraph, never what was decided; the original stays, Protocol.corrections shows both.',
  })
  async correctProtocol(@Args('input') input: CorrectProtocolInput, @Context('request') request: RequestContext): Promise<ProtocolType> {
    const { meetingId, paragraph, field, from, to, correctedAt } = input;
    await this.run(new CorrectProtocol(meetingId, paragraph, field, from, to, input.reason.trim(), correctedAt, input.decisionId ?? null, input.signatoryIds ?? [], this.context(request)));
    return { meeting: this.meetings.meeting(meetingId)! };
  }

  @Access('LEDAMOT')
  @Mutation(() => ProtocolType, { description: 'Digital justering: the chair and each appointed justerare sign with their own token; the last signature justerar the minutes.' })
  async signProtocol(@Args('input') input: SignProtocolInput, @Context('request') request: RequestContext): Promise<ProtocolType> {
    const personId = request.principal?.personId;
    if (!personId) throw new RuleViolation('R5', 'Your token names no person (personId): only the chair and the appointed justerare sign');
    if (input.personId && input.personId !== personId) throw new RuleViolation('R5', 'You sign the minutes only for yourself');
    await this.run(new SignProtocol(input.meetingId, personId, input.signedAt, this.context(request)));
    return { meeting: this.meetings.meeting(input.meetingId)! };
  }

  @Access('SEKRETERARE')
  @Mutation(() => ProtocolType, { description: 'Records the notice on the anslagstavla; the appeal deadline is posting + 21 days.' })
  async postAnslag(@Args('input') input: PostAnslagInput, @Context('request') request: RequestContext): Promise<ProtocolType> {
    await this.run(new PostAnslag(input.meetingId, input.postedAt, input.removeAfter, input.storageLocation.trim(), this.context(request)));
    return { meeting: this.meetings.meeting(input.meetingId)! };
  }
}

@Resolver(() => BodyType)
export class BodyMeetingsResolver {
  constructor(private readonly reader: MeetingsReader) {}

  @ResolveField(() => MeetingConnectionType, { description: 'The body\'s meetings, oldest first.' })
  meetings(
    @Parent() body: BodyType,
    @Context('request') request: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): MeetingConnectionType {
    const size = first ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new InvalidInput(`first must be from 1 to ${MAX_PAGE}`);
    const cursor = after ? decodeCursor(after) : undefined;
    const page = this.reader.meetingsOfBody(body.id, size + 1, cursor, !request.principal);
    const edges = page.slice(0, size).map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, pageInfo: { hasNextPage: page.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

function encodeCursor(meeting: MeetingView): string {
  return Buffer.from(JSON.stringify([meeting.start, meeting.id])).toString('base64url');
}

function decodeCursor(cursor: string): { start: string; id: string } {
  try {
    const [start, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof start === 'string' && typeof id === 'string') return { start, id };
  } catch {
    // fall through
  }
  throw new InvalidInput('after is not a cursor this list gave out');
}

@Resolver(() => ProtocolType)
export class ProtocolResolver {
  constructor(
    private readonly meetings: MeetingsReader,
    private readonly bodies: BodiesReader,
    private readonly clock: Clock,
  ) {}

  @ResolveField(() => MeetingType) meeting(@Parent() protocol: ProtocolType) {
    return protocol.meeting;
  }

  @ResolveField(() => ProtocolStatusEnum, { description: 'LAGA_KRAFT once the appeal deadline has passed.' })
  status(@Parent() { meeting }: ProtocolType): keyof typeof ProtocolStatusEnum {
    if (!meeting.justeradAt) return 'DRAFT';
    if (!meeting.anslag) return 'JUSTERAD';
    return swedishDate(this.clock.now().toISOString()) > meeting.anslag.appealDeadline ? 'LAGA_KRAFT' : 'ANSLAGEN';
  }

  @ResolveField(() => Int, { nullable: true }) firstParagraph(@Parent() { meeting }: ProtocolType) {
    return readerOf(meeting, this.meetings).decisions(meeting.id)[0]?.paragraph ?? null;
  }
  @ResolveField(() => Int, { nullable: true }) lastParagraph(@Parent() { meeting }: ProtocolType) {
    return readerOf(meeting, this.meetings).decisions(meeting.id).at(-1)?.paragraph ?? null;
  }
  @ResolveField(() => DateScalar, { nullable: true }) justeradAt(@Parent() { meeting }: ProtocolType) {
    return meeting.justeradAt;
  }
  @ResolveField(() => [PersonType]) signatories(@Parent() { meeting }: ProtocolType) {
    return meeting.signatoryIds.map((id) => this.bodies.person(id));
  }
  @ResolveField(() => AnslagType, { nullable: true }) anslag(@Parent() { meeting }: ProtocolType) {
    return meeting.anslag;
  }
  @Access(...AUDIT)
  @ResolveField(() => [ComplianceFindingType]) findings(@Parent() { meeting }: ProtocolType) {
    return readerOf(meeting, this.meetings).findings(meeting);
  }
  @ResolveField(() => [ProtocolCorrectionType], { description: 'Corrections of the justerade minutes, in the order recorded (R9).' })
  corrections(@Parent() { meeting }: ProtocolType) {
    return readerOf(meeting, this.meetings).corrections(meeting.id);
  }
}

@Resolver(() => ProtocolCorrectionType)
export class ProtocolCorrectionResolver {
  constructor(
    private readonly meetings: MeetingsReader,
    private readonly bodies: BodiesReader,
  ) {}
  @ResolveField(() => DecisionType, { nullable: true, description: 'The later decision that made the correction.' })
  decision(@Parent() correction: ProtocolCorrectionType, @Context('request') request: RequestContext) {
    const decision = correction.decisionId ? this.meetings.decision(correction.decisionId) : undefined;
    const meeting = decision && this.meetings.meeting(decision.meetingId);
    return meeting && publiclyVisible(meeting, request) ? decision : null;
  }
  @ResolveField(() => [PersonType], { description: 'Who signed the correction again (the chair and the justerare); empty when a decision made it.' })
  signatories(@Parent() correction: ProtocolCorrectionType) {
    return correction.signatoryIds.map((id) => this.bodies.person(id));
  }
}

@Resolver(() => ComplianceFindingType)
export class ComplianceFindingResolver {
  constructor(private readonly meetings: MeetingsReader) {}
  @ResolveField(() => MeetingType, { nullable: true }) meeting(@Parent() finding: ComplianceFindingType) {
    return finding.meetingId === null ? null : this.meetings.meeting(finding.meetingId);
  }
}

@Resolver(() => AttendanceType)
export class AttendanceResolver {
  constructor(private readonly bodies: BodiesReader) {}
  @ResolveField(() => PersonType) person(@Parent() attendance: AttendanceType) {
    return this.bodies.person(attendance.personId);
  }
  @ResolveField(() => PersonType, { nullable: true }) replacing(@Parent() attendance: AttendanceType) {
    return attendance.replacingPersonId ? this.bodies.person(attendance.replacingPersonId) : null;
  }
}

@Resolver(() => MotionType)
export class MotionResolver {
  constructor(private readonly meetings: MeetingsReader) {}
  @Access('AUTHENTICATED')
  @Query(() => MotionType, { nullable: true }) motion(@Args('id', { type: () => ID }) id: string) {
    return this.meetings.motion(id);
  }
  @ResolveField(() => MeetingType) meeting(@Parent() motion: MotionType) {
    return readerOf(motion, this.meetings).meeting(motion.meetingId);
  }
  @ResolveField(() => AgendaItemType, { nullable: true }) agendaItem(@Parent() motion: MotionType) {
    return motion.agendaItemId ? readerOf(motion, this.meetings).agendaItem(motion.agendaItemId) : null;
  }
  @ResolveField(() => DecisionType, { nullable: true }) decision(@Parent() motion: MotionType) {
    return motion.decisionId ? readerOf(motion, this.meetings).decision(motion.decisionId) : null;
  }
}

@Resolver(() => DecisionType)
export class DecisionResolver {
  constructor(private readonly meetings: MeetingsReader) {}
  @Access('ANONYMOUS')
  @Query(() => DecisionType, { nullable: true }) decision(@Args('id', { type: () => ID }) id: string, @Context('request') request: RequestContext) {
    const decision = this.meetings.decision(id);
    const meeting = decision && this.meetings.meeting(decision.meetingId);
    return meeting && publiclyVisible(meeting, request) ? decision : null;
  }
  @ResolveField(() => MeetingType) meeting(@Parent() decision: DecisionType) {
    return readerOf(decision, this.meetings).meeting(decision.meetingId);
  }
  @Access('AUTHENTICATED')
  @ResolveField(() => [MotionType]) motions(@Parent() decision: DecisionType) {
    return readerOf(decision, this.meetings).motionsByIds(decision.motionIds);
  }
  @ResolveField(() => Boolean, { description: 'Justerad with the minutes, or immediately at the meeting.' }) justerad(@Parent() decision: DecisionType) {
    return decision.immediateJustering || !!readerOf(decision, this.meetings).meeting(decision.meetingId)?.justeradAt;
  }
  @ResolveField(() => [ProtocolCorrectionType], { description: 'Corrections of this paragraph since justering (R9): title, clauses and the rest show the corrected text.' })
  corrections(@Parent() decision: DecisionView) {
    return readerOf(decision, this.meetings).corrections(decision.meetingId, decision.id);
  }
}

@Resolver(() => CastBallotType)
export class CastBallotResolver {
  constructor(private readonly bodies: BodiesReader) {}
  @ResolveField(() => PersonType) person(@Parent() ballot: CastBallotType) {
    return this.bodies.person(ballot.personId);
  }
}

@Resolver(() => ReservationType)
export class ReservationResolver {
  constructor(private readonly bodies: BodiesReader) {}
  @ResolveField(() => PersonType) person(@Parent() reservation: ReservationType) {
    return this.bodies.person(reservation.personId);
  }
}
