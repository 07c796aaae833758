import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from '@kansli/testing';
import { loadDemo } from '../apps/kansli/src/cli/demo-fixtures';
import { exportErms } from '../apps/kansli/src/cli/export-erms';
import { validateErms } from './support/erms';
import { startKansli } from './support/kansli';

// The archive export of issue 10: the demo's board (the 2018-06-14 and 2020-06-11 meetings, § 34's delegation, the
// 2019 budget) with documents registered in its diarium, exported over HTTP and by the CLI, every export validated
// against the vendored CITS ERMS schema (schemas/erms/ERMS.xsd) with xmllint-wasm.
describe('the archive export (CITS ERMS)', () => {
  let server: TestServer;
  let bodyId: string;
  let base: string;
  const get = async (query: string, roles: Array<'DIARIUM' | 'REVISOR' | 'LEDAMOT'> | null) => {
    const headers: Record<string, string> = roles ? { authorization: `Bearer ${await server.token(roles)}` } : {};
    const response = await fetch(`${base}/export/erms?${query}`, { headers });
    return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), text: await response.text() };
  };
  const count = (xml: string, pattern: RegExp) => (xml.match(new RegExp(pattern.source, 'g')) ?? []).length;

  beforeAll(async () => {
    server = await startKansli();
    base = server.client.url.replace(/\/graphql$/, '');
    ({ bodyId } = await loadDemo((query, variables) => server.admin.ok(query, variables)));
    const diarium = await server.as(['DIARIUM']);
    const register = (input: Record<string, unknown>) => diarium.ok('mutation($input: RegisterDocumentInput!) { registerDocument(input: $input) { dnr } }', { input: { bodyId, ...input } });
    await register({ dnr: '2018-0012', date: '2018-05-28', direction: 'INKOMMANDE', counterpart: 'Hälsa för livet', description: 'Ansökan om medel för Hälsa för livet' });
    await register({ dnr: '2018-0012', date: '2018-06-15', direction: 'UTGAENDE', counterpart: 'Hälsa för livet', description: 'Beslut om medel & villkor <§ 27>' });
    await register({ dnr: '9-2017', date: '2018-02-01', direction: 'INKOMMANDE', counterpart: 'Försäkringskassan', description: 'Deltagare i insats', secrecy: 'OSL 28:1' });
    await register({ dnr: '2018-0013', date: '2018-06-14', direction: 'UPPRATTAD', description: 'Tjänsteskrivelse: delegationsordning' });
    await register({ dnr: '2020-0001', date: '2020-06-01', direction: 'INKOMMANDE', counterpart: 'Region Västerbotten', description: 'Remiss' });
  }, 60_000);
  afterAll(() => server.close());

  it('exports 2018 valid against the schema: the meeting of 2018-06-14 with its 16 paragraphs, the cases opened that year with their documents', async () => {
    const answer = await get(`body=${bodyId}&year=2018`, ['DIARIUM']);
    expect(answer).toMatchObject({ status: 200, type: 'application/xml; charset=utf-8', disposition: `attachment; filename="erms-${bodyId}-2018.xml"` });
    const validation = await validateErms(answer.text);
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    const xml = answer.text;
    expect(count(xml, /aggregationType="caseFile"/)).toBe(3);
    expect(count(xml, /aggregationType="file"/)).toBe(1);
    expect(count(xml, /recordType="beslut"/)).toBe(16);
    expect(count(xml, /recordType="handling"/)).toBe(4);
    expect([...xml.matchAll(/<runningNumber>(\d+)<\/runningNumber>/g)].map((match) => Number(match[1]))).toEqual(Array.from({ length: 16 }, (_, i) => 24 + i));
    expect(xml).toContain('<extraId extraIdType="diarienummer">2018-0012</extraId>');
    expect(xml).toContain('<title>Beslut om medel &amp; villkor &lt;§ 27&gt;</title>');
    expect(xml).toContain('<restriction restrictionType="confidential"><explanatoryText>Sekretess enligt offentlighets- och sekretesslagen</explanatoryText><regulation>OSL 28:1</regulation></restriction>');
    expect(xml).toContain('<direction directionDefinition="other" otherDirectionDefinition="upprättad"/>');
    expect(xml).toContain('<agent agentType="sender"><name>Hälsa för livet</name></agent>');
    expect(xml).toMatch(/<note noteType="justering">Justerat 2018-06-14<\/note>/);
  });

  it('exports 2020 for a REVISOR, and a year with nothing in it as a valid export of the empty year', async () => {
    const year2020 = await get(`body=${bodyId}&year=2020`, ['REVISOR']);
    expect(year2020.status).toBe(200);
    expect((await validateErms(year2020.text)).valid).toBe(true);
    expect(count(year2020.text, /aggregationType="caseFile"/)).toBe(1);
    expect(count(year2020.text, /aggregationType="file"/)).toBe(1);
    const empty = await get(`body=${bodyId}&year=2031`, ['DIARIUM']);
    expect(empty.status).toBe(200);
    expect((await validateErms(empty.text)).valid).toBe(true);
    expect(count(empty.text, /<aggregation /)).toBe(1);
    expect(count(empty.text, /<record /)).toBe(0);
  });

  it('refuses without a token (401), for other roles (403), an unknown body (404) and a malformed body or year (400)', async () => {
    expect((await get(`body=${bodyId}&year=2018`, null)).status).toBe(401);
    expect((await get(`body=${bodyId}&year=2018`, ['LEDAMOT'])).status).toBe(403);
    const unknown = await get('body=00000000-0000-4000-8000-000000000000&year=2018', ['DIARIUM']);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).message).toBe('Body 00000000-0000-4000-8000-000000000000 does not exist');
    expect((await get('body=nope&year=2018', ['DIARIUM'])).status).toBe(400);
    expect((await get(`body=${bodyId}&year=18`, ['DIARIUM'])).status).toBe(400);
    expect((await get(`body=${bodyId}&year=1899`, ['DIARIUM'])).status).toBe(400);
    expect((await get(`body=${bodyId}`, ['DIARIUM'])).status).toBe(400);
  });

  it('export-erms writes the same year from the read models on disk, also while the server runs', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kansli-erms-'));
    try {
      const out = join(folder, 'erms-2018.xml');
      const lines: string[] = [];
      const counts = exportErms(['--body', bodyId, '--year', '2018', '--out', out], { KANSLI_DATA_DIR: server.dataDir }, (line) => lines.push(line));
      expect(counts).toEqual({ cases: 3, documents: 4, meetings: 1, decisions: 16, delegatedDecisions: 0 });
      expect(lines[0]).toMatch(/^Wrote .*erms-2018\.xml: 3 cases, 4 documents, 1 meetings, 16 decisions, 0 delegated decisions/);
      expect((await validateErms(readFileSync(out, 'utf8'))).valid).toBe(true);
      expect(() => exportErms(['--body', bodyId, '--year', '2018', '--out', out], { KANSLI_DATA_DIR: server.dataDir })).toThrow(/exists: give --force/);
      expect(exportErms(['--body', bodyId, '--year', '2031', '--out', out, '--force'], { KANSLI_DATA_DIR: server.dataDir }, (line) => lines.push(line)).cases).toBe(0);
      expect(lines.at(-1)).toBe('Nothing was recorded for the body in 2031: the export holds the empty year.');
      expect(() => exportErms(['--body', '00000000-0000-4000-8000-000000000000', '--year', '2018', '--out', out, '--force'], { KANSLI_DATA_DIR: server.dataDir })).toThrow('Body 00000000-0000-4000-8000-000000000000 does not exist');
      expect(() => exportErms(['--body', bodyId, '--year', '18', '--out', out], { KANSLI_DATA_DIR: server.dataDir })).toThrow(/--year <YYYY> is required/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
