import { rmSync } from 'node:fs';
import type { GraphQLTestClient, TestServer } from '@kansli/testing';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { loadAttestordning20200611, loadDelegation20180614 } from '../apps/kansli/src/cli/demo-delegation';
import { establishBoard, openQuorateMeeting, type Board } from './support/board';
import { startKansli } from './support/kansli';
import { builtAndRebuilt } from './support/rebuild';

type Errors = Array<{ message: string; extensions?: { code?: string; rule?: string } }>;

const DELEGATION = 'id matter category delegate substitute limitAmount validFrom validTo decision { id } history { action validFrom recordedAt limitAmount }';
const ORDER = `query($bodyId: ID!, $asOf: Date, $knownAt: DateTime) { delegationOrder(bodyId: $bodyId, asOf: $asOf, knownAt: $knownAt) { ${DELEGATION} } }`;
type Delegation = { id: string; matter: string; delegate: string; substitute: string | null; limitAmount: number | null; validFrom: string; validTo: string | null; decision: { id: string }; history: Array<{ action: string; validFrom: string; recordedAt: string; limitAmount: number | null }> };

async function decide(gql: GraphQLTestClient, meetingId: string, title: string, decidedAt: string): Promise<string> {
  const { takeDecision } = await gql.ok<{ takeDecision: { id: string } }>('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id } }', {
    input: { meetingId, title, clauses: ['att godkänna'], outcome: 'BIFALL', decidedAt },
  });
  return takeDecision.id;
}

