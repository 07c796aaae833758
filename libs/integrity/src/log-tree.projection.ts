import { stageEvent, type SqliteLogTree } from '@kansli/event-store';
import type { Projection } from '@kansli/projections';

/**
 * A replica's copy of the log's tree (EventStoreDB mode): every event of `$all`, in order, as the next leaf,
 * under the replica's checkpointed subscription. The same tree code as the embedded engine's, so every replica
 * of one log reaches the same root. Not a read model: `rebuild` leaves it alone.
 */
export function logTreeProjection(tree: SqliteLogTree): Projection {
  return {
    name: 'log-tree',
    apply(_db, event) {
      stageEvent(tree, event);
      // Inside the subscription's transaction for this event: a failure there stops the runner.
      tree.writeStaged();
      tree.commitStaged();
    },
  };
}
