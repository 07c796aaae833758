import { closeSync, constants, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { lockExclusively } from '@kansli/projections';

/** What a copy of the event database holds. */
export interface DatabaseSummary {
  events: number;
  /** Position of the last event (0 when there is none). */
  lastPosition: number;
  bytes: number;
}

export interface BackupResult extends DatabaseSummary {
  file: string;
  /** Copying, checking, syncing and renaming into place. */
  seconds: number;
  /** Of `seconds`, checking the copy (`PRAGMA integrity_check`, counting its events). */
  checkSeconds: number;
}

export class DatabaseFileError extends Error {}

/**
 * A consistent copy of the embedded engine's database while the server keeps writing: SQLite's online backup,
 * all pages in one step, so the copy is the database as of one commit, with every event acknowledged before
 * it began (and the read models that go with them). The copy is written beside `out`, checked with
 * `PRAGMA integrity_check`, synced, and only then renamed to `out`: a failed or killed backup never leaves a
 * file at `out`. An existing `out` is replaced only with `force`.
 */
export async function backupDatabase(source: string, out: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  const target = resolve(out);
  if (!existsSync(source)) throw new DatabaseFileError(`There is no database at ${source}`);
  if (existsSync(target)) {
    if (!options.force) throw new DatabaseFileError(`${out} exists; give --force to replace it`);
    if (sameFile(source, target)) throw new DatabaseFileError(`${out} is the database itself`);
  }
  if (!existsSync(dirname(target))) throw new DatabaseFileError(`The folder ${dirname(target)} does not exist`);
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  const started = process.hrtime.bigint();
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // One step holds one read transaction for the whole copy: a consistent snapshot. Steps of a few pages
    // would restart from the beginning at every commit of the server and might never finish.
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    removeDatabase(partial);
    throw error;
  } finally {
    db.close();
  }
  const copied = Date.now();
  let summary: DatabaseSummary;
  try {
    summary = checkDatabase(partial, { journal: 'DELETE' });
    syncFile(partial);
    removeDatabase(target, { sidecarsOnly: true });
    renameSync(partial, target);
    syncFile(dirname(target));
  } catch (error) {
    removeDatabase(partial);
    throw error;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...summary, bytes: statSync(target).size, file: target, seconds, checkSeconds: (Date.now() - copied) / 1000 };
}

export interface RestoreResult extends DatabaseSummary {
  /** Where the database that was replaced now is (undefined when there was none). */
  previous?: string;
}

/**
 * Puts a backup in place of the database: refuses while a server has the database open, copies the backup
 * beside it, checks the copy (`PRAGMA integrity_check`, an event log in it), moves the current database aside
 * (`<db>.before-restore-<time>`, kept) and renames the copy into place. The read models come with the backup:
 * they are those of the same moment.
 */
export function restoreDatabase(backup: string, database: string, options: { now?: Date } = {}): RestoreResult {
  if (!existsSync(backup)) throw new DatabaseFileError(`There is no backup at ${backup}`);
  if (existsSync(database) && sameFile(backup, database)) throw new DatabaseFileError(`${backup} is the database itself`);
  if (existsSync(`${backup}-wal`)) {
    throw new DatabaseFileError(`${backup}-wal exists: the backup is open in a process, or was left so; open and close it with sqlite3 first`);
  }
  if (existsSync(database)) assertNotInUse(database);
  const incoming = join(dirname(resolve(database)), `.${basename(database)}.restoring-${process.pid}`);
  let summary: DatabaseSummary;
  try {
    copyFileSync(backup, incoming, constants.COPYFILE_EXCL);
    summary = checkDatabase(incoming);
    syncFile(incoming);
  } catch (error) {
    removeDatabase(incoming);
    throw error;
  }
  let previous: string | undefined;
  if (existsSync(database)) {
    // Closing cleanly folded the WAL into the file and removed it; anything beside it now is another process's.
    if (existsSync(`${database}-wal`)) {
      removeDatabase(incoming);
      throw new DatabaseFileError(`${database}-wal appeared: a process opened the database meanwhile; stop it and retry`);
    }
    previous = `${database}.before-restore-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(database, previous);
  }
  removeDatabase(database, { sidecarsOnly: true });
  renameSync(incoming, database);
  syncFile(dirname(resolve(database)));
  return { ...summary, bytes: statSync(database).size, previous };
}

/** Refuses (DatabaseInUseError) while another process has the database open; leaves it closed. */
function assertNotInUse(filename: string): void {
  const db = new Database(filename, { fileMustExist: true });
  try {
    lockExclusively(db, filename);
    db.exec('ROLLBACK');
  } finally {
    db.close();
  }
}

/**
 * Opens the copy, checks it, counts its events and closes it (which removes its WAL). A backup is left in
 * rollback-journal mode: one self-contained file that opens read-only without leaving files beside it; the
 * server puts it back in WAL mode when it opens it after a restore.
 */
function checkDatabase(filename: string, options: { journal?: 'DELETE' } = {}): DatabaseSummary {
  const db = new Database(filename, { fileMustExist: true });
  try {
    const result = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    if (result.length !== 1 || result[0].integrity_check !== 'ok') {
      throw new DatabaseFileError(`The copy failed PRAGMA integrity_check: ${result.slice(0, 5).map((row) => row.integrity_check).join('; ')}`);
    }
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (!hasLog) throw new DatabaseFileError(`${filename} holds no event log (no events table)`);
    const { events, lastPosition } = db.prepare('SELECT count(*) AS events, coalesce(max(position), 0) AS lastPosition FROM events').get() as DatabaseSummary;
    if (options.journal) db.pragma(`journal_mode = ${options.journal}`);
    return { events, lastPosition, bytes: 0 };
  } finally {
    db.close();
  }
}

function sameFile(a: string, b: string): boolean {
  const [x, y] = [statSync(a), statSync(b)];
  return x.dev === y.dev && x.ino === y.ino;
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeDatabase(filename: string, options: { sidecarsOnly?: boolean } = {}): void {
  for (const suffix of options.sidecarsOnly ? ['-wal', '-shm'] : ['', '-wal', '-shm', '-journal']) rmSync(filename + suffix, { force: true });
}
