import { Controller, Get, Module, RequestMethod, Res, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnApplicationBootstrap } from '@nestjs/common';
import type { PageResponse as Response } from './http';
import { TimelineReader } from '@kansli/audit';
import { BodiesModule, BodiesReader } from '@kansli/bodies';
import { MeetingsModule, MeetingsReader } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { AnslagstavlaController } from './anslagstavla.controller';
import { GraphiqlAssetsController, GraphiqlMiddleware } from './graphiql';
import { STYLESHEET, STYLESHEET_PATH } from './layout';
import { LogIntegrity } from './log-integrity';
import { OidcController } from './oidc.controller';
import { PageAccess } from './page-access';
import { PageCache } from './page-cache';
import { PAGES_OPTIONS, type PagesOptions } from './pages.options';
import { ProtocolDocuments } from './protocol-document';
import { ProtocolController } from './protocol.controller';
import { warmUpPdf } from './protocol.pdf';
import { RevisionController } from './revision.controller';

@Controller()
class StylesheetController {
  @Get(STYLESHEET_PATH.slice(1))
  stylesheet(@Res() response: Response): void {
    response.setHeader('Content-Type', 'text/css; charset=utf-8');
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.end(STYLESHEET);
  }
}

/**
 * The pages for people (no GraphQL needed): the anslagstavla and its Atom feed, the protocols and their extracts
 * as HTML and PDF, the auditors' page and GraphiQL. Server-rendered HTML in Swedish that works without JavaScript,
 * read from the read models through the contexts' readers.
 */
@Module({})
export class PagesModule implements NestModule, OnApplicationBootstrap {
  static forRoot(options: PagesOptions = { oidc: null }): DynamicModule {
    return {
      module: PagesModule,
      imports: [MeetingsModule, BodiesModule],
      controllers: [StylesheetController, AnslagstavlaController, ProtocolController, RevisionController, OidcController, GraphiqlAssetsController],
      providers: [
        { provide: PAGES_OPTIONS, useValue: options },
        PageAccess,
        LogIntegrity,
        { provide: PageCache, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new PageCache(readModels.database) },
        { provide: TimelineReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new TimelineReader(readModels.database) },
        {
          provide: ProtocolDocuments,
          inject: [MeetingsReader, BodiesReader, TimelineReader, LogIntegrity],
          useFactory: (meetings: MeetingsReader, bodies: BodiesReader, timeline: TimelineReader, integrity: LogIntegrity) =>
            new ProtocolDocuments(meetings, bodies, timeline, (leaf) => integrity.checkpointOf(leaf)),
        },
      ],
    };
  }

  onApplicationBootstrap(): Promise<void> {
    return warmUpPdf();
  }

  /** GraphiQL for a browser's GET /graphql, ahead of Apollo (which Nest mounts after the modules' middleware). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GraphiqlMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.GET });
  }
}
