import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { KansliConfig } from './config';
import { ConfigModule } from './config.module';
import { EventStoreModule } from './event-store.module';
import { HealthResolver } from './health.resolver';

/** Composition only: which modules make up the server. */
@Module({})
export class AppModule {
  static forRoot(config: KansliConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        EventStoreModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          includeStacktraceInErrorResponses: false,
        }),
      ],
      providers: [HealthResolver],
    };
  }
}
