/**
 * The EventStoreDB protocol fake as a process of its own, for tests that run Kansli replicas as separate
 * processes: `npm run esdb-fake -- --port 2113 --journal ./fake.jsonl`. It prints one line, the connection
 * string, once it listens; SIGTERM or SIGINT closes it. With --journal, a fake started again on the same file
 * (and port) comes back with the same log, as a restarted server would. It is NOT EventStoreDB.
 */
import { parseArgs } from 'node:util';
import { startEsdbFakeServer } from './esdb-fake-server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, journal: { type: 'string' } }, strict: true });
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) throw new Error(`--port: expected a port number, got ${JSON.stringify(values.port)}`);
  const fake = await startEsdbFakeServer({ port: Number(values.port), journal: values.journal });
  process.stdout.write(`${fake.connectionString}\n`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`esdb-fake: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
