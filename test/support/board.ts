import type { GraphQLTestClient } from '@kansli/testing';

export interface Board {
  bodyId: string;
  members: string[];
}

/** A board of five seats with three ledamöter, ready for meetings. */
export async function establishBoard(gql: GraphQLTestClient, name = 'Samordningsförbundet Skellefteå-Norsjö'): Promise<Board> {
  const { establishBody } = await gql.ok<{ establishBody: { id: string } }>(
    'mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id } }',
    { input: { name, kind: 'STYRELSE', seats: 5 } },
  );
  const members: string[] = [];
  for (const [personName, position] of [['Bertil Almgren', 'ORDFORANDE'], ['Kenneth Andersson', null], ['Mikael Lindfors', null]] as const) {
    const { appointMember } = await gql.ok<{ appointMember: { person: { id: string } } }>(
      'mutation($input: AppointMemberInput!) { appointMember(input: $input) { person { id } } }',
      { input: { bodyId: establishBody.id, personName, role: 'LEDAMOT', position, from: '2015-01-01' } },
    );
    members.push(appointMember.person.id);
  }
  return { bodyId: establishBody.id, members };
}

/** A meeting of the board, opened, with its three ledamöter present for the whole meeting. */
export async function openQuorateMeeting(gql: GraphQLTestClient, board: Board, start = '2018-06-14T09:00:00+02:00', firstParagraph?: number): Promise<string> {
  const { scheduleMeeting } = await gql.ok<{ scheduleMeeting: { id: string } }>(
    'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
    { input: { bodyId: board.bodyId, start, agenda: [{ title: 'Mötets öppnande' }] } },
  );
  const meetingId = scheduleMeeting.id;
  await gql.ok('mutation($input: OpenMeetingInput!) { openMeeting(input: $input) { id } }', { input: { meetingId, at: start, firstParagraph } });
  for (const personId of board.members) {
    await gql.ok('mutation($input: RecordAttendanceInput!) { recordAttendance(input: $input) { id } }', { input: { meetingId, personId, role: 'BESLUTANDE' } });
  }
  return meetingId;
}
