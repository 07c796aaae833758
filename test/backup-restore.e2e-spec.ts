import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EVENTS_SCHEMA, pragmas, SqliteEventStore } from '@kansli/event-store';
import { DatabaseInUseError, dumpReadModels } from '@kansli/projections';
import { backupDatabase, restoreDatabase } from '../apps/kansli/src/cli/database-file';
import { readModelProjections } from '../apps/kansli/src/read-models';
import { governanceLog } from '../bench/lib/governance-log';

/**
 * Another process writing as the server does: the engine's schema and pragmas (WAL, synchronous=FULL), a few
 * events per transaction with a read-model row counting them in the same transaction, and the position of the
 * last event printed once its commit returned (acknowledged). 20,000 events first, so a copy takes a while.
 */
const WRITER = `
const Database = require('better-sqlite3');
const { randomUUID } = require('node:crypto');
const db = new Database(process.argv[1]);
for (const pragma of JSON.parse(process.env.PRAGMAS)) db.pragma(pragma);
db.exec(process.env.SCHEMA);
db.exec('CREATE TABLE IF NOT EXISTS rm_count (id INTEGER PRIMARY KEY, events INTEGER NOT NULL)');
const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
const count = db.prepare('INSERT INTO rm_count (id, events) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET events = events + excluded.events');
let seq = 0;
const write = db.transaction((n) => {
  let position;
  for (let i = 0; i < n; i++, seq++) {
    const data = JSON.stringify({ seq, title: 'Beslut om årsredovisning', clauses: ['att fastställa årsredovisningen'] });
    position = insert.run('meeting-' + (seq % 50), Math.floor(seq / 50), randomUUID(), 'DecisionTaken', data, '{"occurredAt":"2018-06-14T09:00:00+02:00"}', new Date().toISOString()).lastInsertRowid;
  }
  count.run(n);
  return position;
});
write(20000);
(function loop() {
  process.stdout.write(write(1 + (seq % 5)) + '\\n');
  setImmediate(loop);
})();
`;

/** Starts the writer; `acknowledged()` is the position of the last event it has reported committed. */
function startWriter(filename: string): Promise<{ child: ChildProcessWithoutNullStreams; acknowledged(): number }> {
  const child = spawn(process.execPath, ['-e', WRITER, filename], {
    cwd: process.cwd(),
    env: { ...process.env, SCHEMA: EVENTS_SCHEMA, PRAGMAS: JSON.stringify(pragmas('full')) },
  });
  let last = 0;
  let buffered = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => reject(new Error(chunk.toString())));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      if (lines.length > 0) last = Number(lines[lines.length - 1]);
      if (last > 20_000) resolve({ child, acknowledged: () => last });
    });
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('backup and restore of the embedded database', () => {
  let directory: string;
  let writer: ChildProcessWithoutNullStreams | undefined;
  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'kansli-backup-'))));
  afterEach(async () => {
    if (writer && writer.exitCode === null) {
      const exited = new Promise((resolve) => writer!.once('exit', resolve));
      writer.kill();
      await exited;
    }
    writer = undefined;
    rmSync(directory, { recursive: true, force: true });
  });

  it('backup while another process writes: the copy passes integrity_check and holds every event acknowledged before it began, with the read model of the same commit', async () => {
    const filename = join(directory, 'kansli.db');
    const started = await startWriter(filename);
    writer = started.child;
    const out = join(directory, 'backups', 'kansli-backup.db');
    await expect(backupDatabase(filename, out)).rejects.toThrow('does not exist');
    const backupsDir = join(directory, 'backups');
    mkdirSync(backupsDir);

    const acknowledgedBefore = started.acknowledged();
    const result = await backupDatabase(filename, out);
    const acknowledgedAfter = started.acknowledged();
    await until(() => started.acknowledged() > acknowledgedAfter + 100);

    const copy = new Database(out, { readonly: true });
    const summary = copy.prepare('SELECT count(*) AS events, max(position) AS last FROM events').get() as { events: number; last: number };
    const counted = copy.prepare('SELECT events FROM rm_count').pluck().get() as number;
    const misplaced = copy.prepare("SELECT count(*) FROM events WHERE json_extract(data, '$.seq') != position - 1").pluck().get();
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();

    expect(summary.events).toBeGreaterThanOrEqual(acknowledgedBefore);
    expect(summary.last).toBe(summary.events);
    expect(misplaced).toBe(0);
    expect(counted).toBe(summary.events);
    expect(result).toMatchObject({ events: summary.events, lastPosition: summary.last, file: out });
    expect(readdirSync(backupsDir)).toEqual(['kansli-backup.db']);
    // The writer went on committing while the copy was made.
    expect(acknowledgedAfter).toBeGreaterThan(acknowledgedBefore);

    await expect(backupDatabase(filename, out)).rejects.toThrow('exists; give --force to replace it');
    await until(() => started.acknowledged() > summary.last + 500);
    const replaced = await backupDatabase(filename, out, { force: true });
    expect(replaced.events).toBeGreaterThan(summary.events + 500);
    await expect(backupDatabase(filename, filename, { force: true })).rejects.toThrow('is the database itself');
  });

  it('restore puts the backup’s events and read models in place, keeps the database it replaced, and refuses while the database is open', async () => {
    const filename = join(directory, 'kansli.db');
    const append = async (count: number, seed: number) => {
      const store = new SqliteEventStore({ filename, durability: 'normal' });
      for (const projection of readModelProjections) store.registerInlineProjection(projection);
      await Promise.all([...governanceLog(count, seed)].map(({ stream, id, type, data, metadata }) => store.appendToStream(stream, [{ id, type, data, metadata }])));
      const dump = dumpReadModels(store.database);
      await store.close();
      return dump;
    };
    const atBackup = await append(1500, 1);
    const out = join(directory, 'at-1500.db');
    await backupDatabase(filename, out);
    const later = await append(500, 2);
    expect(later).not.toEqual(atBackup);

    const server = new SqliteEventStore({ filename });
    expect(() => restoreDatabase(out, filename)).toThrow(DatabaseInUseError);
    await server.close();

    const result = restoreDatabase(out, filename, { now: new Date('2026-01-02T03:04:05.678Z') });
    expect(result).toMatchObject({ events: 1500, lastPosition: 1500, previous: `${filename}.before-restore-2026-01-02T03-04-05-678Z` });
    expect(existsSync(`${filename}-wal`)).toBe(false);
    const restored = new Database(filename, { readonly: true });
    expect(dumpReadModels(restored)).toEqual(atBackup);
    expect(restored.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1500);
    restored.close();
    const previous = new Database(result.previous!, { readonly: true });
    expect(previous.prepare('SELECT count(*) FROM events').pluck().get()).toBe(2000);
    previous.close();
  });

  it('restore refuses a file that is not a sound Kansli database and leaves the database as it was', async () => {
    const filename = join(directory, 'kansli.db');
    const db = new Database(filename);
    db.exec(EVENTS_SCHEMA);
    db.close();
    const other = join(directory, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(() => restoreDatabase(other, filename)).toThrow('holds no event log');
    const garbage = join(directory, 'garbage.db');
    writeFileSync(garbage, Buffer.alloc(8192, 7));
    expect(() => restoreDatabase(garbage, filename)).toThrow();
    expect(readdirSync(directory).sort()).toEqual(['garbage.db', 'kansli.db', 'other.db']);
  });
});
