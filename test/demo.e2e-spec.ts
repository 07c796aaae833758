import { startTestServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../apps/kansli/src/app.module';
import { JUSTERAD_AT, loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { loadDemo } from '../apps/kansli/src/cli/demo-fixtures';
import { loadConfig } from '../apps/kansli/src/config';

describe('the demo: the 2018-06-14 meeting', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((dataDir) => ({ imports: [AppModule.forRoot(loadConfig({ KANSLI_DATA_DIR: dataDir }))] }));
  });
  afterAll(() => server.close());

  it('loads § 24–39 with the serving ersättare, and reports the anslag eight weeks after the meeting (R7)', async () => {
    const { bodyId, meetingId } = await loadMeeting20180614((query, variables) => server.admin.ok(query, variables));
    const { meeting } = await server.admin.ok<{ meeting: { decisions: Array<{ paragraph: number }>; attendance: Array<{ person: { name: string }; replacing: { name: string } | null }>; protocol: Record<string, unknown> } }>(
      `query($id: ID!) { meeting(id: $id) { decisions { paragraph } attendance { person { name } replacing { name } }
        protocol { status justeradAt signatories { name } anslag { postedAt removeAfter appealDeadline } findings { rule expected actual } } } }`,
      { id: meetingId },
    );
    expect(meeting.decisions.map((d) => d.paragraph)).toEqual(Array.from({ length: 16 }, (_, i) => 24 + i));
    expect(meeting.attendance).toContainEqual({ person: { name: 'Birgitta Vestring-Sandberg' }, replacing: { name: 'Anders Eriksson' } });
    expect(meeting.protocol).toEqual({
      status: 'LAGA_KRAFT',
      justeradAt: JUSTERAD_AT,
      signatories: [{ name: 'Bertil Almgren' }, { name: 'Birgitta Vestring-Sandberg' }],
      anslag: { postedAt: '2018-08-10', removeAfter: '2018-08-31', appealDeadline: '2018-08-31' },
      findings: [{ rule: 'R7', expected: 'on or before 2018-06-16', actual: '2018-08-10' }],
    });
    const { complianceFindings } = await server.admin.ok<{ complianceFindings: Array<{ rule: string; meeting: { id: string } }> }>(
      'query($id: ID!) { complianceFindings(bodyId: $id, from: "2018-01-01", to: "2018-12-31") { rule meeting { id } } }',
      { id: bodyId },
    );
    expect(complianceFindings).toEqual([{ rule: 'R7', meeting: { id: meetingId } }]);
  });

  it('loads everything npm run demo loads: § 34\'s delegation, the attestordning of 2020-06-11 and the 2019 budget with its outcome', async () => {
    const send = <T>(query: string, variables?: Record<string, unknown>) => server.admin.ok<T>(query, variables);
    const { bodyId } = await loadDemo(send);
    const { delegationOrder, attestOrder, budget } = await send<{
      delegationOrder: Array<{ category: string; delegate: string; substitute: string | null; validFrom: string }>;
      attestOrder: Array<{ kind: string; attestant: string; substitute: string | null; validFrom: string }>;
      budget: { income: number; costs: number; result: number; outcome: { result: number }; comparison: Array<{ code: string; adopted: number; outcome: number | null; deviation: number | null }> };
    }>(
      `query($id: ID!) {
        delegationOrder(bodyId: $id, asOf: "2019-01-01") { category delegate substitute validFrom }
        attestOrder(bodyId: $id, asOf: "2020-06-11") { kind attestant substitute validFrom }
        budget(bodyId: $id, year: 2019) { income costs result outcome { result } comparison { code adopted outcome deviation } } }`,
      { id: bodyId },
    );
    expect(delegationOrder).toEqual([expect.objectContaining({ category: 'ATTEST', delegate: 'Förbundschef', validFrom: '2018-06-14' })]);
    expect(delegationOrder[0].substitute).toMatch(/^[0-9a-f-]{36}$/);
    expect(attestOrder).toEqual([
      expect.objectContaining({ kind: 'MOTTAGNING', attestant: 'Förbundschef', validFrom: '2020-06-11' }),
      expect.objectContaining({ kind: 'BESLUT', attestant: 'ORDFORANDE', substitute: 'VICE_ORDFORANDE', validFrom: '2020-06-11' }),
    ]);
    // The årsredovisning 2019: an aktuell budget of −761 840 kr; the printed lines' outcome adds up to −85 239 kr.
    expect(budget.result).toBe(-761_840);
    expect(budget.costs).toBe(6_635_840);
    expect(budget.outcome.result).toBe(-85_239);
    expect(budget.comparison.every((line) => line.deviation === line.outcome! - line.adopted)).toBe(true);
  });
});
