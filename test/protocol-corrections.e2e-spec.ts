import { rmSync } from 'node:fs';
import type { GraphQLResponse, GraphQLTestClient, TestServer } from '@kansli/testing';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { startKansli } from './support/kansli';
import { builtAndRebuilt } from './support/rebuild';

// R9: justerade minutes are never edited; a correction is a new, visible event. The 2018-06-14 demo meeting
// (§ 24–39), justerad and posted: § 27 cites the minutes of 2018-04-06. Supposing the previous meeting was held on
// 2018-04-26, the board's meeting of 2018-09-20 decides to correct the date; § 25 spells the justerare
// "Westring-Sandberg" where the attendance list has Vestring-Sandberg.
const P27 = 'att godkänna protokollet från 2018-04-06 och lägga det till handlingarna.';
const P27_CORRECTED = 'att godkänna protokollet från 2018-04-26 och lägga det till handlingarna.';
const P29 = 'att bevilja Socialkontoret upp till 200 000kr för perioden augusti – december 2018 för att ersätta pensionsavgång vid Arbetsmarknadstorget.';
const P25 = 'att utse Birgitta Westring-Sandberg att justera protokollet';

interface Decision { id: string; paragraph: number; title: string; clauses: string[]; outcome: string }

describe('corrections of justerade minutes (R9), on the 2018-06-14 demo meeting', () => {
  let server: TestServer;
  let gql: GraphQLTestClient;
  let closed = false;
  let bodyId: string;
  let meetingId: string;
  let people: Record<string, string>;
  let decisions: Record<number, Decision>;
  let september: string;
  let correcting: Decision;

  beforeAll(async () => {
    server = await startKansli();
    gql = server.admin;
    ({ bodyId, meetingId } = await loadMeeting20180614((query, variables) => gql.ok(query, variables)));
    const { body, meeting } = await gql.ok<{ body: { members: Array<{ person: { id: string; name: string } }> }; meeting: { decisions: Decision[] } }>(
      'query($bodyId: ID!, $meetingId: ID!) { body(id: $bodyId) { members { person { id name } } } meeting(id: $meetingId) { decisions { id paragraph title clauses outcome } } }',
      { bodyId, meetingId },
    );
    people = Object.fromEntries(body.members.map(({ person }) => [person.name, person.id]));
    decisions = Object.fromEntries(meeting.decisions.map((decision) => [decision.paragraph, decision]));

    // The meeting of 2018-09-20, where the board decides the correction (§ 40): not justerad yet.
    const run = <T>(mutation: string, input: Record<string, unknown>, selection = 'id') =>
      gql.ok<Record<string, T>>(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} } }`, { input }).then((data) => data[mutation]);
    september = (await run<{ id: string }>('scheduleMeeting', { bodyId, start: '2018-09-20T09:00:00+02:00' })).id;
    await run('openMeeting', { meetingId: september, at: '2018-09-20T09:00:00+02:00' });
    for (const name of ['Bertil Almgren', 'Kenneth Andersson', 'Mikael Lindfors']) await run('recordAttendance', { meetingId: september, personId: people[name], role: 'BESLUTANDE' });
    correcting = await run<Decision>(
      'takeDecision',
      {
        meetingId: september,
        title: 'Rättelse av protokoll 2018-06-14',
        clauses: ['att rätta datumet för föregående mötes protokoll i § 27 av protokollet 2018-06-14 till 2018-04-26.'],
        outcome: 'BIFALL',
        decidedAt: '2018-09-20T09:30:00+02:00',
      },
      'id paragraph title clauses outcome',
    );
  });
  afterAll(async () => {
    if (!closed) await server.app.close();
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  const CORRECT = `mutation($input: CorrectProtocolInput!) { correctProtocol(input: $input) {
    status corrections { paragraph field from to reason correctedAt decision { paragraph title } signatories { name } } } }`;
  const correct = (input: Record<string, unknown>) => gql.request<{ correctProtocol: { corrections: unknown[] } }>(CORRECT, { input: { meetingId, ...input } });
  const refusal = (result: GraphQLResponse<unknown>) => ({ code: result.errors?.[0]?.extensions?.code, rule: result.errors?.[0]?.extensions?.rule, message: result.errors?.[0]?.message });

  it('R9: corrects the misprinted date in § 27’s att-clause by the later decision, with both versions visible', async () => {
    const result = await correct({
      paragraph: 27,
      field: 'clauses',
      from: P27,
      to: P27_CORRECTED,
      reason: 'Föregående sammanträde hölls 2018-04-26; protokollet angav fel datum',
      correctedAt: '2018-09-20',
      decisionId: correcting.id,
    });
    expect(result.errors).toBeUndefined();
    const correction = {
      paragraph: 27,
      field: 'clauses',
      from: P27,
      to: P27_CORRECTED,
      reason: 'Föregående sammanträde hölls 2018-04-26; protokollet angav fel datum',
      correctedAt: '2018-09-20',
      decision: { paragraph: 40, title: 'Rättelse av protokoll 2018-06-14' },
      signatories: [],
    };
    expect(result.data!.correctProtocol).toEqual({ status: 'LAGA_KRAFT', corrections: [correction] });

    // The current text shows the correction; the correction shows the original; the log keeps the original event.
    const { decision } = await gql.ok<{ decision: { clauses: string[]; outcome: string; justerad: boolean; corrections: Array<{ from: string; to: string }> } }>(
      'query($id: ID!) { decision(id: $id) { clauses outcome justerad corrections { from to } } }',
      { id: decisions[27].id },
    );
    expect(decision).toEqual({ clauses: [P27_CORRECTED], outcome: 'BIFALL', justerad: true, corrections: [{ from: P27, to: P27_CORRECTED }] });
    const { history } = await gql.ok<{ history: { edges: Array<{ node: { type: string; data: { clauses?: string[]; from?: string; to?: string } } }> } }>(
      'query($id: ID!) { history(entityId: $id) { edges { node { type data } } } }',
      { id: decisions[27].id },
    );
    expect(history.edges.map(({ node }) => node.type)).toEqual(['ParagraphNumberAssigned', 'DecisionTaken', 'ProtocolCorrected']);
    expect(history.edges[1].node.data.clauses).toEqual([P27]);
    expect(history.edges[2].node.data).toMatchObject({ from: P27, to: P27_CORRECTED });

    // The public reads justerade minutes with their corrections, but not the correcting decision of a meeting not yet justerad.
    const { meeting } = await server.client.ok<{ meeting: { protocol: { corrections: Array<{ to: string; decision: unknown }> } } }>(
      'query($id: ID!) { meeting(id: $id) { protocol { corrections { to decision { id } } } } }',
      { id: meetingId },
    );
    expect(meeting.protocol.corrections).toEqual([{ to: P27_CORRECTED, decision: null }]);
  });

  it('R9: refuses a correction that changes what was decided: the outcome, an amount in § 29, a negation', async () => {
    expect(refusal(await correct({ paragraph: 29, field: 'outcome', from: 'BIFALL', to: 'AVSLAG', reason: 'Fel beslut', correctedAt: '2018-09-20' }))).toMatchObject({
      code: 'RULE_VIOLATION',
      rule: 'R9',
      message: expect.stringMatching(/"outcome" is what § 29 decided/),
    });
    expect(refusal(await correct({ paragraph: 29, field: 'clauses', from: P29, to: P29.replace('200 000kr', '250 000kr'), reason: 'Beloppet', correctedAt: '2018-09-20', decisionId: correcting.id }))).toMatchObject({
      code: 'RULE_VIOLATION',
      rule: 'R9',
      message: expect.stringMatching(/changes an amount of money \(200 000kr → 250 000kr\).*takes a new decision/),
    });
    expect(refusal(await correct({ paragraph: 29, field: 'clauses', from: P29, to: P29.replace('att bevilja', 'att inte bevilja'), reason: 'Avslag', correctedAt: '2018-09-20' }))).toMatchObject({
      code: 'RULE_VIOLATION',
      rule: 'R9',
    });
    expect(refusal(await correct({ paragraph: 29, field: 'votes', from: '[]', to: '[{}]', reason: 'Omröstning', correctedAt: '2018-09-20' }))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R9' });
    const { decision } = await gql.ok<{ decision: { clauses: string[]; outcome: string } }>('query($id: ID!) { decision(id: $id) { clauses outcome } }', { id: decisions[29].id });
    expect(decision).toEqual({ clauses: [P29], outcome: 'BIFALL' });
  });

  it('R9: refuses a correction of minutes not yet justerade: they are still a draft', async () => {
    const result = await gql.request(CORRECT, {
      input: { meetingId: september, paragraph: 40, field: 'title', from: 'Rättelse av protokoll 2018-06-14', to: 'Rättelse av protokollet 2018-06-14', reason: 'Stavning', correctedAt: '2018-09-20' },
    });
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/not justerade yet/) });
  });

  it('R5: the justerare’s misspelled name in § 25, and the justering date itself, signed again by the chair and the justerare', async () => {
    const signatoryIds = [people['Bertil Almgren'], people['Birgitta Vestring-Sandberg']];
    const spelled = await correct({ paragraph: 25, field: 'clauses', from: P25, to: P25.replace('Westring', 'Vestring'), reason: 'Namnet felstavat', correctedAt: '2018-09-21', signatoryIds });
    expect(spelled.errors).toBeUndefined();

    const unsigned = await correct({ paragraph: 24, field: 'justeradAt', from: '2018-06-14', to: '2018-06-15', reason: 'Justerades dagen efter', correctedAt: '2018-09-21' });
    expect(refusal(unsigned)).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R5', message: expect.stringMatching(/justering again/) });
    const signed = await gql.request<{ correctProtocol: { justeradAt: string; findings: Array<{ rule: string; expected: string }>; corrections: Array<{ field: string; signatories: Array<{ name: string }> }> } }>(
      'mutation($input: CorrectProtocolInput!) { correctProtocol(input: $input) { justeradAt findings { rule expected } corrections { field signatories { name } } } }',
      { input: { meetingId, paragraph: 24, field: 'justeradAt', from: '2018-06-14', to: '2018-06-15', reason: 'Justerades dagen efter', correctedAt: '2018-09-21', signatoryIds } },
    );
    expect(signed.errors).toBeUndefined();
    expect(signed.data!.correctProtocol).toEqual({
      justeradAt: '2018-06-15',
      findings: [{ rule: 'R7', expected: 'on or before 2018-06-17' }],
      corrections: [
        { field: 'clauses', signatories: [] },
        { field: 'clauses', signatories: [{ name: 'Bertil Almgren' }, { name: 'Birgitta Vestring-Sandberg' }] },
        { field: 'justeradAt', signatories: [{ name: 'Bertil Almgren' }, { name: 'Birgitta Vestring-Sandberg' }] },
      ],
    });
    const { decision } = await gql.ok<{ decision: { clauses: string[] } }>('query($id: ID!) { decision(id: $id) { clauses } }', { id: decisions[25].id });
    expect(decision.clauses).toEqual(['att utse Birgitta Vestring-Sandberg att justera protokollet']);
  });

  it('a rebuild of the read models from the log gives the same rows: corrections, moved and cancelled meetings, ersättare out of order', async () => {
    const run = (mutation: string, input: Record<string, unknown>) =>
      gql.ok(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`, { input });
    await run('appointMember', { bodyId, personName: 'Nils Nilsson', role: 'ERSATTARE', representing: 'Arbetsförmedlingen', substituteOrder: 1, from: '2018-09-01' });
    const { body } = await gql.ok<{ body: { members: Array<{ person: { id: string; name: string } }> } }>('query($id: ID!) { body(id: $id) { members { person { id name } } } }', { id: bodyId });
    const nilsson = body.members.find(({ person }) => person.name === 'Nils Nilsson')!.person.id;
    await run('recordAttendance', { meetingId: september, personId: nilsson, role: 'ERSATTARE', fromParagraph: 41 });
    await run('recordAttendance', { meetingId: september, personId: people['Birgitta Vestring-Sandberg'], role: 'TJANSTGORANDE_ERSATTARE', replacingPersonId: people['Anders Eriksson'], fromParagraph: 41 });
    const { scheduleMeeting: october } = await gql.ok<{ scheduleMeeting: { id: string } }>('mutation { scheduleMeeting(input: { bodyId: "' + bodyId + '", start: "2018-10-18T09:00:00+02:00" }) { id } }');
    await run('rescheduleMeeting', { meetingId: october.id, start: '2018-10-25T09:00:00+02:00', place: 'Norsjö kommunhus', reason: 'Krockar med LSG' });
    await run('cancelMeeting', { meetingId: october.id, at: '2018-10-22T08:00:00+02:00', reason: 'Inga ärenden' });
    const { complianceFindings } = await gql.ok<{ complianceFindings: Array<{ rule: string; expected: string; actual: string }> }>(
      'query($id: ID!) { complianceFindings(bodyId: $id, from: "2018-01-01", to: "2018-12-31") { rule expected actual } }',
      { id: bodyId },
    );
    expect(complianceFindings).toEqual([
      { rule: 'R7', expected: 'on or before 2018-06-17', actual: '2018-08-10' },
      { rule: 'R2', expected: 'Nils Nilsson', actual: 'Birgitta Vestring-Sandberg' },
    ]);

    await server.app.close();
    closed = true;
    const { built, rebuilt } = await builtAndRebuilt(server.dataDir);
    expect(built.rm_protocol_corrections.rows).toHaveLength(3);
    expect([built.rm_substitutes_out_of_order.rows.length, built.rm_meeting_reschedulings.rows.length, built.rm_meeting_cancellations.rows.length]).toEqual([1, 1, 1]);
    expect(rebuilt).toEqual(built);
  });
});
