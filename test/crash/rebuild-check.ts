import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KansliProcess, freePort } from './kansli-process';
import type { WriteStream } from 'node:fs';

const DB_FILES = ['kansli.db', 'kansli.db-wal', 'kansli.db-shm', 'signing-key.jwk'];

/** The operator command (`npm run kansli -- rebuild`), compiled beside the server. */
const CLI_MAIN = join(__dirname, '..', '..', 'apps', 'kansli', 'src', 'cli', 'main.js');

/** Copies the database exactly as the kill left it (with its WAL, not yet recovered) into `to`. */
export function copyDatabase(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  for (const file of DB_FILES) if (existsSync(join(from, file))) copyFileSync(join(from, file), join(to, file));
  return to;
}

/** Every table but the log itself: each table's rows as JSON, sorted, so that two dumps compare as text. */
export type Dump = Map<string, string[]>;

/**
 * A stable dump of the read models of an embedded database: every table but `events`, row order ignored.
 * Opening it recovers the WAL left by a kill, as the server's next start would.
 */
export function dumpTables(file: string): Dump {
  const db = new Database(file, { fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'events' ORDER BY name").all() as Array<{ name: string }>;
    const dump: Dump = new Map();
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw().all() as unknown[][];
      dump.set(name, rows.map((row) => JSON.stringify(row)).sort());
    }
    return dump;
  } finally {
    db.close();
  }
}

/** The first difference between two dumps, in words; undefined when they are equal. */
export function compareDumps(original: Dump, rebuilt: Dump): string | undefined {
  const names = [...new Set([...original.keys(), ...rebuilt.keys()])].sort();
  for (const name of names) {
    const a = original.get(name);
    const b = rebuilt.get(name);
    if (!a) return `table ${name} exists only after the rebuild`;
    if (!b) return `table ${name} is missing after the rebuild`;
    const inB = new Set(b);
    const inA = new Set(a);
    const onlyA = a.filter((row) => !inB.has(row));
    const onlyB = b.filter((row) => !inA.has(row));
    if (onlyA.length || onlyB.length || a.length !== b.length) {
      return `${name}: ${a.length} rows as the crash left it, ${b.length} rebuilt; only before: ${onlyA[0]?.slice(0, 200) ?? '-'}; only after: ${onlyB[0]?.slice(0, 200) ?? '-'}`;
    }
  }
  return undefined;
}

export type RebuildTool = 'cli' | 'restart';

/**
 * Rebuilds the read models of the database in `dir` from its log.
 * - `cli`: the operator command `kansli rebuild` (drops and rebuilds every read model).
 * - `restart`, while that command does not exist: drops every table but `events`, empties the projection
 *   checkpoints and starts the server on the copy once; every projection then catches up from the first event,
 *   which is a rebuild by the server's own code.
 */
export async function rebuild(dir: string, log: WriteStream, tool: RebuildTool | undefined): Promise<RebuildTool> {
  if (tool !== 'restart') {
    const result = await run(process.execPath, [CLI_MAIN, 'rebuild'], { ...process.env, KANSLI_DATA_DIR: dir });
    if (result.code === 0) return 'cli';
    if (tool === 'cli' || !/Unknown command/i.test(result.stderr)) throw new Error(`kansli rebuild failed (exit ${result.code}): ${result.stderr.trim().slice(0, 500)}`);
  }
  const db = new Database(join(dir, 'kansli.db'), { fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('events', 'projection_checkpoints')").all() as Array<{ name: string }>;
    for (const { name } of tables) db.exec(`DROP TABLE "${name.replace(/"/g, '""')}"`);
    db.exec('DELETE FROM projection_checkpoints');
  } finally {
    db.close();
  }
  const server = await KansliProcess.start(dir, await freePort(), log);
  await server.stop();
  return 'restart';
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
}
