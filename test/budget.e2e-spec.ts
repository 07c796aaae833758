import { rmSync } from 'node:fs';
import type { GraphQLTestClient, TestServer } from '@kansli/testing';
import { loadBudget2019 } from '../apps/kansli/src/cli/demo-budget-2019';
import { establishBoard, openQuorateMeeting, type Board } from './support/board';
import { startKansli } from './support/kansli';
import { builtAndRebuilt } from './support/rebuild';

const BUDGET = `id year total income costs result adoptedAt
  body { id } decision { id }
  lines { code name amount kind contributor }
  revisions { revisedAt reason decision { id paragraph } changes { code name amount kind } totalBefore totalAfter resultBefore resultAfter }
  outcome { asOf source result lines { code name amount kind } }
  comparison { code name kind adopted revised outcome deviation }`;
const QUERY = `query($bodyId: ID!, $year: Int!, $asOf: Date, $knownAt: DateTime) { budget(bodyId: $bodyId, year: $year, asOf: $asOf, knownAt: $knownAt) { ${BUDGET} } }`;
const TIMELINE = 'query($filter: TimelineFilter) { timeline(filter: $filter, first: 100) { edges { node { type recordedAt data } } } }';

interface Line { code: string; name: string; amount: number; kind: string; contributor?: string | null }
interface Budget {
  id: string; year: number; total: number; income: number; costs: number; result: number; adoptedAt: string;
  body: { id: string }; decision: { id: string } | null; lines: Line[];
  revisions: Array<{ revisedAt: string; reason: string; decision: { id: string; paragraph: number }; changes: Line[]; totalBefore: number; totalAfter: number; resultBefore: number; resultAfter: number }>;
  outcome: { asOf: string; source: string; result: number; lines: Line[] } | null;
  comparison: Array<{ code: string; name: string; kind: string; adopted: number; revised: number; outcome: number | null; deviation: number | null }>;
}
type Timeline = { timeline: { edges: Array<{ node: { type: string; recordedAt: string; data: Record<string, unknown> } }> } };

const LINES = [
  { code: 'INSATSER', name: 'Verksamheter/projekt', amount: 4_000_000 },
  { code: 'KANSLI', name: 'Kansli', amount: 1_131_000, kind: 'COST' },
  { code: 'AVGIFTER', name: 'Medlemsavgifter', amount: 4_800_000, kind: 'INCOME' },
];

async function decide(gql: GraphQLTestClient, board: Board, start: string, title: string): Promise<string> {
  const meetingId = await openQuorateMeeting(gql, board, start);
  const { takeDecision } = await gql.ok<{ takeDecision: { id: string } }>('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id } }', {
    input: { meetingId, title, clauses: ['att revidera budgeten enligt förslaget'], outcome: 'BIFALL', decidedAt: start.replace('09:00', '10:00') },
  });
  return takeDecision.id;
}

const adopt = (gql: GraphQLTestClient, input: Record<string, unknown>) =>
  gql.request<{ adoptBudget: Budget }>(`mutation($input: AdoptBudgetInput!) { adoptBudget(input: $input) { ${BUDGET} } }`, { input });
const revise = (gql: GraphQLTestClient, input: Record<string, unknown>) =>
  gql.request<{ reviseBudget: Budget }>(`mutation($input: ReviseBudgetInput!) { reviseBudget(input: $input) { ${BUDGET} } }`, { input });
const recordOutcome = (gql: GraphQLTestClient, input: Record<string, unknown>) =>
  gql.request<{ recordBudgetOutcome: Budget }>(`mutation($input: RecordBudgetOutcomeInput!) { recordBudgetOutcome(input: $input) { ${BUDGET} } }`, { input });
