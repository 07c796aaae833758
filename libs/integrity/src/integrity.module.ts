import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@kansli/api';
import { EventStore, SqliteEventStore, SqliteLogTree, type LogTree } from '@kansli/event-store';
import { ProjectionRunner } from '@kansli/projections';
import { CheckpointScheduler } from './checkpoint.scheduler';
import { CheckpointStore } from './checkpoint-store';
import { IntegrityResolver } from './graphql/integrity.resolver';
import { ProtocolCheckpointResolver } from './graphql/protocol-checkpoint.resolver';
import type { LogConfig } from './log-config';
import { LogCheckpoints } from './log-checkpoints';
import { loadOrCreateLogSigner } from './log-signer';
import { logTreeProjection } from './log-tree.projection';

/**
 * The log's tree as this process sees it: the embedded engine's own (grown in each append's transaction), or,
 * with EventStoreDB, this replica's, grown by its subscription beside the read models.
 */
export function logTreeOf(events: EventStore, readModels: ProjectionRunner): LogTree {
  if (events instanceof SqliteEventStore) {
    if (!events.logTree) throw new Error('The event store was opened without its log tree');
    return events.logTree;
  }
  const tree = new SqliteLogTree(readModels.database);
  readModels.register(logTreeProjection(tree));
  return tree;
}

/** The auditors' proof: signed checkpoints of the log's Merkle tree, and the proofs over GraphQL. */
@Module({})
export class IntegrityModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CheckpointScheduler) private readonly scheduler: CheckpointScheduler) {}

  static forRoot(config: LogConfig): DynamicModule {
    return {
      module: IntegrityModule,
      providers: [
        {
          provide: LogCheckpoints,
          inject: [EventStore, ProjectionRunner, Clock],
          useFactory: (events: EventStore, readModels: ProjectionRunner, clock: Clock) =>
            new LogCheckpoints(logTreeOf(events, readModels), new CheckpointStore(readModels.database), loadOrCreateLogSigner(config), () => clock.now()),
        },
        {
          provide: CheckpointScheduler,
          inject: [LogCheckpoints, EventStore, ProjectionRunner],
          useFactory: (checkpoints: LogCheckpoints, events: EventStore, readModels: ProjectionRunner) =>
            new CheckpointScheduler(checkpoints, events, readModels, config.checkpointIntervalMs),
        },
        IntegrityResolver,
        ProtocolCheckpointResolver,
      ],
      exports: [LogCheckpoints],
    };
  }

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.scheduler.stop();
  }
}
