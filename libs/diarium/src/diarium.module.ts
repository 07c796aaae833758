import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Metrics } from '@kansli/api';
import { TimelineReader } from '@kansli/audit';
import { CqrsModule } from '@nestjs/cqrs';
import { BodiesModule } from '@kansli/bodies';
import { DelegationModule } from '@kansli/delegation';
import { MeetingsModule } from '@kansli/meetings';
import { ProjectionRunner } from '@kansli/projections';
import { WEBHOOK_CONFIG, type WebhookConfig } from './diarium.config';
import { ErmsController } from './erms/erms.controller';
import { DiariumReader } from './diarium.reader';
import { CaseResolver, DocumentResolver } from './graphql/document.resolver';
import { WebhookResolver } from './graphql/webhook.resolver';
import { RegisterDocumentHandler } from './handlers/document.handlers';
import * as webhookHandlers from './handlers/webhook.handlers';
import { WebhookDeliveries } from './webhooks/webhook-deliveries';

const WEBHOOK_BACKLOG = Symbol('WEBHOOK_BACKLOG');

const backlogGauge: Provider = {
  // The webhook backlog on /metrics, read when scraped (Metrics comes from the operations module). Only where
  // webhooks are delivered: the backlog is the sender's, and the other replicas keep no delivery log.
  provide: WEBHOOK_BACKLOG,
  inject: [Metrics, WebhookDeliveries, ProjectionRunner],
  useFactory: (metrics: Metrics, deliveries: WebhookDeliveries, readModels: ProjectionRunner) => {
    const timeline = new TimelineReader(readModels.database);
    return new Gauge({
      name: 'kansli_webhook_backlog',
      help: 'Events of the log waiting for delivery, over every active webhook (its types after its position)',
      registers: [metrics.registry],
      collect() {
        this.set(deliveries.backlog(timeline));
      },
    });
  },
};

/** The diarium: documents and cases (R12), webhooks from the log, and the archive export (CITS ERMS). */
@Module({})
export class DiariumModule {
  static forRoot(config: WebhookConfig): DynamicModule {
    return {
      module: DiariumModule,
      imports: [CqrsModule, BodiesModule, MeetingsModule, DelegationModule],
      controllers: [ErmsController],
      providers: [
        { provide: WEBHOOK_CONFIG, useValue: config },
        { provide: DiariumReader, inject: [ProjectionRunner], useFactory: (readModels: ProjectionRunner) => new DiariumReader(readModels.database) },
        WebhookDeliveries,
        ...(config.deliver ? [backlogGauge] : []),
        RegisterDocumentHandler,
        ...Object.values(webhookHandlers),
        DocumentResolver,
        CaseResolver,
        WebhookResolver,
      ],
      exports: [DiariumReader, WebhookDeliveries],
    };
  }
}
