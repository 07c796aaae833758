import { Module, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BodiesModule, BodiesReader } from '@kansli/bodies';
import { ComplianceFindings } from '@kansli/api';
import { EventStore } from '@kansli/event-store';
import { ProjectionRunner } from '@kansli/projections';
import * as resolvers from './graphql/meeting.resolver';
import * as handlers from './handlers/meeting.handlers';
import { CorrectProtocolHandler } from './handlers/correct-protocol.handler';
import { OpenMeetingHandler } from './handlers/open-meeting.handler';
import { TakeDecisionHandler } from './handlers/take-decision.handler';
import { MeetingsAsKnown } from './meeting-as-known';
import { MeetingFacts } from './meeting.facts';
import { MeetingsReader } from './meetings.reader';

@Module({
  imports: [CqrsModule, BodiesModule],
  providers: [
    {
      provide: MeetingsReader,
      inject: [ProjectionRunner, BodiesReader],
      useFactory: (readModels: ProjectionRunner, bodies: BodiesReader) => new MeetingsReader(readModels.database, (id) => bodies.person(id)?.name),
    },
    {
      provide: MeetingsAsKnown,
      inject: [EventStore, BodiesReader],
      useFactory: (store: EventStore, bodies: BodiesReader) => new MeetingsAsKnown(store, (id) => bodies.person(id)?.name),
    },
    MeetingFacts,
    OpenMeetingHandler,
    TakeDecisionHandler,
    CorrectProtocolHandler,
    ...Object.values(handlers),
    resolvers.MeetingResolver,
    resolvers.BodyMeetingsResolver,
    resolvers.ProtocolResolver,
    resolvers.ProtocolCorrectionResolver,
    resolvers.ComplianceFindingResolver,
    resolvers.AttendanceResolver,
    resolvers.MotionResolver,
    resolvers.DecisionResolver,
    resolvers.CastBallotResolver,
    resolvers.ReservationResolver,
  ],
  exports: [MeetingsReader],
})
export class MeetingsModule implements OnModuleInit {
  constructor(
    private readonly compliance: ComplianceFindings,
    private readonly meetings: MeetingsReader,
  ) {}

  /** The protocols' findings (R2 ersättare out of order, R6–R8) in `complianceFindings`. */
  onModuleInit(): void {
    this.compliance.register((bodyId, { from, to }) => this.meetings.bodyFindings(bodyId, from, to));
  }
}
