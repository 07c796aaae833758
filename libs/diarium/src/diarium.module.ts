import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BodiesModule } from '@kansli/bodies';
import { DelegationModule } from '@kansli/delegation';
import { MeetingsModule } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { DiariumReader } from './diarium.reader';
import { CaseResolver, DocumentResolver } from './graphql/document.resolver';
import { RegisterDocumentHandler } from './handlers/document.handlers';

/** The diarium: documents and cases (R12). */
@Module({
  imports: [CqrsModule, BodiesModule, MeetingsModule, DelegationModule],
  providers: [
    { provide: DiariumReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new DiariumReader(readModels.database) },
    RegisterDocumentHandler,
    DocumentResolver,
    CaseResolver,
  ],
  exports: [DiariumReader],
})
export class DiariumModule {}