const budgetOf = async (gql: GraphQLTestClient, variables: Record<string, unknown>) => (await gql.ok<{ budget: Budget | null }>(QUERY, variables)).budget;
const timeline = async (gql: GraphQLTestClient, filter: Record<string, unknown>) => (await gql.ok<Timeline>(TIMELINE, { filter })).timeline.edges.map((edge) => edge.node);
const data = <T>(result: { data?: T; errors?: unknown }): T => {
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
};

describe('the budget register over HTTP', () => {
  let server: TestServer;
  let gql: GraphQLTestClient;
  let stopped = false;
  beforeAll(async () => {
    server = await startKansli();
    gql = server.admin;
  });
  afterAll(() => (stopped ? rmSync(server.dataDir, { recursive: true, force: true }) : server.close()));

  it('adopts, revises by a decision of the body, records the outcome; asOf and knownAt cross the revision', async () => {
    const board = await establishBoard(gql);
    const decisionId = await decide(gql, board, '2019-06-14T09:00:00+02:00', 'Reviderad budget 2019');

    const { adoptBudget: adopted } = data(await adopt(gql, { bodyId: board.bodyId, year: 2019, lines: LINES, adoptedAt: '2018-11-22T10:00:00+01:00' }));
    expect(adopted).toMatchObject({ year: 2019, body: { id: board.bodyId }, decision: null, income: 4_800_000, costs: 5_131_000, total: 5_131_000, result: -331_000, revisions: [], outcome: null });
    expect(adopted.lines.map((line) => [line.code, line.kind])).toEqual([['INSATSER', 'COST'], ['KANSLI', 'COST'], ['AVGIFTER', 'INCOME']]);
    const [adoption] = await timeline(gql, { entityId: adopted.id });
    await new Promise((resolve) => setTimeout(resolve, 5));

    const { reviseBudget: revised } = data(
      await revise(gql, {
        budgetId: adopted.id,
        changes: [{ code: 'INSATSER', amount: 4_757_840 }, { code: 'KONF', name: 'Konferenser', amount: 250_000 }],
        reason: 'Tilläggsbeslut om nya insatser under hösten',
        decisionId,
        revisedAt: '2019-06-14T10:00:00+02:00',
      }),
    );
    expect(revised.revisions).toEqual([
      {
        revisedAt: '2019-06-14T10:00:00+02:00',
        reason: 'Tilläggsbeslut om nya insatser under hösten',
        decision: { id: decisionId, paragraph: 1 },
        changes: [
          { code: 'INSATSER', name: 'Verksamheter/projekt', amount: 4_757_840, kind: 'COST' },
          { code: 'KONF', name: 'Konferenser', amount: 250_000, kind: 'COST' },
        ],
        totalBefore: 5_131_000,
        totalAfter: 6_138_840,
        resultBefore: -331_000,
        resultAfter: -1_338_840,
      },
    ]);
    expect(revised).toMatchObject({ costs: 6_138_840, result: -1_338_840 });

    const { recordBudgetOutcome: withOutcome } = data(
      await recordOutcome(gql, {
        budgetId: adopted.id,
        asOf: '2019-12-31',
        source: 'Årsredovisning 2019',
        lines: [{ code: 'INSATSER', amount: 4_120_948 }, { code: 'KONF', amount: 210_112 }, { code: 'AVGIFTER', amount: 4_800_000 }],
      }),
    );
    expect(withOutcome.outcome).toMatchObject({ asOf: '2019-12-31', source: 'Årsredovisning 2019', result: 4_800_000 - 4_120_948 - 210_112 });
    expect(withOutcome.comparison).toEqual([
      { code: 'INSATSER', name: 'Verksamheter/projekt', kind: 'COST', adopted: 4_000_000, revised: 4_757_840, outcome: 4_120_948, deviation: -636_892 },
      { code: 'KANSLI', name: 'Kansli', kind: 'COST', adopted: 1_131_000, revised: 1_131_000, outcome: null, deviation: null },
      { code: 'AVGIFTER', name: 'Medlemsavgifter', kind: 'INCOME', adopted: 4_800_000, revised: 4_800_000, outcome: 4_800_000, deviation: 0 },
      { code: 'KONF', name: 'Konferenser', kind: 'COST', adopted: 0, revised: 250_000, outcome: 210_112, deviation: -39_888 },
    ]);

    // asOf: the day before the revision the budget is as adopted; from its day on, as revised; before the adoption, none.
    const dayBefore = (await budgetOf(gql, { bodyId: board.bodyId, year: 2019, asOf: '2019-06-13' }))!;
    expect(dayBefore).toMatchObject({ costs: 5_131_000, revisions: [], outcome: null });
    expect(dayBefore.lines.map((line) => line.code)).toEqual(['INSATSER', 'KANSLI', 'AVGIFTER']);
    expect(await budgetOf(gql, { bodyId: board.bodyId, year: 2019, asOf: '2019-06-14' })).toMatchObject({ costs: 6_138_840, outcome: null, revisions: [{ totalAfter: 6_138_840 }] });
    expect(await budgetOf(gql, { bodyId: board.bodyId, year: 2019, asOf: '2018-11-21' })).toBeNull();
    expect(await budgetOf(gql, { bodyId: board.bodyId, year: 2019 })).toEqual(withOutcome);

    // knownAt: as the system knew it when only the adoption was recorded, whatever day is asked about.
    const known = (await budgetOf(gql, { bodyId: board.bodyId, year: 2019, knownAt: adoption.recordedAt }))!;
    expect(known).toMatchObject({ costs: 5_131_000, revisions: [], outcome: null });
    expect(await budgetOf(gql, { bodyId: board.bodyId, year: 2019, knownAt: new Date(Date.parse(adoption.recordedAt) - 1).toISOString() })).toBeNull();

    const { decision } = await gql.ok<{ decision: { budgetRevisions: Array<{ totalAfter: number; reason: string }> } }>(
      `{ decision(id: "${decisionId}") { budgetRevisions { totalAfter reason } } }`,
    );
    expect(decision.budgetRevisions).toEqual([{ totalAfter: 6_138_840, reason: 'Tilläggsbeslut om nya insatser under hösten' }]);

    const byEntity = await timeline(gql, { entityId: adopted.id });
    expect(byEntity.map((event) => event.type)).toEqual(['BudgetAdopted', 'BudgetRevised', 'BudgetOutcomeRecorded']);
    const byBody = await timeline(gql, { bodyId: board.bodyId, types: ['BudgetAdopted', 'BudgetRevised', 'BudgetOutcomeRecorded'] });
    expect(byBody.map((event) => event.type)).toEqual(['BudgetAdopted', 'BudgetRevised', 'BudgetOutcomeRecorded']);
    expect((await timeline(gql, { entityId: decisionId, types: ['BudgetRevised'] })).map((event) => event.type)).toEqual(['BudgetRevised']);
  });

  it('refuses a second adoption for the year, a revision citing another body\'s decision, unknown lines without a name — and writes nothing', async () => {
    const board = await establishBoard(gql, 'Styrelsen för budgetprov');
    const other = await establishBoard(gql, 'Annan nämnd');
    const othersDecision = await decide(gql, other, '2019-04-05T09:00:00+02:00', 'Annat beslut');
    const ownDecision = await decide(gql, board, '2019-04-05T09:00:00+02:00', 'Reviderad budget');
    const { adoptBudget: adopted } = data(await adopt(gql, { bodyId: board.bodyId, year: 2019, lines: LINES, adoptedAt: '2018-11-22T10:00:00+01:00' }));
    const before = await timeline(gql, { entityId: adopted.id });

    const second = await adopt(gql, { bodyId: board.bodyId, year: 2019, lines: LINES });
    expect(second.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/already adopted.*reviseBudget/) });
    const foreign = await revise(gql, { budgetId: adopted.id, changes: [{ code: 'KANSLI', amount: 1 }], reason: 'R', decisionId: othersDecision, revisedAt: '2019-04-05T12:00:00+02:00' });
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/another body's decision/) });
    const unknown = await revise(gql, { budgetId: adopted.id, changes: [{ code: 'NYTT', amount: 1 }], reason: 'R', decisionId: ownDecision, revisedAt: '2019-04-05T12:00:00+02:00' });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/no line "NYTT": to add it as a new line, give its name/) });
    const negative = await revise(gql, { budgetId: adopted.id, changes: [{ code: 'KANSLI', amount: -1 }], reason: 'R', decisionId: ownDecision, revisedAt: '2019-04-05T12:00:00+02:00' });
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const outcomeOfUnknown = await recordOutcome(gql, { budgetId: adopted.id, asOf: '2019-12-31', source: 'Årsredovisning', lines: [{ code: 'NYTT', amount: 1 }] });
    expect(outcomeOfUnknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/no line "NYTT"/) });

    expect(await timeline(gql, { entityId: adopted.id })).toEqual(before);
    expect(await timeline(gql, { bodyId: other.bodyId, types: ['BudgetAdopted', 'BudgetRevised'] })).toEqual([]);

    // Two adoptions of one year at once meet in the one stream the year's budget id names: one is refused.
    const racing = await Promise.all([2_000, 3_000].map((amount) => adopt(gql, { bodyId: board.bodyId, year: 2020, lines: [{ code: 'K', name: 'Kansli', amount }] })));
    expect(racing.filter((result) => result.data?.adoptBudget).length).toBe(1);
    expect(racing.flatMap((result) => result.errors ?? []).map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(await timeline(gql, { bodyId: board.bodyId, types: ['BudgetAdopted'] })).toHaveLength(2);
  });

  it('lets every signed-in role read a budget and only the kansli change it; the public sees nothing', async () => {
    const board = await establishBoard(gql, 'Styrelsen för behörighetsprov');
    const { adoptBudget: adopted } = data(await adopt(gql, { bodyId: board.bodyId, year: 2020, lines: LINES }));
    const ledamot = await server.as(['LEDAMOT']);
    expect((await budgetOf(ledamot, { bodyId: board.bodyId, year: 2020 }))?.id).toBe(adopted.id);
    expect((await adopt(ledamot, { bodyId: board.bodyId, year: 2021, lines: LINES })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.client.request(QUERY, { bodyId: board.bodyId, year: 2020 })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('R13: a FINSAM board\'s budget whose contributions are off ½ / ¼ / ¼ by more than 1 percentage point is a finding until revised', async () => {
    const { establishBody } = await gql.ok<{ establishBody: { id: string } }>(
      'mutation { establishBody(input: { name: "Samordningsförbundet Prov", kind: STYRELSE, seats: 5, finsam: true }) { id } }',
    );
    const bodyId = establishBody.id;
    const board: Board = { bodyId, members: [] };
    for (const personName of ['Anna A', 'Bertil B', 'Cecilia C']) {
      const { appointMember } = await gql.ok<{ appointMember: { person: { id: string } } }>(
        'mutation($input: AppointMemberInput!) { appointMember(input: $input) { person { id } } }',
        { input: { bodyId, personName, role: 'LEDAMOT', from: '2015-01-01' } },
      );
      board.members.push(appointMember.person.id);
    }
    const decisionId = await decide(gql, board, '2020-06-11T09:00:00+02:00', 'Reviderad budget 2020');
    const contribution = (code: string, contributor: string, amount: number) => ({ code, name: `Medlemsavgift ${contributor}`, amount, kind: 'INCOME', contributor });
    const { adoptBudget: adopted } = data(
      await adopt(gql, {
        bodyId,
        year: 2020,
        adoptedAt: '2019-11-28T10:00:00+01:00',
        lines: [
          contribution('STATEN', 'Försäkringskassan', 2_000_000),
          contribution('REGION', 'Region Västerbotten', 1_200_000),
          contribution('KOMMUN', 'Skellefteå kommun', 800_000),
          { code: 'KANSLI', name: 'Kansli', amount: 4_000_000 },
        ],
      }),
    );
    const r13 = async () =>
      (await gql.ok<{ complianceFindings: Array<{ rule: string; subjectId: string; actual: string; message: string }> }>(`{ complianceFindings(bodyId: "${bodyId}") { rule subjectId actual message } }`))
        .complianceFindings.filter((finding) => finding.subjectId === adopted.id);
    expect(await r13()).toEqual([
      expect.objectContaining({ rule: 'R13', actual: '1 200 000 kr (30.0 %)', message: expect.stringMatching(/The 2020 budget has the region\(s\) paying 1 200 000 kr/) }),
      expect.objectContaining({ rule: 'R13', actual: '800 000 kr (20.0 %)' }),
    ]);

    const notFinsam = await establishBoard(gql, 'Inte ett samordningsförbund');
    await adopt(gql, { bodyId: notFinsam.bodyId, year: 2020, lines: [contribution('REGION', 'Region Västerbotten', 1_000)] });
    const { complianceFindings } = await gql.ok<{ complianceFindings: unknown[] }>(`{ complianceFindings(bodyId: "${notFinsam.bodyId}") { rule } }`);
    expect(complianceFindings).toEqual([]);

    data(await revise(gql, { budgetId: adopted.id, changes: [{ code: 'REGION', amount: 1_000_000 }, { code: 'KOMMUN', amount: 1_000_000 }], reason: 'Rättad fördelning', decisionId }));
    expect(await r13()).toEqual([]);
  });

  it('loads the 2019 budget and outcome of the årsredovisning 2019 (demo loader): aktuell budget −761 840, outcome −85 239', async () => {
    const { establishBody } = await gql.ok<{ establishBody: { id: string } }>(
      'mutation { establishBody(input: { name: "Samordningsförbundet Skellefteå-Norsjö, styrelsen", kind: STYRELSE, seats: 5, finsam: true }) { id } }',
    );
    const { budgetId } = await loadBudget2019((query, variables) => gql.ok(query, variables), establishBody.id);
    const budget = (await budgetOf(gql, { bodyId: establishBody.id, year: 2019 }))!;
    expect(budget.id).toBe(budgetId);
    expect(budget).toMatchObject({ total: 6_635_840, costs: 6_635_840, income: 5_874_000, result: -761_840, revisions: [] });
    expect(budget.outcome).toMatchObject({ asOf: '2019-12-31', result: -85_239 });
    expect(budget.comparison.find((line) => line.code === 'VERKSAMHETER')).toEqual({
      code: 'VERKSAMHETER', name: 'Verksamheter/projekt', kind: 'COST', adopted: 4_757_840, revised: 4_757_840, outcome: 4_120_948, deviation: -636_892,
    });
    expect(budget.comparison.filter((line) => line.kind === 'COST').reduce((sum, line) => sum + (line.outcome ?? 0), 0)).toBe(5_925_439);
    const { complianceFindings } = await gql.ok<{ complianceFindings: Array<{ subjectId: string }> }>(`{ complianceFindings(bodyId: "${establishBody.id}") { subjectId } }`);
    expect(complianceFindings.filter((finding) => finding.subjectId === budgetId)).toEqual([]);
  });

  // Runs last: it stops the server. The projection reads only the events (revision, recordedAt, data), never a clock.
  it('gives the same budget rows when the read models are rebuilt from the log (line versions, revisions with totals, outcomes)', async () => {
    await server.app.close();
    stopped = true;
    const { built, rebuilt } = await builtAndRebuilt(server.dataDir);
    expect(built.rm_budget_revisions.rows.length).toBeGreaterThan(1);
    expect(built.rm_budget_outcomes.rows.length).toBeGreaterThan(1);
    expect(rebuilt).toEqual(built);
  });
});
