import type { GraphQLTestClient, TestServer } from '@kansli/testing';
import { establishBoard, type Board } from './support/board';
import { startKansli } from './support/kansli';

// A meeting moved to another day and place keeps its kallelse history; a cancelled one is CANCELLED and takes
// nothing more. Both are in the timeline, by meeting and by body.
describe('cancelled and moved meetings, over HTTP', () => {
  let server: TestServer;
  let gql: GraphQLTestClient;
  let board: Board;
  beforeAll(async () => {
    server = await startKansli();
    gql = server.admin;
    board = await establishBoard(gql);
  });
  afterAll(() => server.close());

  const MEETING = 'id status start end place cancellation { at reason } reschedulings { reason rescheduledAt previousStart previousEnd previousPlace start end place }';
  const mutate = async <T>(mutation: string, input: Record<string, unknown>, selection = MEETING) =>
    (await gql.ok<Record<string, T>>(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} } }`, { input }))[mutation];
  const schedule = (start: string, end: string, place: string) => mutate<{ id: string }>('scheduleMeeting', { bodyId: board.bodyId, start, end, place }, 'id');
  const timeline = async (filter: Record<string, unknown>) =>
    (await gql.ok<{ timeline: { edges: Array<{ node: { type: string; data: Record<string, unknown> } }> } }>(
      'query($filter: TimelineFilter) { timeline(filter: $filter) { edges { node { type data } } } }',
      { filter },
    )).timeline.edges.map(({ node }) => node);

  it('moves a meeting twice before it opens, with every earlier kallelse kept and in the timeline', async () => {
    const { id: meetingId } = await schedule('2018-09-20T09:00:00+02:00', '2018-09-20T12:00:00+02:00', 'Hörnellgatan 17, vån 3');
    await mutate('rescheduleMeeting', { meetingId, start: '2018-09-27T13:00:00+02:00', reason: 'Ordföranden har förhinder' });
    const moved = await mutate<Record<string, unknown>>('rescheduleMeeting', { meetingId, start: '2018-10-04T09:00:00+02:00', end: '2018-10-04T15:00:00+02:00', place: 'Norsjö kommunhus', reason: 'Gemensam planeringsdag med LSG' });
    expect(moved).toMatchObject({
      status: 'SCHEDULED',
      start: '2018-10-04T09:00:00+02:00',
      end: '2018-10-04T15:00:00+02:00',
      place: 'Norsjö kommunhus',
      cancellation: null,
      reschedulings: [
        {
          reason: 'Ordföranden har förhinder',
          previousStart: '2018-09-20T09:00:00+02:00',
          previousEnd: '2018-09-20T12:00:00+02:00',
          previousPlace: 'Hörnellgatan 17, vån 3',
          start: '2018-09-27T13:00:00+02:00',
          end: '2018-09-27T16:00:00+02:00',
          place: 'Hörnellgatan 17, vån 3',
        },
        {
          reason: 'Gemensam planeringsdag med LSG',
          previousStart: '2018-09-27T13:00:00+02:00',
          previousEnd: '2018-09-27T16:00:00+02:00',
          previousPlace: 'Hörnellgatan 17, vån 3',
          start: '2018-10-04T09:00:00+02:00',
          end: '2018-10-04T15:00:00+02:00',
          place: 'Norsjö kommunhus',
        },
      ],
    });
    expect((moved.reschedulings as Array<{ rescheduledAt: string }>).every(({ rescheduledAt }) => !Number.isNaN(Date.parse(rescheduledAt)))).toBe(true);

    const byMeeting = await timeline({ entityId: meetingId });
    expect(byMeeting.map(({ type }) => type)).toEqual(['MeetingScheduled', 'MeetingRescheduled', 'MeetingRescheduled']);
    expect(byMeeting[1].data).toMatchObject({ start: '2018-09-27T13:00:00+02:00', previous: { start: '2018-09-20T09:00:00+02:00' }, reason: 'Ordföranden har förhinder' });

    // Moved, it opens on its new day: the paragraph register and the roster are the new day's.
    const opened = await mutate<{ status: string }>('openMeeting', { meetingId, at: '2018-10-04T09:00:00+02:00' }, 'status');
    expect(opened.status).toBe('OPEN');
    const refused = await gql.request(`mutation { rescheduleMeeting(input: { meetingId: "${meetingId}", start: "2018-10-11T09:00:00+02:00", reason: "För sent" }) { id } }`);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/a meeting is moved before it opens/) });
  });

  it('cancels a meeting before it opens: CANCELLED, in the timeline of the meeting and of the body, and refusing anything more', async () => {
    const { id: meetingId } = await schedule('2018-11-22T13:00:00+01:00', '2018-11-22T16:00:00+01:00', 'Hörnellgatan 17, vån 2');
    const cancelled = await mutate<Record<string, unknown>>('cancelMeeting', { meetingId, at: '2018-11-19T10:00:00+01:00', reason: 'Inga ärenden att behandla' });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellation: { at: '2018-11-19T10:00:00+01:00', reason: 'Inga ärenden att behandla' }, reschedulings: [] });

    const byBody = await timeline({ bodyId: board.bodyId, types: ['MeetingCancelled'] });
    expect(byBody).toEqual([{ type: 'MeetingCancelled', data: { meetingId, at: '2018-11-19T10:00:00+01:00', reason: 'Inga ärenden att behandla' } }]);

    for (const [mutation, input] of [
      ['openMeeting', `{ meetingId: "${meetingId}", at: "2018-11-22T13:00:00+01:00" }`],
      ['addAgendaItem', `{ meetingId: "${meetingId}", title: "Tillägg" }`],
      ['rescheduleMeeting', `{ meetingId: "${meetingId}", start: "2018-11-29T13:00:00+01:00", reason: "Nytt datum" }`],
      ['cancelMeeting', `{ meetingId: "${meetingId}", at: "2018-11-20T10:00:00+01:00", reason: "Igen" }`],
    ]) {
      const result = await gql.request(`mutation { ${mutation}(input: ${input}) { id } }`);
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/cancelled .*schedule a new meeting instead/) });
    }
    const { body } = await gql.ok<{ body: { meetings: { edges: Array<{ node: { id: string; status: string } }> } } }>(
      'query($id: ID!) { body(id: $id) { meetings { edges { node { id status } } } } }',
      { id: board.bodyId },
    );
    expect(body.meetings.edges.map(({ node }) => node)).toContainEqual({ id: meetingId, status: 'CANCELLED' });
  });
});
