import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, ValidationPipe, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AccessGuard, ComplianceModule, readPositionPlugin, type Clock } from '@kansli/api';
import { TokenVerifier } from '@kansli/auth';
import { AuditModule } from '@kansli/audit';
import { BodiesModule } from '@kansli/bodies';
import { BudgetModule } from '@kansli/budget';
import { DelegationModule } from '@kansli/delegation';
import { DiariumModule } from '@kansli/diarium';
import { IntegrityModule } from '@kansli/integrity';
import { MeetingsModule } from '@kansli/meetings';
import { PagesModule } from '@kansli/pages';
import { ProjectionRunner } from '@kansli/projections';
import type { DestinationStream } from 'pino';
import type { KansliConfig } from './config';
import { AuthModule } from './auth.module';
import { ConfigModule } from './config.module';
import { graphqlOptions } from './graphql.options';
import { EventStoreModule } from './event-store.module';
import { HealthResolver } from './health.resolver';
import { GraphqlObserver } from './operations/graphql-observer';
import { OperationsModule } from './operations/operations.module';
import { ReadModelsModule } from './read-models.module';

/** Composition only: which modules make up the server. */
@Module({})
export class AppModule {
  /** `logs`: where the log lines go (main.ts: standard output); none without it. */
  static forRoot(config: KansliConfig, options: { clock?: Clock; logs?: DestinationStream } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, options.clock),
        OperationsModule.forRoot(config, options.logs),
        ComplianceModule,
        EventStoreModule,
        ReadModelsModule,
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [TokenVerifier, GraphqlObserver, ProjectionRunner],
          useFactory: (verifier: TokenVerifier, observer: GraphqlObserver, readModels: ProjectionRunner) =>
            graphqlOptions(config, verifier, [observer.plugin, readPositionPlugin(readModels)]),
        }),
        BodiesModule,
        MeetingsModule,
        DiariumModule.forRoot(config.webhooks),
        DelegationModule,
        BudgetModule,
        AuditModule,
        PagesModule.forRoot({
          oidc: config.auth.mode === 'oidc' && config.auth.client ? { issuer: config.auth.issuer, ...config.auth.client } : null,
        }),
        IntegrityModule.forRoot(config.log),
      ],
      providers: [
        HealthResolver,
        { provide: APP_GUARD, useClass: AccessGuard },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidUnknownValues: true, stopAtFirstError: false }),
        },
      ],
    };
  }
}
