import type { IncomingMessage, ServerResponse } from 'node:http';
import { Global, Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { Gauge } from 'prom-client';
import { Metrics } from '@kansli/api';
import { ProjectionRunner } from '@kansli/projections';
import type { KansliConfig } from '../config';
import { AppendObserver } from './append-observer';
import { GraphqlObserver } from './graphql-observer';
import { loggerParams } from './logging';
import { OperationsController } from './operations.controller';
import { ReadinessCheck } from './readiness';
import { RequestsInFlight } from './requests-in-flight';

const PROJECTION_LAG = Symbol('PROJECTION_LAG');
const REQUESTS_IN_FLIGHT = Symbol('REQUESTS_IN_FLIGHT');

/**
 * What operators need: health and readiness, Prometheus metrics and the request log (pino). `logs` is where log
 * lines go (main.ts: standard output); without it the server logs nothing.
 */
@Global()
@Module({})
export class OperationsModule implements NestModule, OnApplicationBootstrap {
  static forRoot(config: KansliConfig, logs?: DestinationStream): DynamicModule {
    return {
      module: OperationsModule,
      imports: [LoggerModule.forRoot(loggerParams(config.logLevel, logs))],
      controllers: [OperationsController],
      providers: [
        Metrics,
        AppendObserver,
        GraphqlObserver,
        RequestsInFlight,
        ReadinessCheck,
        {
          provide: REQUESTS_IN_FLIGHT,
          inject: [Metrics, RequestsInFlight],
          useFactory: (metrics: Metrics, requests: RequestsInFlight) =>
            new Gauge({
              name: 'kansli_http_requests_in_flight',
              help: 'HTTP requests received and not yet answered (all paths)',
              registers: [metrics.registry],
              collect() {
                this.set(requests.value);
              },
            }),
        },
        {
          provide: PROJECTION_LAG,
          inject: [Metrics, ProjectionRunner],
          useFactory: (metrics: Metrics, readModels: ProjectionRunner) =>
            new Gauge({
              name: 'kansli_projection_lag_events',
              help: 'Events of the log not yet in this instance\'s read models, read when scraped (0 on the embedded engine; NaN when it cannot be read)',
              registers: [metrics.registry],
              async collect() {
                this.set(await readModels.behind().catch(() => Number.NaN));
              },
            }),
        },
      ],
      exports: [Metrics, AppendObserver, GraphqlObserver],
    };
  }

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly requests: RequestsInFlight,
    private readonly graphql: GraphqlObserver,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    const graphql = this.graphql;
    consumer
      .apply((request: IncomingMessage, response: ServerResponse, next: () => void) => {
        const started = process.hrtime.bigint();
        response.once('close', () => graphql.finished(request, response.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
        next();
      })
      .forRoutes({ path: 'graphql', method: RequestMethod.ALL });
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer();
    if (server) this.requests.attach(server);
  }
}
