import { Module, type OnModuleInit } from '@nestjs/common';
import { ComplianceFindings } from '@kansli/api';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectionRunner } from '@kansli/projections';
import { BodiesReader } from './bodies.reader';
import { finsamMemberFindings } from './finsam.findings';
import { BodyResolver, MembershipResolver } from './graphql/body.resolver';
import { AppointMemberHandler } from './handlers/appoint-member.handler';
import { EndMembershipHandler } from './handlers/end-membership.handler';
import { EstablishBodyHandler } from './handlers/establish-body.handler';
import { RegisterPersonHandler } from './handlers/register-person.handler';

@Module({
  imports: [CqrsModule],
  providers: [
    { provide: BodiesReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new BodiesReader(readModels.database) },
    EstablishBodyHandler,
    RegisterPersonHandler,
    AppointMemberHandler,
    EndMembershipHandler,
    BodyResolver,
    MembershipResolver,
  ],
  exports: [BodiesReader],
})
export class BodiesModule implements OnModuleInit {
  constructor(
    private readonly compliance: ComplianceFindings,
    private readonly bodies: BodiesReader,
  ) {}

  /** R13's member findings of a FINSAM board in `complianceFindings`. */
  onModuleInit(): void {
    this.compliance.register((bodyId, period) => {
      if (!this.bodies.body(bodyId)?.finsam) return [];
      return finsamMemberFindings(this.bodies.members(bodyId), period).map(({ rule, message, expected, actual }) => ({
        rule,
        message,
        expected,
        actual,
        meetingId: null,
        subjectId: bodyId,
      }));
    });
  }
}
