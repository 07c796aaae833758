import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EventStore } from './event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export type EventStoreLocation = { engine: 'sqlite'; filename: string } | { engine: 'eventstoredb'; connectionString: string };

/**
 * `sqlite:<file>` (relative to the working directory) or an EventStoreDB connection string (`esdb://…`, or
 * `esdb+discover://…` for a cluster). Throws a one-line message naming what is allowed.
 */
export function parseEventStoreUrl(url: string): EventStoreLocation {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length);
    if (filename.length === 0) throw new Error('sqlite: needs a file name, e.g. sqlite:./data/kansli.db');
    return { engine: 'sqlite', filename };
  }
  if (/^esdb(\+discover)?:\/\/[^\s]+$/.test(url)) return { engine: 'eventstoredb', connectionString: url };
  throw new Error(`expected sqlite:<file> or esdb://host:port[?options] (esdb+discover:// for a cluster), got ${JSON.stringify(url)}`);
}

export function openEventStore(location: EventStoreLocation): EventStore {
  if (location.engine === 'sqlite') {
    if (location.filename !== ':memory:') mkdirSync(dirname(resolve(location.filename)), { recursive: true });
    return new SqliteEventStore({ filename: location.filename });
  }
  return new EventStoreDbEventStore({ connectionString: location.connectionString });
}
