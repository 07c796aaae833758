import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointLine, endLine, eventLine, headerLine, verifyAuditExport, verifyAuditExportFile } from './audit-export';
import { signCheckpoint } from './checkpoint';
import { eventLeafHash, eventLeafJson } from './event-leaf';
import { TreeBuilder } from './merkle';
import { generateSigner } from './signed-note';

const signer = generateSigner('kansli.test/unit');
const events = Array.from({ length: 25 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  stream: `meeting-${i % 3}`,
  revision: Math.floor(i / 3),
  type: 'DecisionTaken',
  data: { paragraph: i, title: `§ ${i} – Årsredovisning` },
  metadata: { occurredAt: '2018-06-14T09:00:00+02:00', actor: 'sekreterare' },
  recordedAt: '2018-06-14T07:00:00.000Z',
}));

/** An export of the events, signed at the given sizes. */
function exportOf(signedAt: number[]): string[] {
  const builder = new TreeBuilder();
  const out = [headerLine({ origin: signer.name, publicKey: signer.verifier.encoded, treeSize: events.length, exportedAt: '2018-06-15T00:00:00Z' })];
  events.forEach((event, index) => {
    builder.append(eventLeafHash(event));
    out.push(eventLine(index, eventLeafHash(event), eventLeafJson(event)));
    if (signedAt.includes(index + 1)) out.push(checkpointLine(signCheckpoint({ origin: signer.name, size: index + 1, root: builder.root() }, signer)));
  });
  out.push(endLine(events.length, signedAt.length));
  return out;
}

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('verifyAuditExport', () => {
  it('holds for an intact export read in chunks of any size, says how many events are not yet signed, and reports progress', async () => {
    const text = `${exportOf([10, 20]).join('\n')}\n`;
    for (const size of [1, 7, 4096]) {
      const progress: number[] = [];
      const report = await verifyAuditExport(chunks(text, size), { onProgress: (n) => progress.push(n), progressEvery: 10 });
      expect(report).toMatchObject({ ok: true, events: 25, checkpoints: 2, unsigned: 5, lastCheckpoint: { size: 20 } });
      expect(progress).toEqual([10, 20]);
    }
  });

  it('names the first bad leaf of a changed event, with its id', async () => {
    const changed = exportOf([10, 20]);
    expect(changed[14]).toContain('§ 12 – Årsredovisning');
    changed[14] = changed[14].replace('§ 12 – Årsredovisning', '§ 12 – Årsredovisningen');
    const report = await verifyAuditExport(chunks(`${changed.join('\n')}\n`, 100));
    expect(report).toEqual({ ok: false, problem: expect.objectContaining({ line: 15, leaf: 12, eventId: events[12].id }) });
  });
});

describe('verifyAuditExportFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kansli-verify-file-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the report of the one-thread check with the leaf hashes on a worker, lines spanning chunks included', async () => {
    const intact = `${exportOf([10, 20]).join('\n')}\n`;
    const changed = exportOf([10, 20]);
    changed[14] = changed[14].replace('§ 12 – Årsredovisning', '§ 12 – Årsredovisningen');
    const moved = exportOf([10, 20]);
    [moved[3], moved[4]] = [moved[4], moved[3]];
    for (const [name, text] of [['intact', intact], ['changed', `${changed.join('\n')}\n`], ['moved', `${moved.join('\n')}\n`], ['cut', intact.slice(0, -300)]]) {
      const file = join(dir, `${name}.jsonl`);
      writeFileSync(file, text);
      const single = await verifyAuditExport(chunks(text, 1 << 20));
      for (const chunkBytes of [333, 1000, 1 << 20]) {
        expect({ name, chunkBytes, report: await verifyAuditExportFile(file, { parallelAbove: 0, chunkBytes }) }).toEqual({ name, chunkBytes, report: single });
      }
    }
  });
});
