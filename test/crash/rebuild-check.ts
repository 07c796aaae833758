import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dumpReadModels } from '@kansli/projections';

const DB_FILES = ['kansli.db', 'kansli.db-wal', 'kansli.db-shm'];

/** The operator command (`npm run kansli -- rebuild`), compiled beside the server. */
const CLI_MAIN = join(__dirname, '..', '..', 'apps', 'kansli', 'src', 'cli', 'main.js');

/** Copies the database exactly as the kill left it (with its WAL, not yet recovered) into `to`. */
export function copyDatabase(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  for (const file of DB_FILES) if (existsSync(join(from, file))) copyFileSync(join(from, file), join(to, file));
  return to;
}

/** Each read-model table's schema and rows as text (dumpReadModels), and the projections' checkpoints. */
export type Dump = Map<string, string[]>;

/**
 * The read models of an embedded database as comparable text. Opening it recovers the WAL left by a kill, as the
 * server's next start would. The checkpoints are compared too: after a rebuild they must stand where the
 * inline projections left them, at the last event of the log.
 */
export function dumpTables(file: string): Dump {
  const db = new Database(file, { fileMustExist: true });
  try {
    const dump = readModelTables(db);
    const checkpoints = db.prepare('SELECT name, position FROM projection_checkpoints ORDER BY name').raw().all() as unknown[][];
    dump.set('projection_checkpoints', checkpoints.map((row) => JSON.stringify(row)));
    return dump;
  } finally {
    db.close();
  }
}

/** Every read-model table of `db` (dumpReadModels): its schema, then its rows, as lines of text. */
export function readModelTables(db: Database.Database): Dump {
  return new Map(Object.entries(dumpReadModels(db)).map(([table, { schema, rows }]) => [table, [...schema, ...rows]]));
}

/**
 * The first difference between two dumps, in words; undefined when they are equal. `names` say what each is (by
 * default the read models as the crash left them and rebuilt).
 */
export function compareDumps(original: Dump, rebuilt: Dump, names: [string, string] = ['as the crash left it', 'rebuilt']): string | undefined {
  const tables = [...new Set([...original.keys(), ...rebuilt.keys()])].sort();
  for (const name of tables) {
    const a = original.get(name);
    const b = rebuilt.get(name);
    if (!a) return `table ${name}: missing ${names[0]}`;
    if (!b) return `table ${name}: missing ${names[1]}`;
    const inB = new Set(b);
    const inA = new Set(a);
    const onlyA = a.filter((row) => !inB.has(row));
    const onlyB = b.filter((row) => !inA.has(row));
    if (onlyA.length || onlyB.length || a.length !== b.length) {
      return `${name}: ${a.length} lines ${names[0]}, ${b.length} ${names[1]}; only ${names[0]}: ${onlyA[0]?.slice(0, 200) ?? '-'}; only ${names[1]}: ${onlyB[0]?.slice(0, 200) ?? '-'}`;
    }
  }
  return undefined;
}

/** Rebuilds the read models of the database in `dir` from its log with the operator command `kansli rebuild`. */
export function rebuild(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, 'rebuild'], { env: { ...process.env, KANSLI_DATA_DIR: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`kansli rebuild failed (${code ?? signal}): ${stderr.trim().slice(0, 500)}`));
    });
  });
}
