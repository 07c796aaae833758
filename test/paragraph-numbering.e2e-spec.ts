import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { EventStore, SqliteEventStore } from '@kansli/event-store';
import { TakeDecision } from '@kansli/meetings';
import { startTestServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { establishBoard, openQuorateMeeting } from './support/board';

const TAKE = 'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { paragraph } }';

describe('paragraph numbers run per body per calendar year', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }))] }));
  });
  afterEach(() => server.close());

  it('never gives two decisions taken at the same moment the same number, within a meeting or across two', async () => {
    const gql = server.admin;
    const board = await establishBoard(gql);
    const first = await openQuorateMeeting(gql, board, '2018-06-14T09:00:00+02:00');
    const second = await openQuorateMeeting(gql, board, '2018-06-15T09:00:00+02:00');
    const all = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        gql.ok<{ takeDecision: { paragraph: number } }>(TAKE, {
          input: { meetingId: i % 2 ? first : second, title: `Ärende ${i}`, clauses: ['att notera informationen.'], outcome: 'NOTERAD' },
        }),
      ),
    );
    const numbers = all.map((r) => r.takeDecision.paragraph).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));

    // HTTP requests reach the server one event-loop turn apart; commands sent in the same tick race for real:
    // every one of them reads the same register revision before the first is written.
    const commands = server.app.get(CommandBus);
    const context = { occurredAt: '2018-06-14T10:00:00+02:00' };
    const racing = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        commands.execute<TakeDecision, { events: Array<{ data: { paragraph: number } }> }>(
          new TakeDecision(i % 2 ? first : second, randomUUID(), [], `Samtidigt ${i}`, [], 'NOTERAD', '2018-06-15T10:00:00+02:00', [], [], false, context),
        ),
      ),
    );
    expect(racing.map((r) => r.events[0].data.paragraph).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 17));
  });

  it('reserves a number in the same atomic write as its decision: a decision whose write fails leaves no number behind, and the next takes it', async () => {
    const gql = server.admin;
    const board = await establishBoard(gql);
    const meeting = await openQuorateMeeting(gql, board, '2018-06-14T09:00:00+02:00');
    const store = server.app.get(EventStore) as SqliteEventStore;
    // A write that fails after the number was chosen: the stand-in for a crash between the two streams.
    store.registerInlineProjection({
      name: 'test-failing-write',
      eventTypes: ['DecisionTaken'],
      apply: (_db, event) => {
        if ((event.data as { title?: string }).title === 'Skrivfel') throw new Error('the write fails');
      },
    });
    const take = (title: string) => gql.request(TAKE, { input: { meetingId: meeting, title, clauses: [], outcome: 'NOTERAD' } });
    expect((await take('Första')).data).toEqual({ takeDecision: { paragraph: 1 } });
    expect((await take('Skrivfel')).errors).toHaveLength(1);
    expect((await take('Andra')).data).toEqual({ takeDecision: { paragraph: 2 } });
    const register = await store.readStream(`paragraphs-${board.bodyId}-2018`);
    expect(register.map((event) => (event.data as { number: number }).number)).toEqual([1, 2]);
  });

  it('decides on the meeting as stored, not as this process last saw it: a meeting closed behind its back refuses the next decision and strands no number', async () => {
    const gql = server.admin;
    const board = await establishBoard(gql);
    const meeting = await openQuorateMeeting(gql, board, '2018-06-14T09:00:00+02:00');
    const take = (title: string) => gql.request(TAKE, { input: { meetingId: meeting, title, clauses: [], outcome: 'NOTERAD' } });
    expect((await take('Första')).data).toEqual({ takeDecision: { paragraph: 1 } });
    const store = server.app.get(EventStore);
    // Written straight to the log, as another process would: the handlers' caches never see it.
    await store.appendToStream(`meeting-${meeting}`, [{ type: 'MeetingClosed', data: { meetingId: meeting, at: '2018-06-14T12:00:00+02:00' }, metadata: { occurredAt: '2018-06-14T12:00:00+02:00' } }]);
    const refused = await take('Efter stängning');
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0].extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    const register = await store.readStream(`paragraphs-${board.bodyId}-2018`);
    expect(register).toHaveLength(1);
  });

  it('continues an imported series, starts again in a new year, and never reuses a number', async () => {
    const gql = server.admin;
    const board = await establishBoard(gql);
    const june = await openQuorateMeeting(gql, board, '2018-06-14T09:00:00+02:00', 24);
    const taken = await gql.ok<{ takeDecision: { paragraph: number } }>(TAKE, { input: { meetingId: june, title: 'Mötets öppnande', clauses: [], outcome: 'NOTERAD' } });
    expect(taken.takeDecision.paragraph).toBe(24);
    const september = await openQuorateMeeting(gql, board, '2018-09-28T09:00:00+02:00');
    const next = await gql.ok<{ takeDecision: { paragraph: number } }>(TAKE, { input: { meetingId: september, title: 'Mötets öppnande', clauses: [], outcome: 'NOTERAD' } });
    expect(next.takeDecision.paragraph).toBe(25);
    const january = await openQuorateMeeting(gql, board, '2019-01-20T09:00:00+01:00');
    const newYear = await gql.ok<{ takeDecision: { paragraph: number } }>(TAKE, { input: { meetingId: january, title: 'Mötets öppnande', clauses: [], outcome: 'NOTERAD' } });
    expect(newYear.takeDecision.paragraph).toBe(1);

    const { scheduleMeeting } = await gql.ok<{ scheduleMeeting: { id: string } }>(
      'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
      { input: { bodyId: board.bodyId, start: '2018-11-30T09:00:00+01:00' } },
    );
    const reused = await gql.request('mutation($input: OpenMeetingInput!) { openMeeting(input: $input) { id } }', {
      input: { meetingId: scheduleMeeting.id, at: '2018-11-30T09:00:00+01:00', firstParagraph: 20 },
    });
    expect(reused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(reused.errors?.[0].message).toMatch(/§ 20 of 2018 is already used/);
  });
});
