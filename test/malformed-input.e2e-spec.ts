import { startTestServer, type GraphQLTestClient, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { loadConfig } from '../apps/kansli/src/config';
import { establishBoard, openQuorateMeeting } from './support/board';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const LONG = 'å'.repeat(5000);

const MUTATIONS: Record<string, string> = {
  establishBody: 'establishBody(input: $input) { id }',
  registerPerson: 'registerPerson(input: $input) { id }',
  appointMember: 'appointMember(input: $input) { id }',
  endMembership: 'endMembership(input: $input) { id }',
  scheduleMeeting: 'scheduleMeeting(input: $input) { id }',
  addAgendaItem: 'addAgendaItem(input: $input) { id }',
  cancelMeeting: 'cancelMeeting(input: $input) { id }',
  rescheduleMeeting: 'rescheduleMeeting(input: $input) { id }',
  openMeeting: 'openMeeting(input: $input) { id }',
  recordAttendance: 'recordAttendance(input: $input) { id }',
  appointJusterare: 'appointJusterare(input: $input) { id }',
  declareJav: 'declareJav(input: $input) { id }',
  closeMeeting: 'closeMeeting(input: $input) { id }',
  raiseMotion: 'raiseMotion(input: $input) { id }',
  takeDecision: 'takeDecision(input: $input) { id }',
  justeraProtocol: 'justeraProtocol(input: $input) { status }',
  postAnslag: 'postAnslag(input: $input) { status }',
  correctProtocol: 'correctProtocol(input: $input) { status }',
  changeDelegation: 'changeDelegation(input: $input) { id }',
  recordDelegatedDecision: 'recordDelegatedDecision(input: $input) { id }',
  reportDelegatedDecisions: 'reportDelegatedDecisions(input: $input) { id }',
  changeAttestRule: 'changeAttestRule(input: $input) { id }',
  attestInvoice: 'attestInvoice(input: $input) { id }',
  assignRole: 'assignRole(input: $input) { id }',
  adoptBudget: 'adoptBudget(input: $input) { id }',
  reviseBudget: 'reviseBudget(input: $input) { id }',
  recordBudgetOutcome: 'recordBudgetOutcome(input: $input) { id }',
  registerDocument: 'registerDocument(input: $input) { id }',
  createWebhook: 'createWebhook(input: $input) { secret }',
  deleteWebhook: 'deleteWebhook(input: $input) { id }',
  redeliver: 'redeliver(input: $input) { id }',
};
/** The diarium's own mutations, sent with a DIARIUM token. */
const DIARIUM_MUTATIONS = new Set(['createWebhook', 'deleteWebhook', 'redeliver']);
const inputType = (mutation: string) => `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`;

async function eventCount(gql: GraphQLTestClient): Promise<number> {
  let count = 0;
  let after: string | null = null;
  for (;;) {
    const page: { timeline: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await gql.ok(
      'query($after: String) { timeline(first: 500, after: $after) { edges { cursor } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    count += page.timeline.edges.length;
    if (!page.timeline.pageInfo.hasNextPage) return count;
    after = page.timeline.pageInfo.endCursor;
  }
}

describe('malformed input to every mutation', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }))] }));
  });
  afterAll(() => server.close());

  it('gets BAD_USER_INPUT, NOT_FOUND or RULE_VIOLATION with a message, never INTERNAL_SERVER_ERROR, and writes nothing', async () => {
    const gql = server.admin;
    const board = await establishBoard(gql);
    const [chair, member, third] = board.members;
    const meetingId = await openQuorateMeeting(gql, board);
    const { raiseMotion } = await gql.ok<{ raiseMotion: { id: string } }>('mutation { raiseMotion(input: { meetingId: "' + meetingId + '", title: "Ansökan", proposedBy: "Förbundschefen", clauses: ["att bevilja"] }) { id } }');
    const { registerPerson: outsider } = await gql.ok<{ registerPerson: { id: string } }>('mutation { registerPerson(input: { name: "Gäst Gästsson" }) { id } }');
    const { scheduleMeeting: unopened } = await gql.ok<{ scheduleMeeting: { id: string } }>(
      `mutation { scheduleMeeting(input: { bodyId: "${board.bodyId}", start: "2018-09-28T09:00:00+02:00" }) { id } }`,
    );
    const membershipId = (await gql.ok<{ body: { members: Array<{ id: string }> } }>(`{ body(id: "${board.bodyId}") { members { id } } }`)).body.members[0].id;
    const { takeDecision: paragraph } = await gql.ok<{ takeDecision: { id: string } }>(
      `mutation { takeDecision(input: { meetingId: "${meetingId}", title: "Delegationsordning", clauses: [], outcome: BIFALL, decidedAt: "2018-06-14T10:00:00+02:00" }) { id } }`,
    );
    const { establishBody: otherBody } = await gql.ok<{ establishBody: { id: string } }>('mutation { establishBody(input: { name: "Annan nämnd", kind: NAMND, seats: 3 }) { id } }');
    const grant = { bodyId: board.bodyId, action: 'GRANT', matter: 'Upphandling', category: 'UPPHANDLING', delegate: 'Förbundschef', validFrom: '2018-07-01', decisionId: paragraph.id };
    const { changeDelegation: delegation } = await gql.ok<{ changeDelegation: { id: string } }>('mutation($input: ChangeDelegationInput!) { changeDelegation(input: $input) { id } }', { input: grant });
    const correction = { meetingId, paragraph: 1, field: 'title', from: 'Delegationsordning', to: 'Delegationsordningen', reason: 'Stavning', correctedAt: '2018-09-20' };
    const attest = { bodyId: board.bodyId, invoiceRef: 'F-1', amount: 100, kind: 'MOTTAGNING', attestedBy: member, at: '2018-08-01' };
    const budgetLines = [{ code: 'KANSLI', name: 'Kansli', amount: 1_131_000 }];
    const adoptBudget = async (bodyId: string) =>
      (await gql.ok<{ adoptBudget: { id: string } }>('mutation($input: AdoptBudgetInput!) { adoptBudget(input: $input) { id } }', {
        input: { bodyId, year: 2018, lines: budgetLines, adoptedAt: '2018-01-10T10:00:00+01:00' },
      })).adoptBudget;
    const budget = await adoptBudget(board.bodyId);
    const otherBudget = await adoptBudget(otherBody.id);
    const revision = { budgetId: budget.id, changes: [{ code: 'KANSLI', amount: 1_000_000 }], reason: 'Reviderad budget', decisionId: paragraph.id, revisedAt: '2018-06-14T12:00:00+02:00' };
    const outcome = { budgetId: budget.id, asOf: '2018-12-31', source: 'Årsredovisning 2018', lines: [{ code: 'KANSLI', amount: 900_000 }] };
    const document = { bodyId: board.bodyId, date: '2018-06-14', direction: 'INKOMMANDE', counterpart: 'Skellefteå kommun', description: 'Ansökan' };
    const webhook = { url: 'http://127.0.0.1/hook', eventTypes: ['DocumentRegistered'] };
    const diarium = await server.as(['DIARIUM'], { sub: 'malformed-diarium' });

    const cases: Array<[string, string, Record<string, unknown>, 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RULE_VIOLATION']> = [
      ['establishBody', 'an empty name', { name: '', kind: 'STYRELSE', seats: 5 }, 'BAD_USER_INPUT'],
      ['establishBody', 'an oversized name', { name: LONG, kind: 'STYRELSE', seats: 5 }, 'BAD_USER_INPUT'],
      ['establishBody', 'a negative number of seats', { name: 'N', kind: 'STYRELSE', seats: -1 }, 'BAD_USER_INPUT'],
      ['establishBody', 'a missing field', { name: 'N', kind: 'STYRELSE' }, 'BAD_USER_INPUT'],
      ['registerPerson', 'an empty name', { name: '' }, 'BAD_USER_INPUT'],
      ['registerPerson', 'an oversized name', { name: LONG }, 'BAD_USER_INPUT'],
      ['appointMember', 'an unknown body', { bodyId: UNKNOWN, personName: 'A', role: 'LEDAMOT', from: '2018-01-01' }, 'NOT_FOUND'],
      ['appointMember', 'a date that does not exist', { bodyId: board.bodyId, personName: 'A', role: 'LEDAMOT', from: '2018-13-01' }, 'BAD_USER_INPUT'],
      ['appointMember', 'a person already sitting (duplicate)', { bodyId: board.bodyId, personId: chair, role: 'ERSATTARE', from: '2018-01-01' }, 'BAD_USER_INPUT'],
      ['appointMember', 'a malformed id', { bodyId: 'nope', personName: 'A', role: 'LEDAMOT', from: '2018-01-01' }, 'BAD_USER_INPUT'],
      ['endMembership', 'an unknown membership', { membershipId: UNKNOWN, to: '2018-12-31' }, 'NOT_FOUND'],
      ['endMembership', 'an end before the start', { membershipId, to: '2001-01-01' }, 'BAD_USER_INPUT'],
      ['scheduleMeeting', 'an unknown body', { bodyId: UNKNOWN, start: '2018-06-14T09:00:00+02:00' }, 'NOT_FOUND'],
      ['scheduleMeeting', 'a start without offset', { bodyId: board.bodyId, start: '2018-06-14 09:00' }, 'BAD_USER_INPUT'],
      ['scheduleMeeting', 'an end before the start', { bodyId: board.bodyId, start: '2018-06-14T09:00:00+02:00', end: '2018-06-14T08:00:00+02:00' }, 'BAD_USER_INPUT'],
      ['scheduleMeeting', 'an empty agenda title', { bodyId: board.bodyId, start: '2018-06-14T09:00:00+02:00', agenda: [{ title: '' }] }, 'BAD_USER_INPUT'],
      ['addAgendaItem', 'an unknown meeting', { meetingId: UNKNOWN, title: 'Tillägg' }, 'NOT_FOUND'],
      ['addAgendaItem', 'an oversized title', { meetingId, title: LONG }, 'BAD_USER_INPUT'],
      ['cancelMeeting', 'an unknown meeting', { meetingId: UNKNOWN, at: '2018-09-20T10:00:00+02:00', reason: 'Inga ärenden' }, 'NOT_FOUND'],
      ['cancelMeeting', 'a meeting already opened', { meetingId, at: '2018-06-14T10:00:00+02:00', reason: 'Inga ärenden' }, 'BAD_USER_INPUT'],
      ['cancelMeeting', 'an empty reason', { meetingId: unopened.id, at: '2018-09-20T10:00:00+02:00', reason: '' }, 'BAD_USER_INPUT'],
      ['cancelMeeting', 'a blank reason', { meetingId: unopened.id, at: '2018-09-20T10:00:00+02:00', reason: '   ' }, 'BAD_USER_INPUT'],
      ['cancelMeeting', 'a time without offset', { meetingId: unopened.id, at: '2018-09-20 10:00', reason: 'Inga ärenden' }, 'BAD_USER_INPUT'],
      ['rescheduleMeeting', 'an unknown meeting', { meetingId: UNKNOWN, start: '2018-10-04T09:00:00+02:00', reason: 'Förhinder' }, 'NOT_FOUND'],
      ['rescheduleMeeting', 'a meeting already opened', { meetingId, start: '2018-06-21T09:00:00+02:00', reason: 'Förhinder' }, 'BAD_USER_INPUT'],
      ['rescheduleMeeting', 'an end before the start', { meetingId: unopened.id, start: '2018-10-04T09:00:00+02:00', end: '2018-10-04T08:00:00+02:00', reason: 'Förhinder' }, 'BAD_USER_INPUT'],
      ['rescheduleMeeting', 'the time and place it already has', { meetingId: unopened.id, start: '2018-09-28T09:00:00+02:00', reason: 'Förhinder' }, 'BAD_USER_INPUT'],
      ['rescheduleMeeting', 'an oversized place', { meetingId: unopened.id, start: '2018-10-04T09:00:00+02:00', place: LONG, reason: 'Förhinder' }, 'BAD_USER_INPUT'],
      ['openMeeting', 'an already open meeting', { meetingId, at: '2018-06-14T09:00:00+02:00' }, 'BAD_USER_INPUT'],
      ['openMeeting', 'paragraph zero', { meetingId: unopened.id, at: '2018-09-28T09:00:00+02:00', firstParagraph: 0 }, 'BAD_USER_INPUT'],
      ['recordAttendance', 'an unknown person', { meetingId, personId: UNKNOWN, role: 'BESLUTANDE' }, 'NOT_FOUND'],
      ['recordAttendance', 'a non-member as beslutande', { meetingId, personId: outsider.id, role: 'BESLUTANDE' }, 'RULE_VIOLATION'],
      ['recordAttendance', 'a person already present (duplicate)', { meetingId, personId: member, role: 'BESLUTANDE' }, 'BAD_USER_INPUT'],
      ['recordAttendance', 'paragraph bounds reversed', { meetingId, personId: outsider.id, role: 'OVRIG', fromParagraph: 9, toParagraph: 3 }, 'BAD_USER_INPUT'],
      ['recordAttendance', 'a meeting not yet opened', { meetingId: unopened.id, personId: outsider.id, role: 'OVRIG' }, 'BAD_USER_INPUT'],
      ['appointJusterare', 'the same person twice', { meetingId, personIds: [member, member] }, 'BAD_USER_INPUT'],
      ['appointJusterare', 'nobody', { meetingId, personIds: [] }, 'BAD_USER_INPUT'],
      ['appointJusterare', 'an unknown person', { meetingId, personIds: [UNKNOWN] }, 'NOT_FOUND'],
      ['declareJav', 'an unknown motion', { meetingId, personId: member, motionId: UNKNOWN }, 'NOT_FOUND'],
      ['declareJav', 'an unknown person', { meetingId, personId: UNKNOWN, motionId: raiseMotion.id }, 'NOT_FOUND'],
      ['closeMeeting', 'a close before the opening', { meetingId, at: '2018-06-13T09:00:00+02:00' }, 'BAD_USER_INPUT'],
      ['closeMeeting', 'a meeting not yet opened', { meetingId: unopened.id, at: '2018-09-28T15:00:00+02:00' }, 'BAD_USER_INPUT'],
      ['raiseMotion', 'an empty title', { meetingId, title: '', proposedBy: 'X', clauses: [] }, 'BAD_USER_INPUT'],
      ['raiseMotion', 'an oversized att-clause', { meetingId, title: 'T', proposedBy: 'X', clauses: [LONG] }, 'BAD_USER_INPUT'],
      ['raiseMotion', 'an unknown agenda item', { meetingId, agendaItemId: UNKNOWN, title: 'T', proposedBy: 'X', clauses: [] }, 'NOT_FOUND'],
      ['takeDecision', 'a ballot by someone not serving', { meetingId, title: 'T', clauses: [], outcome: 'BIFALL', votes: [{ personId: outsider.id, ballot: 'JA' }] }, 'RULE_VIOLATION'],
      ['takeDecision', 'two ballots by one member', { meetingId, title: 'T', clauses: [], outcome: 'BIFALL', votes: [{ personId: third, ballot: 'JA' }, { personId: third, ballot: 'NEJ' }] }, 'BAD_USER_INPUT'],
      ['takeDecision', 'an unknown motion', { meetingId, motionIds: [UNKNOWN], clauses: [], outcome: 'BIFALL' }, 'NOT_FOUND'],
      ['takeDecision', 'no title for several motions', { meetingId, clauses: [], outcome: 'BIFALL' }, 'BAD_USER_INPUT'],
      ['takeDecision', 'an unknown outcome', { meetingId, title: 'T', clauses: [], outcome: 'KANSKE' }, 'BAD_USER_INPUT'],
      ['takeDecision', 'a decision before the meeting opened', { meetingId, title: 'T', clauses: [], outcome: 'BIFALL', decidedAt: '2018-06-13T09:00:00+02:00' }, 'BAD_USER_INPUT'],
      ['justeraProtocol', 'a justering before the meeting', { meetingId, justeradAt: '2018-06-01', signatoryIds: [chair] }, 'BAD_USER_INPUT'],
      ['justeraProtocol', 'no justerare appointed', { meetingId, justeradAt: '2018-06-20', signatoryIds: [chair] }, 'RULE_VIOLATION'],
      ['justeraProtocol', 'an impossible date', { meetingId, justeradAt: '2018-06-31', signatoryIds: [chair] }, 'BAD_USER_INPUT'],
      ['postAnslag', 'an anslag before justering', { meetingId, postedAt: '2018-06-20', removeAfter: '2018-07-20', storageLocation: 'Stadshuset' }, 'RULE_VIOLATION'],
      ['postAnslag', 'an empty storage location', { meetingId, postedAt: '2018-06-20', removeAfter: '2018-07-20', storageLocation: '' }, 'BAD_USER_INPUT'],
      ['postAnslag', 'an unknown meeting', { meetingId: UNKNOWN, postedAt: '2018-06-20', removeAfter: '2018-07-20', storageLocation: 'Stadshuset' }, 'NOT_FOUND'],
      ['correctProtocol', 'an unknown meeting', { ...correction, meetingId: UNKNOWN }, 'NOT_FOUND'],
      ['correctProtocol', 'a field of substance (the outcome)', { ...correction, field: 'outcome', from: 'BIFALL', to: 'AVSLAG' }, 'RULE_VIOLATION'],
      ['correctProtocol', 'a field the minutes do not have', { ...correction, field: 'colour' }, 'BAD_USER_INPUT'],
      ['correctProtocol', 'minutes not yet justerade', correction, 'BAD_USER_INPUT'],
      ['correctProtocol', 'an unknown correcting decision', { ...correction, decisionId: UNKNOWN }, 'NOT_FOUND'],
      ['correctProtocol', 'an unknown signatory', { ...correction, signatoryIds: [UNKNOWN] }, 'NOT_FOUND'],
      ['correctProtocol', 'paragraph zero', { ...correction, paragraph: 0 }, 'BAD_USER_INPUT'],
      ['correctProtocol', 'an empty reason', { ...correction, reason: '' }, 'BAD_USER_INPUT'],
      ['correctProtocol', 'a date that does not exist', { ...correction, correctedAt: '2018-09-31' }, 'BAD_USER_INPUT'],
      ['changeDelegation', 'an unknown body', { ...grant, bodyId: UNKNOWN }, 'NOT_FOUND'],
      ['changeDelegation', 'a category that can never be delegated', { ...grant, category: 'BUDGET' }, 'RULE_VIOLATION'],
      ['changeDelegation', 'a GRANT without a delegate', { ...grant, delegate: undefined }, 'BAD_USER_INPUT'],
      ['changeDelegation', 'a negative limit', { ...grant, limitAmount: -1 }, 'BAD_USER_INPUT'],
      ['changeDelegation', 'a decision of another body', { ...grant, bodyId: otherBody.id }, 'BAD_USER_INPUT'],
      ['changeDelegation', 'an AMEND of an unknown delegation', { ...grant, action: 'AMEND', delegationId: UNKNOWN }, 'NOT_FOUND'],
      ['changeDelegation', 'an AMEND before the delegation began', { ...grant, action: 'AMEND', delegationId: delegation.id, validFrom: '2018-06-01' }, 'BAD_USER_INPUT'],
      ['changeDelegation', 'a date that does not exist', { ...grant, validFrom: '2018-02-30' }, 'BAD_USER_INPUT'],
      ['recordDelegatedDecision', 'an unknown delegation', { delegationId: UNKNOWN, decidedBy: member, decidedAt: '2018-08-01', title: 'Avrop' }, 'NOT_FOUND'],
      ['recordDelegatedDecision', 'a role name as decidedBy', { delegationId: delegation.id, decidedBy: 'Förbundschef', decidedAt: '2018-08-01', title: 'Avrop' }, 'BAD_USER_INPUT'],
      ['recordDelegatedDecision', 'a negative amount', { delegationId: delegation.id, decidedBy: member, decidedAt: '2018-08-01', title: 'Avrop', amount: -5 }, 'BAD_USER_INPUT'],
      ['recordDelegatedDecision', 'someone who is not the delegate', { delegationId: delegation.id, decidedBy: member, decidedAt: '2018-08-01', title: 'Avrop' }, 'RULE_VIOLATION'],
      ['reportDelegatedDecisions', 'no delegated decisions', { decisionId: paragraph.id, delegatedDecisionIds: [] }, 'BAD_USER_INPUT'],
      ['reportDelegatedDecisions', 'an unknown delegated decision', { decisionId: paragraph.id, delegatedDecisionIds: [UNKNOWN] }, 'NOT_FOUND'],
      ['reportDelegatedDecisions', 'an unknown decision', { decisionId: UNKNOWN, delegatedDecisionIds: [UNKNOWN] }, 'NOT_FOUND'],
      ['changeAttestRule', 'an empty scope', { bodyId: board.bodyId, scope: '', kind: 'BESLUT', attestant: 'ORDFORANDE', validFrom: '2018-07-01', decisionId: paragraph.id }, 'BAD_USER_INPUT'],
      ['changeAttestRule', 'an unknown decision', { bodyId: board.bodyId, scope: 'Fakturor', kind: 'BESLUT', attestant: 'ORDFORANDE', validFrom: '2018-07-01', decisionId: UNKNOWN }, 'NOT_FOUND'],
      ['changeAttestRule', 'an unknown person as attestant', { bodyId: board.bodyId, scope: 'Fakturor', kind: 'BESLUT', attestant: UNKNOWN, validFrom: '2018-07-01', decisionId: paragraph.id }, 'NOT_FOUND'],
      ['attestInvoice', 'an amount of zero', { ...attest, amount: 0 }, 'BAD_USER_INPUT'],
      ['attestInvoice', 'an unknown person', { ...attest, attestedBy: UNKNOWN }, 'NOT_FOUND'],
      ['attestInvoice', 'an unknown kind of invoice', { ...attest, scope: 'Resor' }, 'BAD_USER_INPUT'],
      ['attestInvoice', 'an attestant without a rule', attest, 'RULE_VIOLATION'],
      ['assignRole', 'an end before the start', { bodyId: board.bodyId, role: 'Förbundschef', personId: outsider.id, from: '2018-06-14', to: '2018-01-01' }, 'BAD_USER_INPUT'],
      ['assignRole', 'a board position', { bodyId: board.bodyId, role: 'ORDFORANDE', personId: outsider.id, from: '2018-06-14' }, 'BAD_USER_INPUT'],
      ['assignRole', 'an unknown person', { bodyId: board.bodyId, role: 'Förbundschef', personId: UNKNOWN, from: '2018-06-14' }, 'NOT_FOUND'],
      ['assignRole', 'an unknown body', { bodyId: UNKNOWN, role: 'Förbundschef', personId: outsider.id, from: '2018-06-14' }, 'NOT_FOUND'],
      ['adoptBudget', 'a second budget for the body and year', { bodyId: board.bodyId, year: 2018, lines: budgetLines }, 'BAD_USER_INPUT'],
      ['adoptBudget', 'an unknown body', { bodyId: UNKNOWN, year: 2019, lines: budgetLines }, 'NOT_FOUND'],
      ['adoptBudget', 'a negative amount', { bodyId: board.bodyId, year: 2019, lines: [{ code: 'K', name: 'Kansli', amount: -1 }] }, 'BAD_USER_INPUT'],
      ['adoptBudget', 'one code twice', { bodyId: board.bodyId, year: 2019, lines: [...budgetLines, ...budgetLines] }, 'BAD_USER_INPUT'],
      ['adoptBudget', 'a year out of range', { bodyId: board.bodyId, year: 20190, lines: budgetLines }, 'BAD_USER_INPUT'],
      ['adoptBudget', 'an unknown kind of line', { bodyId: board.bodyId, year: 2019, lines: [{ code: 'K', name: 'Kansli', amount: 1, kind: 'SKATT' }] }, 'BAD_USER_INPUT'],
      ['adoptBudget', 'an oversized line name', { bodyId: board.bodyId, year: 2019, lines: [{ code: 'K', name: LONG, amount: 1 }] }, 'BAD_USER_INPUT'],
      ['adoptBudget', 'a decision of another body', { bodyId: otherBody.id, year: 2019, lines: budgetLines, decisionId: paragraph.id }, 'BAD_USER_INPUT'],
      ['reviseBudget', 'an unknown line without a name', { ...revision, changes: [{ code: 'NY', amount: 1 }] }, 'BAD_USER_INPUT'],
      ['reviseBudget', 'a decision of another body', { ...revision, budgetId: otherBudget.id }, 'BAD_USER_INPUT'],
      ['reviseBudget', 'an unknown decision', { ...revision, decisionId: UNKNOWN }, 'NOT_FOUND'],
      ['reviseBudget', 'an unknown budget', { ...revision, budgetId: UNKNOWN }, 'NOT_FOUND'],
      ['reviseBudget', 'a blank reason', { ...revision, reason: '   ' }, 'BAD_USER_INPUT'],
      ['reviseBudget', 'a negative amount', { ...revision, changes: [{ code: 'KANSLI', amount: -5 }] }, 'BAD_USER_INPUT'],
      ['reviseBudget', 'a date before the adoption and the decision', { ...revision, revisedAt: '2018-01-05T10:00:00+01:00' }, 'BAD_USER_INPUT'],
      ['reviseBudget', 'no changes', { ...revision, changes: [] }, 'BAD_USER_INPUT'],
      ['recordBudgetOutcome', 'a line the budget does not have', { ...outcome, lines: [{ code: 'NY', amount: 1 }] }, 'BAD_USER_INPUT'],
      ['recordBudgetOutcome', 'a date that does not exist', { ...outcome, asOf: '2018-02-30' }, 'BAD_USER_INPUT'],
      ['recordBudgetOutcome', 'an empty source', { ...outcome, source: '' }, 'BAD_USER_INPUT'],
      ['recordBudgetOutcome', 'an unknown budget', { ...outcome, budgetId: UNKNOWN }, 'NOT_FOUND'],
      ['registerDocument', 'a date in the future', { ...document, date: '2999-01-01' }, 'BAD_USER_INPUT'],
      ['registerDocument', 'a date that does not exist', { ...document, date: '2018-02-30' }, 'BAD_USER_INPUT'],
      ['registerDocument', 'a dnr over 50 characters', { ...document, dnr: 'Dnr '.repeat(13) }, 'BAD_USER_INPUT'],
      ['registerDocument', 'an oversized description', { ...document, description: LONG }, 'BAD_USER_INPUT'],
      ['registerDocument', 'an incoming document without its sender (R12)', { ...document, counterpart: undefined }, 'RULE_VIOLATION'],
      ['registerDocument', 'secrecy that is no OSL reference', { ...document, secrecy: 'hemligt' }, 'BAD_USER_INPUT'],
      ['registerDocument', 'an unknown body', { ...document, bodyId: UNKNOWN }, 'NOT_FOUND'],
      ['createWebhook', 'a URL that is not http(s)', { ...webhook, url: 'ftp://diariet.kommun.se/hook' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'something that is not a URL', { ...webhook, url: 'diariet' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'a URL over 2,000 characters', { ...webhook, url: `https://diariet.kommun.se/${'a'.repeat(2000)}` }, 'BAD_USER_INPUT'],
      ['createWebhook', 'a loopback address without permission', { ...webhook, url: 'http://127.0.0.1:8080/hook' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'a host name that resolves to loopback', { ...webhook, url: 'http://localhost:8080/hook' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'an IPv6 loopback address', { ...webhook, url: 'http://[::1]/hook' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'a private address', { ...webhook, url: 'https://10.1.2.3/hook' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'a link-local address (cloud metadata)', { ...webhook, url: 'http://169.254.169.254/latest/meta-data' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'a user name and password in the URL', { ...webhook, url: 'https://diariet:hemligt@diariet.kommun.se/hook' }, 'BAD_USER_INPUT'],
      ['createWebhook', 'an unknown event type', { ...webhook, eventTypes: ['DecisionTaken', 'DecisionMade'] }, 'BAD_USER_INPUT'],
      ['createWebhook', 'no event types', { ...webhook, eventTypes: [] }, 'BAD_USER_INPUT'],
      ['deleteWebhook', 'an unknown webhook', { webhookId: UNKNOWN }, 'NOT_FOUND'],
      ['deleteWebhook', 'a malformed id', { webhookId: 'nope' }, 'BAD_USER_INPUT'],
      ['redeliver', 'an unknown delivery', { deliveryId: UNKNOWN }, 'NOT_FOUND'],
    ];
    const covered = new Set(cases.map(([mutation]) => mutation));
    expect([...Object.keys(MUTATIONS)].filter((m) => !covered.has(m))).toEqual([]);

    const before = await eventCount(gql);
    const outcomes = [];
    for (const [mutation, what, input, code] of cases) {
      const result = await (DIARIUM_MUTATIONS.has(mutation) ? diarium : gql).request(`mutation($input: ${inputType(mutation)}!) { ${MUTATIONS[mutation]} }`, { input });
      const error = result.errors?.[0];
      outcomes.push({ mutation, what, code: error?.extensions?.code, hasMessage: (error?.message.length ?? 0) > 10, expected: code });
    }
    expect(outcomes.filter((o) => o.code !== o.expected || !o.hasMessage)).toEqual([]);
    expect(await eventCount(gql)).toBe(before);
  });
});
