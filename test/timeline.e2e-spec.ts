import { startTestServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { establishBoard, openQuorateMeeting } from './support/board';

const TIMELINE = `query($filter: TimelineFilter, $first: Int, $after: String) { timeline(filter: $filter, first: $first, after: $after) {
  edges { cursor node { position stream revision type occurredAt recordedAt actor correlationId causationId data } }
  pageInfo { hasNextPage endCursor } } }`;
type Page = { timeline: { edges: Array<{ node: { type: string; stream: string; position: string; correlationId: string; data: Record<string, unknown> } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };

describe('the auditors\' timeline', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }))] }));
  });
  afterEach(() => server.close());

  it('lists every event oldest first, filtered by body, person, entity, type and time, paginated', async () => {
    const gql = server.admin;
    const board = await establishBoard(gql);
    const other = await establishBoard(gql, 'Annan nämnd');
    const meetingId = await openQuorateMeeting(gql, board);
    await gql.ok('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id } }', {
      input: { meetingId, title: 'Mötets öppnande', clauses: [], outcome: 'NOTERAD', votes: [{ personId: board.members[1], ballot: 'JA' }] },
    });

    const all = await gql.ok<Page>(TIMELINE, { first: 500 });
    const positions = all.timeline.edges.map((e) => BigInt(e.node.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(all.timeline.edges[0].node.type).toBe('BodyEstablished');

    const ofBody = await gql.ok<Page>(TIMELINE, { filter: { bodyId: board.bodyId }, first: 500 });
    const types = ofBody.timeline.edges.map((e) => e.node.type);
    expect(types).toContain('MeetingOpened');
    expect(types).toContain('DecisionTaken');
    expect(ofBody.timeline.edges.every((e) => JSON.stringify(e.node.data).includes(board.bodyId) || e.node.stream.startsWith('meeting-'))).toBe(true);
    const ofOther = await gql.ok<Page>(TIMELINE, { filter: { bodyId: other.bodyId }, first: 500 });
    expect(ofOther.timeline.edges.map((e) => e.node.type)).toEqual(['BodyEstablished', 'MemberAppointed', 'MemberAppointed', 'MemberAppointed']);
    const { history } = await gql.ok<{ history: Page['timeline'] }>(
      'query($id: ID!) { history(entityId: $id, first: 500) { edges { node { type stream position correlationId data } } pageInfo { hasNextPage endCursor } } }',
      { id: meetingId },
    );
    const meetingPage = await gql.ok<Page>(TIMELINE, { filter: { entityId: meetingId }, first: 500 });
    expect(history.edges.map((e) => e.node.type)).toEqual(['MeetingScheduled', 'MeetingOpened', 'AttendanceRecorded', 'AttendanceRecorded', 'AttendanceRecorded', 'ParagraphNumberAssigned', 'DecisionTaken']);
    expect(history.edges.map((e) => e.node)).toEqual(meetingPage.timeline.edges.map((e) => ({ type: e.node.type, stream: e.node.stream, position: e.node.position, correlationId: e.node.correlationId, data: e.node.data })));

    const ofPerson = await gql.ok<Page>(TIMELINE, { filter: { personId: board.members[1], types: ['DecisionTaken', 'AttendanceRecorded'] } });
    expect(ofPerson.timeline.edges.map((e) => e.node.type)).toEqual(['AttendanceRecorded', 'DecisionTaken']);

    const ofMeeting = await gql.ok<Page>(TIMELINE, { filter: { entityId: meetingId, occurredFrom: '2018-06-14T08:59:00+02:00', occurredTo: '2018-06-14T07:00:00Z' } });
    expect(ofMeeting.timeline.edges.map((e) => e.node.type)).toEqual(['MeetingOpened']);

    const first = await gql.ok<Page>(TIMELINE, { first: 3 });
    expect(first.timeline.pageInfo.hasNextPage).toBe(true);
    const second = await gql.ok<Page>(TIMELINE, { first: 3, after: first.timeline.pageInfo.endCursor });
    expect(second.timeline.edges.map((e) => e.node.position)).toEqual(all.timeline.edges.slice(3, 6).map((e) => e.node.position));

    const bad = await gql.request(TIMELINE, { first: 3, after: 'nonsense' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('carries the correlation id of the request that caused each event', async () => {
    const result = await server.admin
      .withHeaders({ 'x-correlation-id': 'diarium-2018-42' })
      .ok<{ establishBody: { id: string } }>('mutation { establishBody(input: { name: "Styrelsen", kind: STYRELSE, seats: 5 }) { id } }');
    const page = await server.admin.ok<Page>(TIMELINE, { filter: { entityId: result.establishBody.id } });
    expect(page.timeline.edges.map((e) => e.node.correlationId)).toEqual(['diarium-2018-42']);
  });
});
