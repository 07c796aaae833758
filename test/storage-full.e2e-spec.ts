import { join } from 'node:path';
import { EventStore, SqliteEventStore, StorageUnavailableError } from '@kansli/event-store';
import { mountSmallFileSystem, startTestServer, type SmallFileSystem, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { establishBoard, openQuorateMeeting } from './support/board';

const TAKE_DECISION = 'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id paragraph } }';
const DECISIONS = 'query($id: ID!) { meeting(id: $id) { decisions { id title } } }';

// The full disk is a real one: the store lives on an 8 MB tmpfs that a filler file makes full. Where this
// process may not mount (not root, or a container forbidding it) that case fails and says so; the other cases
// then run on the ordinary data folder.

describe('when the event store cannot write', () => {
  let server: TestServer;
  let disk: SmallFileSystem | undefined;
  let mountFailure: unknown;
  let store: SqliteEventStore;

  beforeEach(async () => {
    try {
      disk = mountSmallFileSystem(8);
    } catch (error) {
      disk = undefined;
      mountFailure = error;
    }
    const eventStore = disk ? { KANSLI_EVENTSTORE: `sqlite:${join(disk.dir, 'kansli.db')}` } : {};
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir, ...eventStore }))] }));
    store = server.app.get(EventStore) as SqliteEventStore;
  });
  afterEach(async () => {
    await server.close();
    disk?.unmount();
  });

  /** A decision refused while `block` holds, with `message` and nothing written; the same one taken after `unblock`. */
  async function refusedThenTaken(block: () => void, unblock: () => void, message: string, sqliteCode: string): Promise<void> {
    const operatorLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const gql = server.admin;
    const board = await establishBoard(gql);
    const meetingId = await openQuorateMeeting(gql, board);
    const eventsBefore = (await store.readAll({ maxCount: 10_000 })).length;
    const input = { meetingId, title: 'Ansökan om medel för Steget vidare', clauses: ['att bevilja ansökan'], outcome: 'BIFALL' };

    block();
    const refused = await gql.request(TAKE_DECISION, { input });

    // An execution error is HTTP 200 with { data: null, errors }, as for every resolver error (NestJS resets any
    // other status so that clients can read the body); the code says what happened, and no stack or SQL leaks.
    expect(refused.status).toBe(200);
    expect(refused.data).toBeNull();
    expect(refused.errors).toEqual([{ message, locations: expect.any(Array), path: ['takeDecision'], extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } }]);
    const logged = operatorLog.mock.calls.map(([error]) => error as unknown).find((error) => error instanceof StorageUnavailableError) as Error | undefined;
    expect((logged?.cause as { code?: string } | undefined)?.code).toBe(sqliteCode);
    // Reads go on; nothing of the refused decision is in the log or the read models.
    expect(await gql.ok(DECISIONS, { id: meetingId })).toEqual({ meeting: { decisions: [] } });
    expect((await store.readAll({ maxCount: 10_000 })).length).toBe(eventsBefore);

    unblock();
    const taken = await gql.ok<{ takeDecision: { id: string } }>(TAKE_DECISION, { input });
    expect(await gql.ok(DECISIONS, { id: meetingId })).toEqual({ meeting: { decisions: [{ id: taken.takeDecision.id, title: input.title }] } });
    operatorLog.mockRestore();
  }

  it('a mutation while the disk is full (a real tmpfs, filled by another file) answers SERVICE_UNAVAILABLE saying nothing was recorded, records nothing, and succeeds once space is freed', () =>
    refusedThenTaken(
      () => {
        if (!disk) throw new Error(`This case needs a real small file system and could not mount a tmpfs here (root on Linux is needed): ${String(mountFailure)}`);
        disk.fill();
      },
      () => disk!.free(),
      'The event store cannot write: the disk is full. Nothing was recorded; try again when space has been freed.',
      'SQLITE_FULL',
    ));

  it('a mutation while the database is read-only (PRAGMA query_only) answers SERVICE_UNAVAILABLE, records nothing, and succeeds once it is writable', () =>
    refusedThenTaken(
      () => store.database.pragma('query_only = ON'),
      () => store.database.pragma('query_only = OFF'),
      'The event store cannot write: its database is read-only. Nothing was recorded; try again when it is writable.',
      'SQLITE_READONLY',
    ));
});
