import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@kansli/event-store';
import { dumpReadModels, rebuildEmbeddedReadModels, type ReadModelDump } from '@kansli/projections';
import { readModelProjections } from '../../apps/kansli/src/read-models';

/**
 * The read models of a stopped server's embedded store as the server built them, and as `kansli rebuild` builds
 * them again from the log: a projection that reads anything but the event (a clock) makes the two differ.
 */
export async function builtAndRebuilt(dataDir: string): Promise<{ built: ReadModelDump; rebuilt: ReadModelDump }> {
  const filename = join(dataDir, 'kansli.db');
  const dump = () => {
    const db = new Database(filename, { readonly: true });
    try {
      return dumpReadModels(db);
    } finally {
      db.close();
    }
  };
  const built = dump();
  const store = new SqliteEventStore({ filename });
  try {
    await rebuildEmbeddedReadModels(store, filename, readModelProjections);
  } finally {
    await store.close();
  }
  return { built, rebuilt: dump() };
}