async function mutate<T>(gql: GraphQLTestClient, mutation: string, input: Record<string, unknown>, selection = 'id'): Promise<T> {
  const data = await gql.ok<Record<string, T>>(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} } }`, { input });
  return data[mutation];
}

async function refusal(gql: GraphQLTestClient, mutation: string, input: Record<string, unknown>, selection = 'id'): Promise<{ code?: string; rule?: string; message: string }> {
  const result = await gql.request(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} } }`, { input });
  const error = (result.errors as Errors | undefined)?.[0];
  if (!error) throw new Error(`${mutation} was not refused: ${JSON.stringify(result.data)}`);
  return { code: error.extensions?.code, rule: error.extensions?.rule, message: error.message };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the delegation order, delegated decisions and the attest order', () => {
  let server: TestServer;
  let gql: GraphQLTestClient;
  let board: Board;
  let bertil: string; // ordförande
  let mikael: string; // ledamot
  let anders: string; // vice ordförande
  let maria: string; // förbundschef
  const meetings: Record<string, string> = {};
  const decisions: Record<string, string> = {};
  let delegationId: string;
  const delegated: Record<string, string> = {};
  let stopped = false;

  beforeAll(async () => {
    server = await startKansli();
    gql = server.admin;
    board = await establishBoard(gql);
    [bertil, , mikael] = board.members;
    anders = (await mutate<{ person: { id: string } }>(gql, 'appointMember', { bodyId: board.bodyId, personName: 'Anders Eriksson', role: 'LEDAMOT', position: 'VICE_ORDFORANDE', from: '2015-01-01' }, 'person { id }')).person.id;
    maria = (await mutate<{ id: string }>(gql, 'registerPerson', { name: 'Maria Lindgren-Tuoma' })).id;
    const role = await mutate<{ role: string; person: { id: string }; from: string; to: string | null }>(gql, 'assignRole', { bodyId: board.bodyId, role: 'Förbundschef', personId: maria, from: '2018-01-01' }, 'role person { id } from to');
    expect(role).toEqual({ role: 'Förbundschef', person: { id: maria }, from: '2018-01-01', to: null });
    for (const [name, day] of [['june', '2018-06-14'], ['september', '2018-09-20'], ['december', '2018-12-06']]) {
      meetings[name] = await openQuorateMeeting(gql, board, `${day}T09:00:00+02:00`);
      decisions[name] = await decide(gql, meetings[name], 'Delegationsordning', `${day}T10:00:00+02:00`);
      decisions[`${name} anmälan`] = await decide(gql, meetings[name], 'Anmälan av delegationsbeslut', `${day}T11:00:00+02:00`);
    }
  });
  afterAll(() => (stopped ? rmSync(server.dataDir, { recursive: true, force: true }) : server.close()));

  it('grants, amends and revokes a delegation; delegationOrder answers as of a day, across the changes, and as known at a time', async () => {
    const granted = await mutate<Delegation>(gql, 'changeDelegation', {
      bodyId: board.bodyId, action: 'GRANT', matter: 'Upphandling och avrop', category: 'UPPHANDLING', delegate: 'Förbundschef', substitute: 'VICE_ORDFORANDE',
      limitAmount: 100000, validFrom: '2018-07-01', decisionId: decisions.june,
    }, DELEGATION);
    delegationId = granted.id;
    expect(granted).toMatchObject({ delegate: 'Förbundschef', substitute: 'VICE_ORDFORANDE', limitAmount: 100000, validFrom: '2018-07-01', validTo: null, decision: { id: decisions.june } });
    const knownAtGrant = granted.history[0].recordedAt;
    await pause();

    expect(await refusal(gql, 'changeDelegation', { bodyId: board.bodyId, action: 'AMEND', delegationId, category: 'PRINCIPIELL', validFrom: '2018-10-01', decisionId: decisions.september })).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R10' });
    const amended = await mutate<Delegation>(gql, 'changeDelegation', { bodyId: board.bodyId, action: 'AMEND', delegationId, limitAmount: 200000, validFrom: '2018-10-01', decisionId: decisions.september }, DELEGATION);
    expect(amended).toMatchObject({ limitAmount: 200000, validFrom: '2018-07-01', decision: { id: decisions.september } });
    expect(amended.history.map((v) => [v.action, v.validFrom, v.limitAmount])).toEqual([['GRANT', '2018-07-01', 100000], ['AMEND', '2018-10-01', 200000]]);
    const revoked = await mutate<Delegation>(gql, 'changeDelegation', { bodyId: board.bodyId, action: 'REVOKE', delegationId, validFrom: '2019-01-01', decisionId: decisions.december }, DELEGATION);
    expect(revoked).toMatchObject({ limitAmount: 200000, validTo: '2018-12-31' });

    const order = async (asOf: string, knownAt?: string) => (await gql.ok<{ delegationOrder: Delegation[] }>(ORDER, { bodyId: board.bodyId, asOf, knownAt })).delegationOrder;
    expect(await order('2018-06-30')).toEqual([]);
    expect(await order('2018-07-15')).toMatchObject([{ id: delegationId, limitAmount: 100000, validTo: '2018-12-31', decision: { id: decisions.june } }]);
    expect(await order('2018-10-15')).toMatchObject([{ id: delegationId, limitAmount: 200000, decision: { id: decisions.september } }]);
    expect((await order('2018-10-15'))[0].history.map((v) => v.action)).toEqual(['GRANT', 'AMEND', 'REVOKE']);
    expect(await order('2019-01-15')).toEqual([]);
    // As the system knew it right after the GRANT: no AMEND yet, no REVOKE.
    const then = await order('2018-10-15', knownAtGrant);
    expect(then).toMatchObject([{ id: delegationId, limitAmount: 100000, validTo: null }]);
    expect(then[0].history.map((v) => v.action)).toEqual(['GRANT']);
    expect(await order('2018-10-15', '2018-01-01T00:00:00+01:00')).toEqual([]);

    const { decision } = await gql.ok<{ decision: { delegationChanges: Array<{ action: string; delegation: { id: string } }> } }>(
      'query($id: ID!) { decision(id: $id) { delegationChanges { action delegation { id } } } }',
      { id: decisions.december },
    );
    expect(decision.delegationChanges).toEqual([{ action: 'REVOKE', delegation: { id: delegationId } }]);
  });

  it('refuses delegation changes that cannot be made, with the code and a message saying what to do (R10 and bad input)', async () => {
    const grant = { bodyId: board.bodyId, action: 'GRANT', matter: 'Budget', category: 'BUDGET', delegate: 'Förbundschef', validFrom: '2018-07-01', decisionId: decisions.june };
    expect(await refusal(gql, 'changeDelegation', grant)).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R10', message: expect.stringMatching(/can never be delegated/) });
    expect(await refusal(gql, 'changeDelegation', { ...grant, category: 'EKONOMI', delegate: undefined })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/needs the matter, its category and the delegate/) });
    expect(await refusal(gql, 'changeDelegation', { ...grant, category: 'EKONOMI', limitAmount: -1 })).toMatchObject({ code: 'BAD_USER_INPUT' });
    const { establishBody: other } = await gql.ok<{ establishBody: { id: string } }>('mutation { establishBody(input: { name: "Annan nämnd", kind: NAMND, seats: 3 }) { id } }');
    expect(await refusal(gql, 'changeDelegation', { ...grant, bodyId: other.id, category: 'EKONOMI' })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/decision of another body/) });
    const amend = { bodyId: board.bodyId, action: 'AMEND', delegationId, limitAmount: 5, validFrom: '2019-02-01', decisionId: decisions.december };
    expect(await refusal(gql, 'changeDelegation', amend)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/revoked from 2019-01-01/) });
    expect(await refusal(gql, 'changeDelegation', { ...amend, delegationId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ code: 'NOT_FOUND' });
    const second = await mutate<{ id: string }>(gql, 'changeDelegation', { ...grant, matter: 'Personalfrågor', category: 'PERSONAL' });
    expect(await refusal(gql, 'changeDelegation', { ...amend, delegationId: second.id, validFrom: '2018-06-01' })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/before the delegation began \(2018-07-01\)/) });
  });

  it('records delegated decisions only within the delegation (R15), by the delegate or the substitute through the role they hold', async () => {
    const record = (decidedBy: string, decidedAt: string, amount: number | null, dnr?: string) =>
      ({ delegationId, decidedBy, decidedAt, title: `Avrop ${decidedAt}`, amount, dnr });
    expect(await refusal(gql, 'recordDelegatedDecision', record(mikael, '2018-08-01', 1000))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R15', message: expect.stringMatching(/neither the delegate \(Förbundschef\) nor the substitute \(VICE_ORDFORANDE\)/) });
    expect(await refusal(gql, 'recordDelegatedDecision', record(maria, '2018-08-01', 150000))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R15', message: expect.stringMatching(/limit of 100000 kr/) });
    expect(await refusal(gql, 'recordDelegatedDecision', record(maria, '2018-06-30', 1000))).toMatchObject({ rule: 'R15' });
    expect(await refusal(gql, 'recordDelegatedDecision', record(maria, '2019-02-01', 1000))).toMatchObject({ rule: 'R15', message: expect.stringMatching(/revoked from 2019-01-01/) });
    expect(await refusal(gql, 'recordDelegatedDecision', record('Förbundschef', '2018-08-01', 1000))).toMatchObject({ code: 'BAD_USER_INPUT' });

    const byDelegate = await mutate<{ id: string; decidedBy: string; delegation: { limitAmount: number } }>(gql, 'recordDelegatedDecision', record(maria, '2018-08-01', 80000, 'Dnr 31-2018'), 'id decidedBy delegation { limitAmount }');
    expect(byDelegate).toMatchObject({ decidedBy: maria, delegation: { limitAmount: 100000 } });
    const bySubstitute = await mutate<{ id: string }>(gql, 'recordDelegatedDecision', record(anders, '2018-08-20', 5000));
    const afterAmend = await mutate<{ id: string }>(gql, 'recordDelegatedDecision', record(maria, '2018-10-20', 150000));
    Object.assign(delegated, { byDelegate: byDelegate.id, bySubstitute: bySubstitute.id, afterAmend: afterAmend.id });
  });

  it('reports delegated decisions to the board, once and not before they were taken, and flags the unreported (R11)', async () => {
    const page = async (after?: string) =>
      (await gql.ok<{ delegatedDecisions: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
        'query($bodyId: ID!, $after: String) { delegatedDecisions(bodyId: $bodyId, unreportedOnly: true, first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { bodyId: board.bodyId, after },
      )).delegatedDecisions;
    const first = await page();
    expect(first.edges.map((e) => e.node.id)).toEqual([delegated.byDelegate, delegated.bySubstitute]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect((await page(first.pageInfo.endCursor)).edges.map((e) => e.node.id)).toEqual([delegated.afterAmend]);

    const report = await mutate<{ id: string; reportedDelegatedDecisions: Array<{ id: string }> }>(
      gql, 'reportDelegatedDecisions', { decisionId: decisions['september anmälan'], delegatedDecisionIds: [delegated.byDelegate] }, 'id reportedDelegatedDecisions { id }',
    );
    expect(report).toEqual({ id: decisions['september anmälan'], reportedDelegatedDecisions: [{ id: delegated.byDelegate }] });
    expect(await refusal(gql, 'reportDelegatedDecisions', { decisionId: decisions['december anmälan'], delegatedDecisionIds: [delegated.byDelegate] })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/already reported/) });
    expect(await refusal(gql, 'reportDelegatedDecisions', { decisionId: decisions['june anmälan'], delegatedDecisionIds: [delegated.bySubstitute] })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/report it at a later meeting/) });

    const findings = async () =>
      (await gql.ok<{ complianceFindings: Array<{ rule: string; subjectId: string | null; meeting: { id: string } | null; actual: string | null }> }>(
        'query($bodyId: ID!) { complianceFindings(bodyId: $bodyId) { rule subjectId meeting { id } actual } }',
        { bodyId: board.bodyId },
      )).complianceFindings.filter((finding) => finding.rule === 'R11');
    expect(await findings()).toEqual([
      { rule: 'R11', subjectId: delegated.bySubstitute, meeting: { id: meetings.september }, actual: 'not reported' },
      { rule: 'R11', subjectId: delegated.afterAmend, meeting: { id: meetings.december }, actual: 'not reported' },
    ]);

    // Reported at the first meeting 14 days or more after it: on time. Reported later: still flagged.
    await mutate(gql, 'reportDelegatedDecisions', { decisionId: decisions['december anmälan'], delegatedDecisionIds: [delegated.bySubstitute, delegated.afterAmend] });
    expect(await findings()).toEqual([{ rule: 'R11', subjectId: delegated.bySubstitute, meeting: { id: meetings.september }, actual: 'reported on 2018-12-06' }]);
    expect((await page()).edges).toEqual([]);
    const { delegatedDecisions } = await gql.ok<{ delegatedDecisions: { edges: Array<{ node: Record<string, unknown> }> } }>(
      'query($bodyId: ID!) { delegatedDecisions(bodyId: $bodyId, first: 1) { edges { node { id dnr amount reportedAt { id } reportedIn { id } } } } }',
      { bodyId: board.bodyId },
    );
    expect(delegatedDecisions.edges[0].node).toEqual({ id: delegated.byDelegate, dnr: 'Dnr 31-2018', amount: 80000, reportedAt: { id: meetings.september }, reportedIn: { id: decisions['september anmälan'] } });
  });

  it('keeps the attest order, and attests invoices only as it says (R14); the chair\'s own cost goes to the vice chair', async () => {
    const rule = { bodyId: board.bodyId, scope: 'Fakturor', validFrom: '2018-07-01', decisionId: decisions.june };
    await mutate(gql, 'changeAttestRule', { ...rule, kind: 'MOTTAGNING', attestant: 'Förbundschef' });
    await mutate(gql, 'changeAttestRule', { ...rule, kind: 'BESLUT', attestant: 'ORDFORANDE', substitute: 'VICE_ORDFORANDE' });
    await mutate(gql, 'changeAttestRule', { ...rule, kind: 'BESLUT', attestant: mikael, validFrom: '2019-01-01', decisionId: decisions.december });
    const order = async (asOf: string) =>
      (await gql.ok<{ attestOrder: Array<Record<string, unknown>> }>(
        'query($bodyId: ID!, $asOf: Date) { attestOrder(bodyId: $bodyId, asOf: $asOf) { scope kind attestant substitute validFrom validTo decision { id } } }',
        { bodyId: board.bodyId, asOf },
      )).attestOrder;
    expect(await order('2018-06-30')).toEqual([]);
    expect(await order('2018-08-01')).toEqual([
      { scope: 'Fakturor', kind: 'MOTTAGNING', attestant: 'Förbundschef', substitute: null, validFrom: '2018-07-01', validTo: null, decision: { id: decisions.june } },
      { scope: 'Fakturor', kind: 'BESLUT', attestant: 'ORDFORANDE', substitute: 'VICE_ORDFORANDE', validFrom: '2018-07-01', validTo: '2018-12-31', decision: { id: decisions.june } },
    ]);
    expect((await order('2019-01-01')).map((r) => r.attestant)).toEqual(['Förbundschef', mikael]);

    const attest = (invoiceRef: string, kind: string, attestedBy: string, extra: Record<string, unknown> = {}) =>
      ({ bodyId: board.bodyId, invoiceRef, amount: 4200, kind, attestedBy, at: '2018-08-15', ...extra });
    expect(await mutate(gql, 'attestInvoice', attest('F-1', 'MOTTAGNING', maria), 'invoiceRef amount kind scope attestedBy incurredBy at')).toEqual({
      invoiceRef: 'F-1', amount: 4200, kind: 'MOTTAGNING', scope: 'Fakturor', attestedBy: maria, incurredBy: null, at: '2018-08-15',
    });
    expect(await refusal(gql, 'attestInvoice', attest('F-1', 'BESLUT', maria))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R14', message: expect.stringMatching(/given by someone else/) });
    expect(await refusal(gql, 'attestInvoice', attest('F-1', 'BESLUT', mikael))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R14', message: expect.stringMatching(/may not give a beslutsattest/) });
    await mutate(gql, 'attestInvoice', attest('F-1', 'BESLUT', bertil));
    expect(await refusal(gql, 'attestInvoice', attest('F-1', 'BESLUT', anders))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already has its beslutsattest/) });

    await mutate(gql, 'attestInvoice', attest('F-2', 'MOTTAGNING', maria, { incurredBy: bertil, scope: 'Fakturor' }));
    expect(await refusal(gql, 'attestInvoice', attest('F-2', 'BESLUT', bertil))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R14', message: expect.stringMatching(/incurred this cost/) });
    expect(await mutate(gql, 'attestInvoice', attest('F-2', 'BESLUT', anders), 'attestedBy incurredBy')).toEqual({ attestedBy: anders, incurredBy: bertil });

    expect(await refusal(gql, 'attestInvoice', attest('F-3', 'MOTTAGNING', maria, { scope: 'Resor' }))).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/unknown kind of invoice.*"Fakturor"/) });
    expect(await refusal(gql, 'attestInvoice', attest('F-3', 'MOTTAGNING', maria, { amount: 0 }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await refusal(gql, 'attestInvoice', attest('F-3', 'MOTTAGNING', maria, { at: '2018-06-30' }))).toMatchObject({ code: 'RULE_VIOLATION', rule: 'R14' });
  });

  it('assigns a role, sets its end when assigned again from the same day, and refuses one that ends before it begins, is a board position or names an unknown person', async () => {
    const assign = { bodyId: board.bodyId, role: 'Ekonom', personId: maria, from: '2019-01-01' };
    expect(await refusal(gql, 'assignRole', { ...assign, to: '2018-12-31' })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/cannot end/) });
    expect(await refusal(gql, 'assignRole', { ...assign, role: 'ORDFORANDE' })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/board position/) });
    expect(await refusal(gql, 'assignRole', { ...assign, personId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ code: 'NOT_FOUND' });
    // Assigned again from the same day: the same assignment, now with an end.
    const first = await mutate<{ id: string; to: string | null }>(gql, 'assignRole', assign, 'id to');
    expect(await mutate(gql, 'assignRole', { ...assign, to: '2019-12-31' }, 'id to')).toEqual({ id: first.id, to: '2019-12-31' });
    expect(await refusal(gql, 'assignRole', { ...assign, from: '2019-06-01' })).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/already holds Ekonom from 2019-01-01 to 2019-12-31/) });
  });

  it('shows every new event in the auditors\' timeline by entity, body, person and dnr', async () => {
    const types = async (filter: Record<string, unknown>) =>
      (await gql.ok<{ timeline: { edges: Array<{ node: { type: string } }> } }>(
        'query($filter: TimelineFilter) { timeline(filter: $filter, first: 500) { edges { node { type } } } }',
        { filter: { ...filter, types: ['DelegationChanged', 'DelegatedDecisionRecorded', 'DelegatedDecisionsReported', 'AttestRuleChanged', 'InvoiceAttested', 'RoleAssigned'] } },
      )).timeline.edges.map((e) => e.node.type);
    expect(await types({ entityId: delegationId })).toEqual(['DelegationChanged', 'DelegationChanged', 'DelegationChanged', 'DelegatedDecisionRecorded', 'DelegatedDecisionRecorded', 'DelegatedDecisionRecorded']);
    expect(new Set(await types({ bodyId: board.bodyId }))).toEqual(new Set(['DelegationChanged', 'DelegatedDecisionRecorded', 'DelegatedDecisionsReported', 'AttestRuleChanged', 'InvoiceAttested', 'RoleAssigned']));
    // Förbundschef; two delegated decisions; two mottagningsattester; Ekonom, and its end.
    expect(await types({ personId: maria })).toEqual(['RoleAssigned', 'DelegatedDecisionRecorded', 'DelegatedDecisionRecorded', 'InvoiceAttested', 'InvoiceAttested', 'RoleAssigned', 'RoleAssigned']);
    // F-1's beslutsattest, and F-2's two attests of his own cost.
    expect(await types({ personId: bertil })).toEqual(['InvoiceAttested', 'InvoiceAttested', 'InvoiceAttested']);
    expect(await types({ personId: mikael })).toEqual(['AttestRuleChanged']);
    expect(await types({ dnr: 'Dnr 31-2018' })).toEqual(['DelegatedDecisionRecorded']);
    expect(await types({ entityId: delegated.bySubstitute })).toEqual(['DelegatedDecisionRecorded', 'DelegatedDecisionsReported']);
    expect(await types({ entityId: decisions['december anmälan'] })).toEqual(['DelegatedDecisionsReported']);
  });

  it('gives the same rows when the read models are rebuilt from the log (versions, record times, reports, role ends)', async () => {
    await server.app.close();
    stopped = true;
    const { built, rebuilt } = await builtAndRebuilt(server.dataDir);
    expect(built.rm_delegation_versions.rows.length).toBeGreaterThan(3);
    expect(rebuilt).toEqual(built);
  });
});

