import { startKansli } from './support/kansli';

// Records whether anything loads the EventStoreDB client library (with gRPC and protobuf behind it). The factory
// may run before this file's own variables exist (jest.mock is hoisted above the imports), so it marks this test
// file's global object (each test file has its own).
jest.mock('@eventstore/db-client', () => {
  (globalThis as { kansliEsdbClientLoaded?: boolean }).kansliEsdbClientLoaded = true;
  return jest.requireActual('@eventstore/db-client');
});
const clientLoaded = () => (globalThis as { kansliEsdbClientLoaded?: boolean }).kansliEsdbClientLoaded === true;

describe('the embedded default at startup', () => {
  it('never loads the EventStoreDB client library: only an EventStoreDB store does', async () => {
    const server = await startKansli();
    try {
      await server.admin.ok('mutation { establishBody(input: { name: "Styrelsen", kind: STYRELSE, seats: 5 }) { id } }');
      expect(clientLoaded()).toBe(false);
    } finally {
      await server.close();
    }
    const { openEventStore } = await import('@kansli/event-store');
    const store = openEventStore({ engine: 'eventstoredb', connectionString: 'esdb://127.0.0.1:1?tls=false' });
    expect(clientLoaded()).toBe(true);
    await store.close();
  });
});
