import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

const directories: string[] = [];
function freshFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'kansli-store-'));
  directories.push(directory);
  return join(directory, 'events.db');
}
afterAll(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

eventStoreContract('SQLite engine', { inlineProjections: true, deterministicIdempotency: true, atomicMultiStreamAppend: true }, async () => {
  const store = new SqliteEventStore({ filename: freshFile() });
  return {
    store,
    database: store.database,
    registerInlineProjection: (projection) => store.registerInlineProjection(projection),
  };
});