describe('the demo\'s delegation and attest order: 2018-06-14 § 34 and the attestordning of 2020-06-11', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startKansli();
  });
  afterAll(() => server.close());

  it('loads the förbundschef\'s mottagningskontroll with Kenneth Andersson as substitute, then the 2020 attest order that replaces it', async () => {
    const gql = server.admin;
    const send = <T>(query: string, variables?: Record<string, unknown>) => gql.ok<T>(query, variables);
    const { bodyId, meetingId } = await loadMeeting20180614(send);
    const { meeting } = await gql.ok<{ meeting: { decisions: Array<{ id: string; paragraph: number }> } }>('query($id: ID!) { meeting(id: $id) { decisions { id paragraph } } }', { id: meetingId });
    const paragraph34 = meeting.decisions.find((d) => d.paragraph === 34)!.id;
    const loaded = await loadDelegation20180614(send, { bodyId, decisionId: paragraph34 });

    const { delegationOrder } = await gql.ok<{ delegationOrder: Array<Record<string, unknown>> }>(
      'query($bodyId: ID!) { delegationOrder(bodyId: $bodyId, asOf: "2019-01-01") { id category delegate substitute validFrom decision { paragraph } } }',
      { bodyId },
    );
    expect(delegationOrder).toEqual([{ id: loaded.delegationId, category: 'ATTEST', delegate: 'Förbundschef', substitute: loaded.kennethId, validFrom: '2018-06-14', decision: { paragraph: 34 } }]);

    // The 2020-06-11 meeting that approved the attestordning (its minutes are not among the fixtures).
    const { body } = await gql.ok<{ body: { members: Array<{ person: { id: string; name: string }; role: string }> } }>('query($id: ID!) { body(id: $id) { members(asOf: "2020-06-11") { role person { id name } } } }', { id: bodyId });
    const ledamoter = body.members.filter((m) => m.role === 'LEDAMOT').map((m) => m.person.id);
    const meeting2020 = await openQuorateMeeting(gql, { bodyId, members: ledamoter }, '2020-06-11T09:00:00+02:00');
    const attestordning = await decide(gql, meeting2020, 'Attestordning (bilaga 4)', '2020-06-11T10:00:00+02:00');
    await loadAttestordning20200611(send, { bodyId, decisionId: attestordning });

    const order = async (asOf: string) =>
      (await gql.ok<{ attestOrder: Array<Record<string, unknown>> }>('query($bodyId: ID!, $asOf: Date) { attestOrder(bodyId: $bodyId, asOf: $asOf) { scope kind attestant substitute validFrom } }', { bodyId, asOf })).attestOrder;
    expect(await order('2019-06-01')).toEqual([{ scope: 'Fakturor', kind: 'MOTTAGNING', attestant: 'Förbundschef', substitute: loaded.kennethId, validFrom: '2018-06-14' }]);
    expect(await order('2020-06-11')).toEqual([
      { scope: 'Fakturor', kind: 'MOTTAGNING', attestant: 'Förbundschef', substitute: null, validFrom: '2020-06-11' },
      { scope: 'Fakturor', kind: 'BESLUT', attestant: 'ORDFORANDE', substitute: 'VICE_ORDFORANDE', validFrom: '2020-06-11' },
    ]);

    // The chair's own travel: received by the förbundschef, approved by the vice chair.
    const chair = body.members.find((m) => m.person.name === 'Bertil Almgren')!.person.id;
    const vice = body.members.find((m) => m.person.name === 'Anders Eriksson')!.person.id;
    const invoice = { bodyId, invoiceRef: 'Resa 2020-06', amount: 1850, incurredBy: chair, at: '2020-06-20' };
    await mutate(gql, 'attestInvoice', { ...invoice, kind: 'MOTTAGNING', attestedBy: loaded.forbundschefId });
    expect(await refusal(gql, 'attestInvoice', { ...invoice, kind: 'BESLUT', attestedBy: chair })).toMatchObject({ rule: 'R14' });
    expect(await mutate(gql, 'attestInvoice', { ...invoice, kind: 'BESLUT', attestedBy: vice }, 'attestedBy')).toEqual({ attestedBy: vice });
  });
});
