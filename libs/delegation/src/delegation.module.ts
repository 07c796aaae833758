import { Module, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ComplianceFindings } from '@kansli/api';
import { BodiesModule } from '@kansli/bodies';
import { MeetingsModule, MeetingsReader } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { unreportedDelegatedDecisions } from './delegated-decision.findings';
import { DelegationFacts } from './delegation.facts';
import { DelegationReader } from './delegation.reader';
import * as resolvers from './graphql/delegation.resolver';
import * as handlers from './handlers/delegation.handlers';

@Module({
  imports: [CqrsModule, BodiesModule, MeetingsModule],
  providers: [
    { provide: DelegationReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new DelegationReader(readModels.database) },
    DelegationFacts,
    ...Object.values(handlers),
    resolvers.DelegationResolver,
    resolvers.DelegationVersionResolver,
    resolvers.DelegatedDecisionResolver,
    resolvers.AttestRuleResolver,
    resolvers.InvoiceAttestResolver,
    resolvers.RoleAssignmentResolver,
    resolvers.DecisionDelegationResolver,
  ],
  exports: [DelegationReader],
})
export class DelegationModule implements OnModuleInit {
  constructor(
    private readonly compliance: ComplianceFindings,
    private readonly delegation: DelegationReader,
    private readonly meetings: MeetingsReader,
  ) {}

  /** R11's unreported delegated decisions in `complianceFindings`, by the day of the meeting they were due at. */
  onModuleInit(): void {
    this.compliance.register((bodyId, { from, to }) => {
      const meetings = this.meetings.heldMeetings(bodyId);
      const dayOf = new Map(meetings.map((meeting) => [meeting.id, meeting.date]));
      return unreportedDelegatedDecisions(this.delegation.reportFacts(bodyId), meetings).filter((finding) => {
        const day = dayOf.get(finding.meetingId)!;
        return (!from || day >= from) && (!to || day <= to);
      });
    });
  }
}
