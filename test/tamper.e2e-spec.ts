import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@kansli/event-store';
import { LogCheckpoints, LOG_KEY_FILE } from '@kansli/integrity';
import {
  canonicalJson,
  checkpointText,
  eventLeafHash,
  generateSigner,
  leafHash,
  parseNote,
  readCheckpointNote,
  signNote,
  TreeBuilder,
  verifyAuditExport,
  type VerifyProblem,
} from '@kansli/tlog';
import { exportAudit, verifyAudit, type Io } from '../apps/kansli/src/cli/audit';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { loadMeeting20200611 } from '../apps/kansli/src/cli/demo-2020-06-11';
import { loadConfig } from '../apps/kansli/src/config';
import { startKansli } from './support/kansli';

// 100 random tamperings of a copy of a real database and 100 of its audit export: verify catches every one and
// names the first bad leaf; the untouched copies pass. TAMPER_SEED replays a run (the seed is printed).
const SEED = Number(process.env.TAMPER_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TRIALS = 100;

/** A small deterministic generator (mulberry32), so that a failing seed can be replayed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (below: number) => Math.floor(next() * below), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] };
}
type Random = ReturnType<typeof prng>;

const KINDS = ['flip-data', 'flip-metadata', 'change-date', 'delete', 'insert', 'swap', 'rewrite-recompute', 'foreign-checkpoint', 'truncate'] as const;
type Kind = (typeof KINDS)[number];
/** What the tamperer expects verify to name: the first bad leaf, or (when only signatures can tell) a range. */
type Expectation = { kind: Kind; detail: string; leaf: number; within?: number };

const silent: Io = { out: () => undefined, err: () => undefined };

async function verifyFile(file: string): Promise<VerifyProblem | undefined> {
  const report = await verifyAuditExport((async function* () { yield readFileSync(file); })());
  return report.ok ? undefined : report.problem;
}

function expectCaught(problem: VerifyProblem | undefined, expected: Expectation): void {
  const seen = { ...expected, problem };
  expect(seen.problem).toBeDefined();
  if (expected.within === undefined) expect({ ...seen, leaf: problem!.leaf }).toEqual({ ...seen, leaf: expected.leaf });
  else {
    // A rewrite with the tree recomputed, or a foreign signature: only the signed checkpoints can tell, so verify
    // names the leaves after the last checkpoint that holds, and the change is among them.
    expect({ ...seen, leaf: problem!.leaf }).toEqual({ ...seen, leaf: expected.leaf });
    expect({ ...seen, covers: (problem!.lastLeaf ?? problem!.leaf!) >= expected.within }).toEqual({ ...seen, covers: true });
  }
}

describe('tampering: verify catches every change to a real database and to its export, and names the first bad leaf', () => {
  let work: string;
  let pristineDir: string;
  let checkpointSizes: number[];
  let events: number;

  beforeAll(async () => {
    console.log(`tamper tests: seed ${SEED} (replay with TAMPER_SEED=${SEED})`);
    work = mkdtempSync(join(tmpdir(), 'kansli-tamper-'));
    const server = await startKansli({ KANSLI_LOG_ORIGIN: 'kansli.test/tamper', KANSLI_CHECKPOINT_INTERVAL_MS: '3600000' });
    const checkpoints = server.app.get(LogCheckpoints);
    let mutations = 0;
    // Checkpoints spread over the log, as the timer and the justeringar spread them on a live server.
    const send = async <T,>(query: string, variables?: Record<string, unknown>): Promise<T> => {
      const result = await server.admin.ok<T>(query, variables);
      if (++mutations % 5 === 0) checkpoints.issue();
      return result;
    };
    const { bodyId } = await loadMeeting20180614(send);
    await loadMeeting20200611(send, bodyId);
    checkpoints.issue();
    pristineDir = join(work, 'pristine');
    mkdirSync(pristineDir);
    await server.app.close();
    const db = new Database(join(server.dataDir, 'kansli.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    checkpointSizes = db.prepare('SELECT size FROM log_checkpoints ORDER BY size').pluck().all() as number[];
    db.close();
    copyFileSync(join(server.dataDir, 'kansli.db'), join(pristineDir, 'kansli.db'));
    copyFileSync(join(server.dataDir, LOG_KEY_FILE), join(pristineDir, LOG_KEY_FILE));
    rmSync(server.dataDir, { recursive: true, force: true });
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** The size of the last checkpoint at or below `leaf`: the leaves before it stay vouched for. */
  const vouchedBefore = (leaf: number) => Math.max(0, ...checkpointSizes.filter((size) => size <= leaf));

  it('passes the untouched database and its export (no false alarm)', async () => {
    expect(events).toBeGreaterThan(60);
    expect(checkpointSizes.length).toBeGreaterThan(5);
    expect(checkpointSizes[checkpointSizes.length - 1]).toBe(events);
    const file = join(work, 'pristine.jsonl');
    const output: string[] = [];
    await exportAudit(loadConfig({ KANSLI_DATA_DIR: pristineDir }), file, silent);
    expect(await verifyAudit(file, { out: (line) => output.push(line), err: () => undefined })).toBe(0);
    expect(output.join('\n')).toMatch(new RegExp(`^OK: ${events} events of kansli\\.test/tamper and ${checkpointSizes.length} checkpoints`));
  });

  it(`catches ${TRIALS} of ${TRIALS} random tamperings of a copy of the database`, async () => {
    const random = prng(SEED);
    const caught: Kind[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = join(work, `db-${trial}`);
      mkdirSync(dir);
      copyFileSync(join(pristineDir, 'kansli.db'), join(dir, 'kansli.db'));
      copyFileSync(join(pristineDir, LOG_KEY_FILE), join(dir, LOG_KEY_FILE));
      const expected = await tamperDatabase(join(dir, 'kansli.db'), random.pick(KINDS), random);
      const file = join(dir, 'export.jsonl');
      await exportAudit(loadConfig({ KANSLI_DATA_DIR: dir }), file, silent);
      const problem = await verifyFile(file);
      expectCaught(problem, expected);
      caught.push(expected.kind);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(caught).toHaveLength(TRIALS);
    console.log(`database tamperings caught: ${Object.entries(tally(caught)).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  }, 120_000);

  it(`catches ${TRIALS} of ${TRIALS} random tamperings of a copy of the export`, async () => {
    const file = join(work, 'base.jsonl');
    await exportAudit(loadConfig({ KANSLI_DATA_DIR: pristineDir }), file, silent);
    const original = readFileSync(file, 'utf8').trimEnd().split('\n');
    const random = prng(SEED + 1);
    const caught: Kind[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const copy: Array<string | Buffer> = original.slice();
      const expected = tamperExport(copy, random.pick(KINDS), random);
      const tampered = join(work, `export-${trial}.jsonl`);
      writeFileSync(tampered, Buffer.concat(copy.flatMap((line) => [Buffer.from(line), Buffer.from('\n')])));
      expectCaught(await verifyFile(tampered), expected);
      caught.push(expected.kind);
      rmSync(tampered);
    }
    expect(caught).toHaveLength(TRIALS);
    console.log(`export tamperings caught: ${Object.entries(tally(caught)).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  }, 60_000);

  function tally(kinds: Kind[]): Record<string, number> {
    return kinds.reduce<Record<string, number>>((counts, kind) => ({ ...counts, [kind]: (counts[kind] ?? 0) + 1 }), {});
  }

  /** Alters the database behind the store's back (its append-only triggers dropped, as an intruder would). */
  async function tamperDatabase(file: string, kind: Kind, random: Random): Promise<Expectation> {
    const db = new Database(file);
    try {
      db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete');
      const position = 1 + random.int(events - 1);
      const leaf = position - 1;
      const row = db.prepare('SELECT * FROM events WHERE position = ?').get(position) as Record<string, string | number>;
      switch (kind) {
        case 'flip-data':
        case 'flip-metadata': {
          const column = kind === 'flip-data' ? 'data' : 'metadata';
          const text = String(row[column]);
          const at = random.int(text.length);
          const replacement = String.fromCharCode(text.charCodeAt(at) ^ (1 + random.int(30)));
          db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(text.slice(0, at) + replacement + text.slice(at + 1), position);
          return { kind, detail: `${column} of position ${position}, character ${at}`, leaf };
        }
        case 'change-date': {
          if (random.next() < 0.5) {
            db.prepare('UPDATE events SET recorded_at = ? WHERE position = ?').run(new Date(Date.parse(String(row.recorded_at)) - 86_400_000 * (1 + random.int(400))).toISOString(), position);
            return { kind, detail: `recordedAt of position ${position}`, leaf };
          }
          const metadata = JSON.parse(String(row.metadata)) as { occurredAt: string };
          metadata.occurredAt = '2018-06-13T09:00:00+02:00';
          db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(canonicalJson(metadata), position);
          return { kind, detail: `occurredAt of position ${position}`, leaf };
        }
        case 'delete':
          db.prepare('DELETE FROM events WHERE position = ?').run(position);
          return { kind, detail: `position ${position}`, leaf };
        case 'insert': {
          // Make room by moving the later events one place up, then put a forged event in the hole.
          db.prepare('UPDATE events SET position = -position - 1 WHERE position >= ?').run(position);
          db.prepare('UPDATE events SET position = -position WHERE position < 0').run();
          db.prepare('INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
            position, `meeting-${randomUUID()}`, 0, randomUUID(), 'DecisionTaken', '{"title":"Beslut som aldrig fattades"}', String(row.metadata), String(row.recorded_at),
          );
          return { kind, detail: `before position ${position}`, leaf };
        }
        case 'swap': {
          const other = position + 1 + random.int(events - position);
          const second = db.prepare('SELECT * FROM events WHERE position = ?').get(other) as Record<string, string | number>;
          db.prepare('DELETE FROM events WHERE position IN (?, ?)').run(position, other);
          const insert = db.prepare('INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
          insert.run(position, second.stream_id, second.revision, second.event_id, second.type, second.data, second.metadata, second.recorded_at);
          insert.run(other, row.stream_id, row.revision, row.event_id, row.type, row.data, row.metadata, row.recorded_at);
          return { kind, detail: `positions ${position} and ${other}`, leaf };
        }
        case 'rewrite-recompute': {
          const data = JSON.parse(String(row.data)) as Record<string, unknown>;
          data.title = 'Omskriven i efterhand';
          db.prepare('UPDATE events SET data = ? WHERE position = ?').run(canonicalJson(data), position);
          // The tree recomputed from the rewritten events, as the engine would build it...
          db.exec('DELETE FROM log_tree_tiles');
          db.close();
          await new SqliteEventStore({ filename: file, durability: 'normal' }).close();
          const again = new Database(file);
          if (random.next() < 0.5) {
            // ...and new checkpoints of the rewritten tree, with signatures that do not verify (no key).
            const reopened = new SqliteEventStore({ filename: file, durability: 'normal' });
            const rows = again.prepare('SELECT size, note FROM log_checkpoints WHERE size > ?').all(leaf) as Array<{ size: number; note: string }>;
            for (const { size, note } of rows) {
              const root = reopened.logTree!.root(size);
              const text = checkpointText({ origin: readCheckpointNote(note).origin, size, root });
              const oldSignature = parseNote(note).signatures[0].line;
              again.prepare('UPDATE log_checkpoints SET root = ?, note = ? WHERE size = ?').run(root, `${text}\n${oldSignature}\n`, size);
            }
            await reopened.close();
          }
          again.close();
          return { kind, detail: `position ${position}, tree recomputed`, leaf: vouchedBefore(leaf), within: leaf };
        }
        case 'foreign-checkpoint': {
          const index = random.int(checkpointSizes.length);
          const size = checkpointSizes[index];
          const note = db.prepare('SELECT note FROM log_checkpoints WHERE size = ?').pluck().get(size) as string;
          const text = parseNote(note).text;
          const intruder = generateSigner(readCheckpointNote(note).origin);
          db.prepare('UPDATE log_checkpoints SET note = ? WHERE size = ?').run(signNote(text, [intruder]), size);
          return { kind, detail: `checkpoint of ${size} leaves`, leaf: index === 0 ? 0 : checkpointSizes[index - 1], within: size - 1 };
        }
        case 'truncate': {
          // Cut the log at a place some checkpoint has signed beyond.
          const keep = random.int(checkpointSizes[checkpointSizes.length - 1]);
          db.prepare('DELETE FROM events WHERE position > ?').run(keep);
          return { kind, detail: `log cut to ${keep} events`, leaf: keep };
        }
      }
      throw new Error(`no tampering ${String(kind)}`);
    } finally {
      if (db.open) db.close();
    }
  }

  /** Alters the lines of an export as an intruder with a text editor would (a flipped byte leaves a line as bytes). */
  function tamperExport(copy: Array<string | Buffer>, kind: Kind, random: Random): Expectation {
    const text = (index: number) => copy[index].toString();
    const lineOf = (leaf: number) => copy.findIndex((line) => line.toString().startsWith(`{"leaf":${leaf},`));
    const leaf = random.int(events);
    const at = lineOf(leaf);
    const parsed = JSON.parse(text(at)) as { leaf: number; hash: string; event: Record<string, unknown> };
    const rewrite = (event: Record<string, unknown>, hash = parsed.hash) => `{"leaf":${parsed.leaf},"hash":"${hash}","event":${canonicalJson(event)}}`;
    switch (kind) {
      case 'flip-data':
      case 'flip-metadata': {
        const bytes = Buffer.from(text(at));
        const event = parsed.event;
        const head = Buffer.byteLength(`{"leaf":${parsed.leaf},"hash":"${parsed.hash}","event":{"data":`);
        const dataBytes = Buffer.byteLength(canonicalJson(event.data));
        const metadataStart = head + dataBytes + Buffer.byteLength(`,"id":${JSON.stringify(event.id)},"metadata":`);
        const [from, length] = kind === 'flip-data' ? [head, dataBytes] : [metadataStart, Buffer.byteLength(canonicalJson(event.metadata))];
        const offset = from + random.int(length);
        bytes[offset] ^= 1 << random.int(7);
        copy[at] = bytes;
        return { kind, detail: `byte ${offset} of leaf ${leaf}`, leaf };
      }
      case 'change-date': {
        const event = { ...parsed.event, recordedAt: new Date(Date.parse(String(parsed.event.recordedAt)) + 3_600_000).toISOString() };
        copy[at] = rewrite(event);
        return { kind, detail: `recordedAt of leaf ${leaf}`, leaf };
      }
      case 'delete':
        copy.splice(at, 1);
        return { kind, detail: `leaf ${leaf}`, leaf };
      case 'insert': {
        const forged = { ...parsed.event, id: randomUUID(), data: { title: 'Beslut som aldrig fattades' } };
        copy.splice(at, 0, `{"leaf":${leaf},"hash":"${leafHash(canonicalJson(forged)).toString('base64')}","event":${canonicalJson(forged)}}`);
        return { kind, detail: `before leaf ${leaf}`, leaf };
      }
      case 'swap': {
        const other = leaf + 1 + random.int(events - leaf - 1 || 1);
        if (other >= events) {
          copy[at] = rewrite({ ...parsed.event, revision: Number(parsed.event.revision) + 1 });
          return { kind, detail: `revision of leaf ${leaf}`, leaf };
        }
        const otherAt = lineOf(other);
        if (random.next() < 0.5) [copy[at], copy[otherAt]] = [copy[otherAt], copy[at]];
        else {
          const second = JSON.parse(text(otherAt)) as typeof parsed;
          copy[at] = rewrite(second.event);
          copy[otherAt] = `{"leaf":${second.leaf},"hash":"${second.hash}","event":${canonicalJson(parsed.event)}}`;
        }
        return { kind, detail: `leaves ${leaf} and ${other}`, leaf };
      }
      case 'rewrite-recompute': {
        // The event rewritten, its hash recomputed, and every later checkpoint given the new root, but signed
        // by no one who holds the log's key.
        const event = { ...parsed.event, data: { ...(parsed.event.data as object), title: 'Omskriven i efterhand' } };
        copy[at] = rewrite(event, eventLeafHash(event as never).toString('base64'));
        const builder = new TreeBuilder();
        for (let index = 0; index < copy.length; index++) {
          const line = text(index);
          if (line.startsWith('{"leaf":')) builder.append(Buffer.from((JSON.parse(line) as { hash: string }).hash, 'base64'));
          else if (line.startsWith('{"checkpoint":')) {
            const note = (JSON.parse(line) as { checkpoint: string }).checkpoint;
            const claimed = readCheckpointNote(note);
            if (claimed.size <= leaf) continue;
            const text = checkpointText({ ...claimed, root: builder.root() });
            copy[index] = JSON.stringify({ checkpoint: `${text}\n${parseNote(note).signatures[0].line}\n` });
          }
        }
        return { kind, detail: `leaf ${leaf}, tree recomputed`, leaf: vouchedBefore(leaf), within: leaf };
      }
      case 'foreign-checkpoint': {
        const index = random.int(checkpointSizes.length);
        const size = checkpointSizes[index];
        const checkpointAt = copy.findIndex((line) => line.toString().startsWith('{"checkpoint":') && readCheckpointNote((JSON.parse(line.toString()) as { checkpoint: string }).checkpoint).size === size);
        const note = (JSON.parse(text(checkpointAt)) as { checkpoint: string }).checkpoint;
        const intruder = generateSigner(readCheckpointNote(note).origin);
        copy[checkpointAt] = JSON.stringify({ checkpoint: signNote(parseNote(note).text, [intruder]) });
        return { kind, detail: `checkpoint of ${size} leaves`, leaf: index === 0 ? 0 : checkpointSizes[index - 1], within: size - 1 };
      }
      case 'truncate': {
        const keep = random.int(checkpointSizes[checkpointSizes.length - 1]);
        for (let index = copy.length - 1; index > 0; index--) {
          const match = /^\{"leaf":(\d+),/.exec(text(index));
          if (match && Number(match[1]) >= keep) copy.splice(index, 1);
        }
        copy[copy.length - 1] = JSON.stringify({ end: { events: keep, checkpoints: checkpointSizes.length } });
        return { kind, detail: `cut to ${keep} events`, leaf: keep };
      }
    }
    throw new Error(`no tampering ${String(kind)}`);
  }
});
