import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { type Clock, formatError, requestContext } from '@kansli/api';
import { AuditModule } from '@kansli/audit';
import { BodiesModule } from '@kansli/bodies';
import { MeetingsModule } from '@kansli/meetings';
import type { KansliConfig } from './config';
import { ConfigModule } from './config.module';
import { EventStoreModule } from './event-store.module';
import { HealthResolver } from './health.resolver';
import { ReadModelsModule } from './read-models.module';

/** Composition only: which modules make up the server. */
@Module({})
export class AppModule {
  static forRoot(config: KansliConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, options.clock),
        EventStoreModule,
        ReadModelsModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          includeStacktraceInErrorResponses: false,
          context: ({ req }: { req: Parameters<typeof requestContext>[0] }) => ({ request: requestContext(req) }),
          formatError: (formatted, error) => formatError(formatted, error),
        }),
        BodiesModule,
        MeetingsModule,
        AuditModule,
      ],
      providers: [
        HealthResolver,
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidUnknownValues: true, stopAtFirstError: false }),
        },
      ],
    };
  }
}
