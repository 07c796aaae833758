import type { GraphQLTestClient, TestServer } from '@kansli/testing';
import { startKansli } from './support/kansli';

// R2 in full: ersättare are called in the order set for the absent ledamot's member organisation. The 2018-06-14
// board, with a second ersättare for Arbetsförmedlingen placed before Vestring-Sandberg.
describe('R2: ersättare in their order, over HTTP', () => {
  let server: TestServer;
  let gql: GraphQLTestClient;
  beforeAll(async () => {
    server = await startKansli();
    gql = server.admin;
  });
  afterAll(() => server.close());

  const run = <T = unknown>(mutation: string, input: Record<string, unknown>, selection = '__typename') =>
    gql.ok<Record<string, T>>(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} } }`, { input }).then((data) => data[mutation]);

  it('records an ersättare who served out of order, and reports who should have been called in Protocol.findings and complianceFindings', async () => {
    const { id: bodyId } = await run<{ id: string }>('establishBody', { name: 'Samordningsförbundet Skellefteå-Norsjö, styrelsen', kind: 'STYRELSE', seats: 5 }, 'id');
    const appoint = async (personName: string, role: string, representing: string, extra: Record<string, unknown> = {}) =>
      (await run<{ person: { id: string } }>('appointMember', { bodyId, personName, role, representing, from: '2018-01-01', ...extra }, 'person { id }')).person.id;
    const almgren = await appoint('Bertil Almgren', 'LEDAMOT', 'Skellefteå kommun', { position: 'ORDFORANDE' });
    const andersson = await appoint('Kenneth Andersson', 'LEDAMOT', 'Västerbottens läns landsting');
    const lindfors = await appoint('Mikael Lindfors', 'LEDAMOT', 'Norsjö kommun');
    const eriksson = await appoint('Anders Eriksson', 'LEDAMOT', 'Arbetsförmedlingen', { position: 'VICE_ORDFORANDE' });
    const nilsson = await appoint('Nils Nilsson', 'ERSATTARE', 'Arbetsförmedlingen', { substituteOrder: 1 });
    const vestring = await appoint('Birgitta Vestring-Sandberg', 'ERSATTARE', 'Arbetsförmedlingen', { substituteOrder: 2 });
    const lindgren = await appoint('Anette Lindgren', 'ERSATTARE', 'Skellefteå kommun', { substituteOrder: 1 });

    const meeting = async (start: string) => {
      const { id: meetingId } = await run<{ id: string }>('scheduleMeeting', { bodyId, start }, 'id');
      await run('openMeeting', { meetingId, at: start });
      for (const personId of [almgren, andersson, lindfors]) await run('recordAttendance', { meetingId, personId, role: 'BESLUTANDE' });
      return meetingId;
    };
    const findings = async (meetingId: string) =>
      (await gql.ok<{ meeting: { protocol: { findings: Array<Record<string, unknown>> } } }>(
        'query($id: ID!) { meeting(id: $id) { protocol { findings { rule expected actual subjectId meeting { id } } } } }',
        { id: meetingId },
      )).meeting.protocol.findings;

    // In June Vestring-Sandberg serves for Eriksson, and Nilsson, first in Arbetsförmedlingen's order, sits as ersättare.
    const june = await meeting('2018-06-14T09:00:00+02:00');
    const recorded = await run<{ attendance: Array<{ person: { id: string }; role: string; replacing: { id: string } | null }> }>(
      'recordAttendance',
      { meetingId: june, personId: vestring, role: 'TJANSTGORANDE_ERSATTARE', replacingPersonId: eriksson },
      'attendance { person { id } role replacing { id } }',
    );
    expect(recorded.attendance).toContainEqual({ person: { id: vestring }, role: 'TJANSTGORANDE_ERSATTARE', replacing: { id: eriksson } });
    await run('recordAttendance', { meetingId: june, personId: lindgren, role: 'ERSATTARE' });
    expect(await findings(june)).toEqual([]);
    await run('recordAttendance', { meetingId: june, personId: nilsson, role: 'ERSATTARE' });
    const outOfOrder = { rule: 'R2', expected: 'Nils Nilsson', actual: 'Birgitta Vestring-Sandberg', subjectId: vestring, meeting: { id: june } };
    expect(await findings(june)).toEqual([outOfOrder]);

    // In September Nilsson serves, as the order says: nothing to report.
    const september = await meeting('2018-09-20T09:00:00+02:00');
    await run('recordAttendance', { meetingId: september, personId: vestring, role: 'ERSATTARE' });
    await run('recordAttendance', { meetingId: september, personId: nilsson, role: 'TJANSTGORANDE_ERSATTARE', replacingPersonId: eriksson });
    expect(await findings(september)).toEqual([]);

    const { complianceFindings } = await gql.ok<{ complianceFindings: Array<Record<string, unknown>> }>(
      'query($id: ID!) { complianceFindings(bodyId: $id, from: "2018-01-01", to: "2018-12-31") { rule expected actual subjectId meeting { id } message } }',
      { id: bodyId },
    );
    expect(complianceFindings).toEqual([
      {
        ...outOfOrder,
        message: 'Birgitta Vestring-Sandberg served in place of Anders Eriksson for the whole meeting, while Nils Nilsson, present and before Birgitta Vestring-Sandberg in the order of ersättare for Arbetsförmedlingen, was not called',
      },
    ]);
  });
});
