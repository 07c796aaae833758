import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogCheckpoints } from '@kansli/integrity';
import type { TestServer } from '@kansli/testing';
import { generateSigner, signNote, parseNote, readCheckpointNote } from '@kansli/tlog';
import { AuditCommandError, exportAudit, verifyAudit, type Io } from '../apps/kansli/src/cli/audit';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { loadConfig } from '../apps/kansli/src/config';
import { startKansli } from './support/kansli';

function capture(): Io & { out: (line: string) => void; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (line) => stdout.push(line), err: (line) => stderr.push(line), stdout, stderr };
}

/** Runs verify and returns its exit status and its one-line verdict; a stack trace anywhere fails the test. */
async function verify(file: string, key?: string): Promise<{ code: number; verdict: string }> {
  const io = capture();
  const code = await verifyAudit(file, io, { key });
  const all = [...io.stdout, ...io.stderr].join('\n');
  expect(all).not.toMatch(/\n\s+at /);
  return { code, verdict: io.stdout.join('\n') };
}

describe('export and verify, the operator commands', () => {
  const servers: TestServer[] = [];
  let work: string;
  let exportA: string;
  let exportB: string;
  let keyA: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'kansli-audit-cli-'));
    for (const origin of ['kansli.test/a', 'kansli.test/b']) {
      const server = await startKansli({ KANSLI_LOG_ORIGIN: origin });
      servers.push(server);
      await loadMeeting20180614((query, variables) => server.admin.ok(query, variables));
      server.app.get(LogCheckpoints).issue();
    }
    keyA = servers[0].app.get(LogCheckpoints).publicKey;
    exportA = join(work, 'a.jsonl');
    exportB = join(work, 'b.jsonl');
    // While the servers run: the export reads the log as one snapshot.
    await exportAudit(loadConfig({ KANSLI_DATA_DIR: servers[0].dataDir }), exportA, capture());
    await exportAudit(loadConfig({ KANSLI_DATA_DIR: servers[1].dataDir }), exportB, capture());
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('exports the running log and verifies it, with or without the key pinned', async () => {
    const ok = await verify(exportA);
    expect(ok.code).toBe(0);
    expect(ok.verdict).toMatch(new RegExp(`^OK: \\d+ events of kansli\\.test/a and \\d+ checkpoints, every leaf and every signature holds .* Key: ${keyA.replace(/[+/.]/g, '\\$&')}\\.`));
    expect((await verify(exportA, keyA)).code).toBe(0);
    const header = JSON.parse(readFileSync(exportA, 'utf8').split('\n')[0]) as { format: string; origin: string; publicKey: string };
    expect(header).toMatchObject({ format: 'kansli-audit-export/1', origin: 'kansli.test/a', publicKey: keyA });
  });

  it('refuses an export of another log than the key the auditor trusts', async () => {
    const result = await verify(exportB, keyA);
    expect(result.code).toBe(1);
    expect(result.verdict).toMatch(/^FAILED: .*b\.jsonl, line 1: the export names the key kansli\.test\/b\+\S+, not the key you trust/);
  });

  it('says what is wrong with a file that is not JSON, is cut short, or mixes installations, exit 1 and no stack trace', async () => {
    const text = readFileSync(exportA, 'utf8');
    const lines = text.trimEnd().split('\n');
    const cases: Array<[string, string, RegExp]> = [
      ['not-json', 'Hej, det här är ingen export\n', /line 1: the first line is not JSON/],
      ['empty', '', /empty\.jsonl: the file is empty: not an audit export/],
      ['cut-mid-line', text.slice(0, Math.floor(text.length / 2)), /is not JSON \(cut short\?\)|an event line not in the export's layout/],
      ['cut-at-line', `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`, /the export is cut short after \d+ events: it has no end line and the log held \d+/],
      ['two-exports', `${text}${readFileSync(exportB, 'utf8')}`, /a line after the end line: the file was added to/],
      ['other-header', `${lines.slice(0, 3).join('\n')}\n${readFileSync(exportB, 'utf8').split('\n')[0]}\n${lines.slice(3).join('\n')}\n`, /a second export header of kansli\.test\/b: this file mixes exports/],
      ['other-checkpoint', `${lines.slice(0, 5).join('\n')}\n${readFileSync(exportB, 'utf8').split('\n').find((line) => line.startsWith('{"checkpoint"'))}\n${lines.slice(5).join('\n')}\n`, /a checkpoint of kansli\.test\/b, in the export of kansli\.test\/a: this file mixes installations/],
      ['array', '[1,2,3]\n', /the first line is not the header of an audit export/],
    ];
    for (const [name, content, message] of cases) {
      const file = join(work, `${name}.jsonl`);
      writeFileSync(file, content);
      const result = await verify(file);
      expect({ name, code: result.code }).toEqual({ name, code: 1 });
      expect({ name, verdict: result.verdict }).toEqual({ name, verdict: expect.stringMatching(message) });
    }
    await expect(verifyAudit(join(work, 'no-such-file.jsonl'), capture())).rejects.toThrow(new AuditCommandError(`Cannot read ${join(work, 'no-such-file.jsonl')}: ENOENT`));
  });

  it('names the checkpoint and the key when a checkpoint in the export was signed by someone else', async () => {
    const lines = readFileSync(exportA, 'utf8').trimEnd().split('\n');
    const at = lines.findIndex((line) => line.startsWith('{"checkpoint"'));
    const note = (JSON.parse(lines[at]) as { checkpoint: string }).checkpoint;
    lines[at] = JSON.stringify({ checkpoint: signNote(parseNote(note).text, [generateSigner('kansli.test/a')]) });
    const file = join(work, 'foreign.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await verify(file);
    expect(result.code).toBe(1);
    expect(result.verdict).toMatch(new RegExp(`first bad leaf 0\\): the checkpoint of ${readCheckpointNote(note).size} leaves is not signed by the log's key|leaves 0–\\d+, first bad leaf 0: the checkpoint of ${readCheckpointNote(note).size} leaves is not signed by the log's key`));
  });

  it('will not overwrite an existing file, and needs the log key', async () => {
    await expect(exportAudit(loadConfig({ KANSLI_DATA_DIR: servers[0].dataDir }), exportA, capture())).rejects.toThrow(/a\.jsonl exists; give --force to replace it/);
    const empty = mkdtempSync(join(tmpdir(), 'kansli-audit-empty-'));
    try {
      await expect(exportAudit(loadConfig({ KANSLI_DATA_DIR: empty }), join(empty, 'x.jsonl'), capture())).rejects.toThrow(/There is no log key at/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
