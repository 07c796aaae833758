import type { Role } from '@kansli/auth';
import type { GraphQLTestClient, TestServer } from '@kansli/testing';
import { startKansli } from './support/kansli';

// API.md, "Who may call what", as a table. ALLOWED: the access check let the call through (it may still fail
// for a domain reason: the ids below exist nowhere). Changing any cell here, or in the code, fails this test.
type Outcome = 'ALLOWED' | 'UNAUTHENTICATED' | 'FORBIDDEN';
type Caller = 'ANONYMOUS' | Role;
const CALLERS: Caller[] = ['ANONYMOUS', 'ADMIN', 'SEKRETERARE', 'LEDAMOT', 'REVISOR', 'DIARIUM'];
const A: Outcome = 'ALLOWED';
const U: Outcome = 'UNAUTHENTICATED';
const F: Outcome = 'FORBIDDEN';

const X = '00000000-0000-4000-8000-000000000000';
const MUTATIONS: Record<string, { input: string; selection: string; expected: Outcome[] }> = {
  //                  ANONYMOUS ADMIN SEKRETERARE LEDAMOT REVISOR DIARIUM
  establishBody: { input: '{ name: "N", kind: STYRELSE, seats: 5 }', selection: 'id', expected: [U, A, F, F, F, F] },
  registerPerson: { input: '{ name: "P" }', selection: 'id', expected: [U, A, F, F, F, F] },
  appointMember: { input: `{ bodyId: "${X}", personName: "P", role: LEDAMOT, from: "2018-01-01" }`, selection: 'id', expected: [U, A, F, F, F, F] },
  endMembership: { input: `{ membershipId: "${X}", to: "2018-12-31" }`, selection: 'id', expected: [U, A, F, F, F, F] },
  scheduleMeeting: { input: `{ bodyId: "${X}", start: "2018-06-14T09:00:00+02:00" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  addAgendaItem: { input: `{ meetingId: "${X}", title: "T" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  cancelMeeting: { input: `{ meetingId: "${X}", at: "2018-06-10T12:00:00+02:00", reason: "R" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  rescheduleMeeting: { input: `{ meetingId: "${X}", start: "2018-06-21T09:00:00+02:00", reason: "R" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  openMeeting: { input: `{ meetingId: "${X}", at: "2018-06-14T09:00:00+02:00" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  recordAttendance: { input: `{ meetingId: "${X}", personId: "${X}", role: BESLUTANDE }`, selection: 'id', expected: [U, F, A, F, F, F] },
  appointJusterare: { input: `{ meetingId: "${X}", personIds: ["${X}"] }`, selection: 'id', expected: [U, F, A, F, F, F] },
  declareJav: { input: `{ meetingId: "${X}", personId: "${X}", motionId: "${X}" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  closeMeeting: { input: `{ meetingId: "${X}", at: "2018-06-14T15:00:00+02:00" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  raiseMotion: { input: `{ meetingId: "${X}", title: "T", proposedBy: "P", clauses: [] }`, selection: 'id', expected: [U, F, A, A, F, F] },
  takeDecision: { input: `{ meetingId: "${X}", title: "T", clauses: [], outcome: NOTERAD }`, selection: 'id', expected: [U, F, A, F, F, F] },
  justeraProtocol: { input: `{ meetingId: "${X}", justeradAt: "2018-06-20", signatoryIds: ["${X}"] }`, selection: 'status', expected: [U, F, A, F, F, F] },
  signProtocol: { input: `{ meetingId: "${X}", signedAt: "2018-06-20" }`, selection: 'status', expected: [U, F, F, A, F, F] },
  postAnslag: { input: `{ meetingId: "${X}", postedAt: "2018-06-20", removeAfter: "2018-07-20", storageLocation: "S" }`, selection: 'status', expected: [U, F, A, F, F, F] },
  correctProtocol: { input: `{ meetingId: "${X}", paragraph: 27, field: "clauses", from: "F", to: "T", reason: "R", correctedAt: "2018-09-20" }`, selection: 'status', expected: [U, F, A, F, F, F] },
  changeDelegation: { input: `{ bodyId: "${X}", action: GRANT, matter: "M", category: EKONOMI, delegate: "Förbundschef", validFrom: "2018-07-01", decisionId: "${X}" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  recordDelegatedDecision: { input: `{ delegationId: "${X}", decidedBy: "${X}", decidedAt: "2018-08-01", title: "T" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  reportDelegatedDecisions: { input: `{ decisionId: "${X}", delegatedDecisionIds: ["${X}"] }`, selection: 'id', expected: [U, F, A, F, F, F] },
  changeAttestRule: { input: `{ bodyId: "${X}", scope: "Fakturor", kind: BESLUT, attestant: "ORDFORANDE", validFrom: "2018-07-01", decisionId: "${X}" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  attestInvoice: { input: `{ bodyId: "${X}", invoiceRef: "F-1", amount: 100, kind: BESLUT, attestedBy: "${X}", at: "2018-08-01" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  adoptBudget: { input: `{ bodyId: "${X}", year: 2019, lines: [{ code: "K", name: "Kansli", amount: 1 }] }`, selection: 'id', expected: [U, F, A, F, F, F] },
  reviseBudget: { input: `{ budgetId: "${X}", changes: [{ code: "K", amount: 2 }], reason: "R", decisionId: "${X}" }`, selection: 'id', expected: [U, F, A, F, F, F] },
  recordBudgetOutcome: { input: `{ budgetId: "${X}", asOf: "2019-12-31", source: "S", lines: [{ code: "K", amount: 1 }] }`, selection: 'id', expected: [U, F, A, F, F, F] },
  // ADMIN, as appointMember: who holds a role decides who may attest and decide under delegation.
  assignRole: { input: `{ bodyId: "${X}", role: "Förbundschef", personId: "${X}", from: "2018-01-01" }`, selection: 'id', expected: [U, A, F, F, F, F] },
  registerDocument: { input: `{ bodyId: "${X}", date: "2018-06-14", direction: INKOMMANDE, counterpart: "C", description: "D" }`, selection: 'id', expected: [U, F, A, F, F, A] },
  // The diarium's integration: the DIARIUM role only (API.md); the example.invalid host never resolves.
  createWebhook: { input: '{ url: "https://example.invalid/hook", eventTypes: ["DocumentRegistered"] }', selection: 'secret', expected: [U, F, F, F, F, A] },
  deleteWebhook: { input: `{ webhookId: "${X}" }`, selection: 'id', expected: [U, F, F, F, F, A] },
  redeliver: { input: `{ deliveryId: "${X}" }`, selection: 'id', expected: [U, F, F, F, F, A] },
};

const QUERIES: Record<string, { query: string; expected: Outcome[] }> = {
  health: { query: '{ health { status } }', expected: [A, A, A, A, A, A] },
  bodies: { query: '{ bodies { id members { id } } }', expected: [A, A, A, A, A, A] },
  body: { query: `{ body(id: "${X}") { id } }`, expected: [A, A, A, A, A, A] },
  meeting: { query: `{ meeting(id: "${X}") { id } }`, expected: [A, A, A, A, A, A] },
  decision: { query: `{ decision(id: "${X}") { id } }`, expected: [A, A, A, A, A, A] },
  motion: { query: `{ motion(id: "${X}") { id } }`, expected: [U, A, A, A, A, A] },
  timeline: { query: '{ timeline { edges { cursor } } }', expected: [U, A, A, F, A, F] },
  history: { query: `{ history(entityId: "${X}") { edges { cursor } } }`, expected: [U, A, A, F, A, F] },
  complianceFindings: { query: `{ complianceFindings(bodyId: "${X}") { rule } }`, expected: [U, A, A, F, A, F] },
  delegationOrder: { query: `{ delegationOrder(bodyId: "${X}") { id } }`, expected: [U, A, A, A, A, A] },
  delegatedDecisions: { query: `{ delegatedDecisions(bodyId: "${X}") { edges { cursor } } }`, expected: [U, A, A, A, A, A] },
  budget: { query: `{ budget(bodyId: "${X}", year: 2019) { id } }`, expected: [U, A, A, A, A, A] },
  attestOrder: { query: `{ attestOrder(bodyId: "${X}") { id } }`, expected: [U, A, A, A, A, A] },
  integrity: { query: '{ integrity { verified size root checkpoint origin publicKey } }', expected: [U, A, A, F, A, F] },
  checkpoints: { query: '{ checkpoints { edges { cursor } } }', expected: [U, A, A, F, A, F] },
  inclusionProof: { query: `{ inclusionProof(eventId: "${X}") { leafIndex } }`, expected: [U, A, A, F, A, F] },
  consistencyProof: { query: '{ consistencyProof(fromSize: 0) }', expected: [U, A, A, F, A, F] },
  // Signed-in readers read everything but the audit queries (API.md); the public reads none of the diarium.
  documents: { query: `{ documents(bodyId: "${X}") { edges { cursor } } }`, expected: [U, A, A, A, A, A] },
  case: { query: '{ case(dnr: "2018-0001") { dnr } }', expected: [U, A, A, A, A, A] },
  webhooks: { query: '{ webhooks { id } }', expected: [U, A, A, A, A, A] },
  webhookDeliveries: { query: `{ webhookDeliveries(webhookId: "${X}") { edges { cursor } } }`, expected: [U, A, A, A, A, A] },
};

function outcome(result: { errors?: Array<{ extensions?: { code?: string } }> }): Outcome {
  const code = result.errors?.[0]?.extensions?.code;
  return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : 'ALLOWED';
}

describe('the authorization matrix of API.md', () => {
  let server: TestServer;
  const clients = new Map<Caller, GraphQLTestClient>();
  beforeAll(async () => {
    server = await startKansli();
    for (const caller of CALLERS) clients.set(caller, caller === 'ANONYMOUS' ? server.client : await server.as([caller], { sub: `matrix-${caller}` }));
  });
  afterAll(() => server.close());

  it('gives every caller exactly the outcome of the table for every mutation', async () => {
    const actual: Record<string, Outcome[]> = {};
    for (const [name, { input, selection }] of Object.entries(MUTATIONS)) {
      actual[name] = [];
      for (const caller of CALLERS) actual[name].push(outcome(await clients.get(caller)!.request(`mutation { ${name}(input: ${input}) { ${selection} } }`)));
    }
    expect(actual).toEqual(Object.fromEntries(Object.entries(MUTATIONS).map(([name, { expected }]) => [name, expected])));
  });

  it('gives every caller exactly the outcome of the table for every query', async () => {
    const actual: Record<string, Outcome[]> = {};
    for (const [name, { query }] of Object.entries(QUERIES)) {
      actual[name] = [];
      for (const caller of CALLERS) actual[name].push(outcome(await clients.get(caller)!.request(query)));
    }
    expect(actual).toEqual(Object.fromEntries(Object.entries(QUERIES).map(([name, { expected }]) => [name, expected])));
  });

  it('covers every query and mutation the server offers', async () => {
    const { __schema } = await server.admin.ok<{ __schema: { queryType: { fields: Array<{ name: string }> }; mutationType: { fields: Array<{ name: string }> } } }>(
      '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }',
    );
    expect(__schema.mutationType.fields.map((f) => f.name).sort()).toEqual(Object.keys(MUTATIONS).sort());
    expect(__schema.queryType.fields.map((f) => f.name).sort()).toEqual(Object.keys(QUERIES).sort());
  });
});
