import { meetingDecider, type MeetingEvent } from '@kansli/meetings';
import type { TestServer } from '@kansli/testing';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { startKansli } from './support/kansli';

const MEETING = `query($id: ID!, $knownAt: DateTime) { meeting(id: $id, knownAt: $knownAt) {
  status agenda { title } attendance { person { id } role } decisions { paragraph title clauses }
  protocol { justeradAt firstParagraph lastParagraph anslag { postedAt } } } }`;
interface Seen {
  status: string;
  agenda: Array<{ title: string }>;
  attendance: Array<{ person: { id: string }; role: string }>;
  decisions: Array<{ paragraph: number; title: string; clauses: string[] }>;
  protocol: { justeradAt: string | null; firstParagraph: number | null; lastParagraph: number | null; anslag: { postedAt: string } | null };
}

describe('meeting(id, knownAt): the meeting as the system knew it', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startKansli();
  });
  afterAll(() => server.close());

  it('equals a fold of the meeting\'s events recorded at or before knownAt, at every instant the meeting changed', async () => {
    const send = <T>(query: string, variables?: Record<string, unknown>) => server.admin.ok<T>(query, variables);
    const { meetingId } = await loadMeeting20180614(send);
    const { history } = await send<{ history: { edges: Array<{ node: { type: string; data: unknown; recordedAt: string } }> } }>(
      'query($id: ID!) { history(entityId: $id, first: 500) { edges { node { type data recordedAt } } } }',
      { id: meetingId },
    );
    const events = history.edges.map(({ node }) => node).filter((event) => !event.type.startsWith('Paragraph'));
    const instants = [...new Set(events.map((event) => event.recordedAt))];
    expect(instants.length).toBeGreaterThan(20);
    const before = new Date(Date.parse(instants[0]) - 1).toISOString();
    expect((await send<{ meeting: Seen | null }>(MEETING, { id: meetingId, knownAt: before })).meeting).toBeNull();

    for (const knownAt of instants) {
      const known = events.filter((event) => event.recordedAt <= knownAt) as unknown as MeetingEvent[];
      const state = known.reduce(meetingDecider.evolve, meetingDecider.initialState());
      const { meeting } = await send<{ meeting: Seen }>(MEETING, { id: meetingId, knownAt: new Date(knownAt).toISOString() });
      expect({
        status: meeting.status,
        agenda: meeting.agenda.map((item) => item.title),
        attendance: meeting.attendance.map((a) => a.person.id),
        paragraphs: meeting.decisions.map((d) => d.paragraph),
        justeradAt: meeting.protocol.justeradAt,
        posted: meeting.protocol.anslag?.postedAt ?? null,
      }).toEqual({
        status: state.status,
        agenda: state.agenda.map((item) => item.title),
        attendance: state.attendance.map((a) => a.personId),
        paragraphs: state.paragraphs,
        justeradAt: state.justeradAt,
        posted: state.anslagPostedAt,
      });
    }
  });

  it('shows the kallelse as sent before the minutes were written, while the live meeting shows the minutes', async () => {
    const send = <T>(query: string, variables?: Record<string, unknown>) => server.admin.ok<T>(query, variables);
    const { meetingId } = await loadMeeting20180614(send);
    const { history } = await send<{ history: { edges: Array<{ node: { type: string; recordedAt: string } }> } }>(
      'query($id: ID!) { history(entityId: $id, first: 1) { edges { node { type recordedAt } } } }',
      { id: meetingId },
    );
    expect(history.edges[0].node.type).toBe('MeetingScheduled');
    const kallelse = (await send<{ meeting: Seen }>(MEETING, { id: meetingId, knownAt: history.edges[0].node.recordedAt })).meeting;
    expect(kallelse).toMatchObject({ status: 'SCHEDULED', attendance: [], decisions: [], protocol: { justeradAt: null, firstParagraph: null } });
    expect(kallelse.agenda).toHaveLength(16);
    const live = (await send<{ meeting: Seen }>(MEETING, { id: meetingId })).meeting;
    expect(live.protocol).toMatchObject({ justeradAt: '2018-06-14', firstParagraph: 24, lastParagraph: 39 });
    // The public sees a meeting as known at a time only if its minutes were justerade by then.
    expect((await server.client.ok<{ meeting: Seen | null }>(MEETING, { id: meetingId, knownAt: history.edges[0].node.recordedAt })).meeting).toBeNull();
  });
});
