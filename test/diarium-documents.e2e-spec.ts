import type { Clock } from '@kansli/api';
import type { GraphQLTestClient, TestServer } from '@kansli/testing';
import { establishBoard, openQuorateMeeting, type Board } from './support/board';
import { validateErms } from './support/erms';
import { startKansli } from './support/kansli';

// R12 over HTTP: documents registered in the diarium under the body's dnr series, and `case(dnr)` gathering what
// is filed under one diarienummer across documents, agenda items, motions, decisions and delegated decisions.
const clock: Clock = { now: () => new Date('2018-11-20T10:00:00+01:00') };

const REGISTER = 'mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) { id dnr date direction counterpart description secrecy registeredAt body { id } } }';
type Document = { id: string; dnr: string; date: string; direction: string; counterpart: string | null; description: string; secrecy: string | null; registeredAt: string };
type Failure = { code?: string; rule?: string; message: string };

describe('the diarium: documents and cases', () => {
  let server: TestServer;
  let diarium: GraphQLTestClient;
  let board: Board;
  const letter = (overrides: Record<string, unknown> = {}) => ({
    bodyId: board.bodyId, date: '2018-11-19', direction: 'INKOMMANDE', counterpart: 'Skellefteå kommun', description: 'Ansökan om medel', ...overrides,
  });
  const register = async (input: Record<string, unknown>) => (await diarium.ok<{ registerDocument: Document }>(REGISTER, { input })).registerDocument;
  const refusal = async (input: Record<string, unknown>): Promise<Failure> => {
    const result = await diarium.request(REGISTER, { input });
    const error = result.errors?.[0];
    if (!error) throw new Error(`registerDocument was not refused: ${JSON.stringify(result.data)}`);
    return { code: error.extensions?.code, rule: error.extensions?.rule, message: error.message };
  };

  beforeAll(async () => {
    server = await startKansli({}, { clock });
    diarium = await server.as(['DIARIUM'], { sub: 'diariet' });
    board = await establishBoard(server.admin);
  });
  afterAll(() => server.close());

  it('R12: numbers documents without a dnr from the body\'s series of the year, keeps an imported dnr, and goes on after one of the series\' form', async () => {
    const first = await register(letter());
    expect(first).toMatchObject({ dnr: '2018-0001', date: '2018-11-19', direction: 'INKOMMANDE', counterpart: 'Skellefteå kommun', description: 'Ansökan om medel', secrecy: null });
    expect(first.registeredAt).toBe('2018-11-20T09:00:00.000Z');
    expect((await register(letter({ direction: 'UTGAENDE', counterpart: 'Norsjö kommun', description: 'Svar på remiss' }))).dnr).toBe('2018-0002');
    expect((await register(letter({ dnr: '9-2017', description: 'Protokollsutdrag' }))).dnr).toBe('9-2017');
    expect((await register(letter({ dnr: '2018-0040', description: 'Importerat ärende' }))).dnr).toBe('2018-0040');
    expect((await register(letter({ direction: 'UPPRATTAD', counterpart: null, description: 'Tjänsteskrivelse' }))).dnr).toBe('2018-0041');
    // A document filed under an existing case keeps its dnr and takes no number.
    expect((await register(letter({ dnr: '2018-0001', description: 'Komplettering' }))).dnr).toBe('2018-0001');
    expect((await register(letter({ description: 'Nästa' }))).dnr).toBe('2018-0042');
  });

  it('R12: hands out a number once even when twenty documents are registered at the same moment', async () => {
    const documents = await Promise.all(Array.from({ length: 20 }, (_, i) => register(letter({ description: `Ansökan ${i}` }))));
    const numbers = documents.map((document) => Number(document.dnr.slice(5))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => 43 + i));
  });

  it('refuses what R12 and the API conventions refuse, and writes nothing for it', async () => {
    const before = (await diarium.ok<{ documents: { edges: unknown[] } }>('query($b: ID!) { documents(bodyId: $b, first: 100) { edges { cursor } } }', { b: board.bodyId })).documents.edges.length;
    expect(await refusal(letter({ counterpart: null }))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R12', message: expect.stringMatching(/incoming document is registered with its sender/) });
    expect(await refusal(letter({ description: '  ' }))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R12' });
    expect(await refusal(letter({ date: '2018-11-21' }))).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/2018-11-21 is in the future \(today is 2018-11-20\)/) });
    expect(await refusal(letter({ date: '2018-02-30' }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await refusal(letter({ dnr: 'K'.repeat(51) }))).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/dnr must be 1–50 characters/) });
    expect(await refusal(letter({ secrecy: 'hemligt' }))).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/OSL reference/) });
    expect(await refusal(letter({ bodyId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(letter({ bodyId: 'nope' }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await refusal(letter({ direction: 'SIDLEDES' }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    const after = (await diarium.ok<{ documents: { edges: unknown[] } }>('query($b: ID!) { documents(bodyId: $b, first: 100) { edges { cursor } } }', { b: board.bodyId })).documents.edges.length;
    expect(after).toBe(before);
    const ledamot = await server.as(['LEDAMOT']);
    expect((await ledamot.request(REGISTER, { input: letter() })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.client.request('query($b: ID!) { documents(bodyId: $b) { edges { cursor } } }', { b: board.bodyId })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('pages through a body\'s documents in the order registered, and of one dnr', async () => {
    const page = async (after: string | null, dnr?: string) =>
      (await diarium.ok<{ documents: { edges: Array<{ cursor: string; node: { dnr: string; description: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
        'query($b: ID!, $after: String, $dnr: String) { documents(bodyId: $b, first: 3, after: $after, dnr: $dnr) { edges { cursor node { dnr description } } pageInfo { hasNextPage endCursor } } }',
        { b: board.bodyId, after, dnr },
      )).documents;
    const first = await page(null);
    expect(first.edges.map((edge) => edge.node.dnr)).toEqual(['2018-0001', '2018-0002', '9-2017']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((edge) => edge.node.dnr)).toEqual(['2018-0040', '2018-0041', '2018-0001']);
    const ofCase = await page(null, '2018-0001');
    expect(ofCase.edges.map((edge) => edge.node.description)).toEqual(['Ansökan om medel', 'Komplettering']);
    expect(ofCase.pageInfo.hasNextPage).toBe(false);
    const bad = await diarium.request('query($b: ID!) { documents(bodyId: $b, after: "bm90IGEgY3Vyc29y") { edges { cursor } } }', { b: board.bodyId });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await diarium.request('query($b: ID!) { documents(bodyId: $b, first: 1000) { edges { cursor } } }', { b: board.bodyId });
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('case(dnr): every document, agenda item, motion, decision and delegated decision filed under one diarienummer', async () => {
    const gql = server.admin;
    const { registerDocument: opened } = await gql.ok<{ registerDocument: Document }>(REGISTER, { input: letter({ description: 'Ansökan: Hälsa för livet' }) });
    const dnr = opened.dnr;
    await gql.ok(REGISTER, { input: letter({ dnr, direction: 'UTGAENDE', counterpart: 'Hälsa för livet', description: 'Beslut meddelat', secrecy: 'OSL 21:1' }) });
    const meetingId = await openQuorateMeeting(gql, board, '2018-11-15T09:00:00+01:00');
    const { addAgendaItem } = await gql.ok<{ addAgendaItem: { agenda: Array<{ id: string; title: string }> } }>(
      'mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { agenda { id title } } }',
      { input: { meetingId, title: 'Ansökan Hälsa för livet', dnr } },
    );
    const item = addAgendaItem.agenda.find((entry) => entry.title === 'Ansökan Hälsa för livet')!;
    const motion = async (title: string, agendaItemId?: string, motionDnr?: string) =>
      (await gql.ok<{ raiseMotion: { id: string } }>('mutation($input: RaiseMotionInput!) { raiseMotion(input: $input) { id } }', {
        input: { meetingId, agendaItemId, title, dnr: motionDnr, proposedBy: 'Förbundschefen', clauses: ['att bevilja 200 000 kr'] },
      })).raiseMotion.id;
    const onItem = await motion('Bevilja medel', item.id);
    const ownDnr = await motion('Följ upp', undefined, dnr);
    const elsewhere = await motion('Annat ärende', undefined, '2018-0002');
    const { takeDecision } = await gql.ok<{ takeDecision: { id: string; paragraph: number } }>(
      'mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id paragraph } }',
      { input: { meetingId, motionIds: [onItem, ownDnr], title: 'Hälsa för livet', clauses: ['att bevilja 200 000 kr'], outcome: 'BIFALL', decidedAt: '2018-11-15T10:00:00+01:00' } },
    );
    await gql.ok('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id } }', {
      input: { meetingId, motionIds: [elsewhere], clauses: ['att notera'], outcome: 'NOTERAD', decidedAt: '2018-11-15T10:30:00+01:00' },
    });
    const { changeDelegation } = await gql.ok<{ changeDelegation: { id: string } }>('mutation($input: ChangeDelegationInput!) { changeDelegation(input: $input) { id } }', {
      input: { bodyId: board.bodyId, action: 'GRANT', matter: 'Mindre bidrag', category: 'EKONOMI', delegate: 'ORDFORANDE', limitAmount: 50_000, validFrom: '2018-11-15', decisionId: takeDecision.id },
    });
    const { recordDelegatedDecision } = await gql.ok<{ recordDelegatedDecision: { id: string } }>(
      'mutation($input: RecordDelegatedDecisionInput!) { recordDelegatedDecision(input: $input) { id } }',
      { input: { delegationId: changeDelegation.id, decidedBy: board.members[0], decidedAt: '2018-11-16', title: 'Tilläggsbidrag', dnr, amount: 20_000 } },
    );

    const CASE = `query($dnr: String!, $bodyId: ID) { case(dnr: $dnr, bodyId: $bodyId) {
      dnr body { id } documents { dnr direction description secrecy } agendaItems { id dnr } motions { id dnr } decisions { id paragraph } delegatedDecisions { id dnr } } }`;
    const reader = await server.as(['LEDAMOT']);
    const { case: found } = await reader.ok<{ case: Record<string, unknown> }>(CASE, { dnr, bodyId: board.bodyId });
    expect(found).toEqual({
      dnr,
      body: { id: board.bodyId },
      documents: [
        { dnr, direction: 'INKOMMANDE', description: 'Ansökan: Hälsa för livet', secrecy: null },
        // A signed-in reader sees a secret document's description; the public sees no document at all.
        { dnr, direction: 'UTGAENDE', description: 'Beslut meddelat', secrecy: 'OSL 21:1' },
      ],
      agendaItems: [{ id: item.id, dnr }],
      motions: [{ id: onItem, dnr: null }, { id: ownDnr, dnr }],
      decisions: [{ id: takeDecision.id, paragraph: takeDecision.paragraph }],
      delegatedDecisions: [{ id: recordDelegatedDecision.id, dnr }],
    });
    expect((await reader.ok<{ case: unknown }>(CASE, { dnr })).case).toEqual(found);
    expect((await reader.ok<{ case: unknown }>(CASE, { dnr: '2099-0001' })).case).toBeNull();
    expect((await reader.request(CASE, { dnr: 'x'.repeat(51) })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await reader.request(CASE, { dnr, bodyId: '00000000-0000-4000-8000-000000000000' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await server.client.request(CASE, { dnr })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    // The archive export of the year holds the case with its documents and delegated decision, valid CITS ERMS.
    const response = await fetch(`${server.client.url.replace(/\/graphql$/, '')}/export/erms?body=${board.bodyId}&year=2018`, { headers: { authorization: `Bearer ${await server.token(['DIARIUM'])}` } });
    const xml = await response.text();
    expect(response.status).toBe(200);
    expect((await validateErms(xml)).errors).toEqual([]);
    expect(xml).toContain(`<record systemIdentifier="kansli:delegated-decision:${recordDelegatedDecision.id}" recordType="delegationsbeslut">`);
    expect(xml).toMatch(new RegExp(`<note noteType="beslut">Beslutat i § ${takeDecision.paragraph} Hälsa för livet \\(sammanträde 2018-11-15\\)</note>`));
  });
});
