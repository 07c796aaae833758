import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ProjectionRunner } from '@kansli/projections';
import { BodiesReader } from './bodies.reader';
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
export class BodiesModule {}
