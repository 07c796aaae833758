import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openEventStore } from '@kansli/event-store';
import { loadOrCreateLogSigner, replicaExportSource, sqliteExportSource, writeAuditExport, type ExportSource } from '@kansli/integrity';
import {
  checkAdvance,
  cosign,
  generateSigner,
  parseSignerKey,
  parseVerifierKey,
  readCheckpointNote,
  SIGNATURE_TYPE_COSIGNATURE,
  verifyAuditExportFile,
  WitnessError,
  type NoteSigner,
  type NoteVerifier,
} from '@kansli/tlog';
import type { KansliConfig } from '../config';
import { openReplicaReadModels, REPLICA_READ_MODELS } from '../read-models';
import { progress, type Progress } from './progress';

/** Where a command writes: its result on standard output, progress and problems on standard error. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** A progress bar on standard error when it is a terminal, else progress lines; without it, lines on `err`. */
  progress?(label: string): Progress;
}

function progressOf(io: Io, label: string): Progress {
  return io.progress?.(label) ?? progress(label, { isTTY: false, write: (text) => (io.err(String(text).trimEnd()), true) });
}

/** A refusal the command explains in one line (exit status 1, no stack trace). */
export class AuditCommandError extends Error {}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * `export --out FILE`: the audit export of the configured log (JSON Lines: header with origin and public key,
 * every event in log order with its recorded leaf hash, every checkpoint, an end line). Written beside FILE and
 * renamed into place once complete. Reads only: an altered database is exported as it lies.
 */
export async function exportAudit(config: KansliConfig, out: string, io: Io, options: { force?: boolean } = {}): Promise<{ events: number; checkpoints: number }> {
  const target = resolve(out);
  if (existsSync(target) && !options.force) throw new AuditCommandError(`${out} exists; give --force to replace it`);
  if (!existsSync(dirname(target))) throw new AuditCommandError(`The folder ${dirname(target)} does not exist`);
  const signer = loadOrCreateLogSigner(config.log, { create: false });
  const partial = join(dirname(target), `.${target.split('/').pop()}.partial-${process.pid}`);
  const started = Date.now();
  const close: Array<() => unknown> = [];
  try {
    let source: ExportSource;
    if (config.eventStore.engine === 'sqlite') {
      if (!existsSync(config.eventStore.filename)) throw new AuditCommandError(`There is no database at ${config.eventStore.filename}`);
      const db = new Database(config.eventStore.filename, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      close.push(() => db.close());
      const sqlite = sqliteExportSource(db);
      close.unshift(() => sqlite.close());
      source = sqlite;
    } else {
      const replicaFile = join(config.dataDir, REPLICA_READ_MODELS);
      if (!existsSync(replicaFile)) throw new AuditCommandError(`There is no replica database at ${replicaFile}: the tree and the checkpoints live there`);
      const store = openEventStore(config.eventStore);
      const replica = openReplicaReadModels(replicaFile);
      close.push(() => store.close(), () => replica.close());
      source = replicaExportSource(store, replica);
    }
    const stream = createWriteStream(partial, { flags: 'wx' });
    const write = (chunk: string) =>
      new Promise<void>((done, fail) => {
        stream.once('error', fail);
        if (stream.write(chunk)) {
          stream.off('error', fail);
          done();
        } else {
          stream.once('drain', () => {
            stream.off('error', fail);
            done();
          });
        }
      });
    const bar = progressOf(io, 'export');
    const result = await writeAuditExport(source, write, {
      origin: signer.name,
      publicKey: signer.verifier.encoded,
      exportedAt: new Date().toISOString(),
      onProgress: (events, of) => bar.update(events, of, `${count(events)} of ${count(of)} events`),
    }).finally(() => bar.stop());
    await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
    renameSync(partial, target);
    io.out(
      `Exported ${count(result.events)} events and ${count(result.checkpoints)} checkpoints of ${signer.name} to ${out} ` +
        `(${(statSync(target).size / 2 ** 20).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(2)} s. Public key: ${signer.verifier.encoded}`,
    );
    return result;
  } finally {
    for (const done of close) await done();
    rmSync(partial, { force: true });
  }
}

/**
 * `verify FILE [--key VKEY]`: checks an audit export offline (no server, no database). 0 when every leaf and every
 * checkpoint holds; 1 naming the first bad leaf and what is wrong.
 */
export async function verifyAudit(file: string, io: Io, options: { key?: string } = {}): Promise<number> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new AuditCommandError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const started = Date.now();
  const bar = progressOf(io, 'verify');
  const report = await verifyAuditExportFile(file, {
    key: options.key,
    onProgress: (events) => bar.update(events, undefined, `${count(events)} events checked, ${count(events / Math.max((Date.now() - started) / 1000, 1e-3))} events/s`),
  }).finally(() => bar.stop());
  const seconds = (Date.now() - started) / 1000;
  if (!report.ok) {
    const { line, leaf, lastLeaf, eventId, message } = report.problem;
    const where = leaf === undefined ? '' : lastLeaf !== undefined && lastLeaf !== leaf ? `leaves ${leaf}–${lastLeaf}, first bad leaf ${leaf}` : `first bad leaf ${leaf}`;
    io.out(`FAILED: ${file}${line > 0 ? `, line ${line}` : ''}${where ? `, ${where}` : ''}${eventId ? ` (event ${eventId})` : ''}: ${message}`);
    return 1;
  }
  const last = report.lastCheckpoint;
  io.out(
    `OK: ${count(report.events)} events of ${report.origin} and ${count(report.checkpoints)} checkpoints, every leaf and every signature holds ` +
      `(${(size / 2 ** 20).toFixed(1)} MiB in ${seconds.toFixed(2)} s, ${count(report.events / Math.max(seconds, 1e-3))} events/s). Key: ${report.publicKey}.` +
      (last ? ` The last checkpoint signs ${count(last.size)} leaves, root ${last.root}.` : ' No checkpoint: nothing is vouched for yet.') +
      (report.unsigned > 0 ? ` ${count(report.unsigned)} events after it are not under a signature yet.` : ''),
  );
  return 0;
}

export interface WitnessOptions {
  stateDir: string;
  /** The server's GraphQL endpoint. */
  url: string;
  /** The log's verifier key the auditors trust (C2SP vkey). */
  key: string;
  /** A bearer token with the REVISOR role. */
  token?: string;
  /** The witness's own name for its cosignatures (default witness.<host>). */
  name?: string;
  now?: () => Date;
}

const STATE_CHECKPOINT = 'checkpoint';
const STATE_COSIGNED = 'checkpoint.cosigned';
const STATE_KEY = 'witness-key';

/**
 * `witness --state DIR --url URL --key VKEY`: the auditors' own watcher. Fetches the log's latest checkpoint and
 * a consistency proof from the one it saw last, checks both against the key it trusts, stores the new one, and
 * cosigns it (C2SP tlog-cosignature, with its own key kept in DIR). Fails loudly, and keeps what it saw before,
 * on a fork, a rollback or a signature from another key. Exit 0 or 1.
 */
export async function runWitness(options: WitnessOptions, io: Io, fetchImpl: typeof fetch = fetch): Promise<number> {
  let log: NoteVerifier;
  try {
    log = parseVerifierKey(options.key);
  } catch (error) {
    throw new AuditCommandError(`--key: ${(error as Error).message}`);
  }
  mkdirSync(options.stateDir, { recursive: true });
  const witness = witnessKey(options.stateDir, options.name ?? `witness.${hostname().toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}`);
  const previousFile = join(options.stateDir, STATE_CHECKPOINT);
  const previous = existsSync(previousFile) ? readFileSync(previousFile, 'utf8') : undefined;
  const ask = graphql(options.url, options.token, fetchImpl);

  const { integrity } = await ask<{ integrity: { checkpoint: string; publicKey: string } }>('{ integrity { checkpoint publicKey } }');
  if (!integrity.checkpoint) {
    io.out('The log has no checkpoint yet: nothing to witness.');
    return 0;
  }
  if (integrity.publicKey !== log.encoded) io.err(`witness: the server now names the key ${integrity.publicKey}, not the one you trust (${log.encoded})`);
  let proof: Buffer[] = [];
  const from = previous === undefined ? undefined : readCheckpointNote(previous).size;
  let to: number;
  try {
    to = readCheckpointNote(integrity.checkpoint).size;
  } catch (error) {
    io.out(`REFUSED (signature): the log's latest checkpoint is not a checkpoint: ${(error as Error).message}`);
    return 1;
  }
  if (from !== undefined && from < to) {
    const answer = await ask<{ consistencyProof: string[] }>('query($from: Int!, $to: Int) { consistencyProof(fromSize: $from, toSize: $to) }', { from, to });
    proof = answer.consistencyProof.map((hash) => Buffer.from(hash, 'base64'));
  }
  let advance;
  try {
    advance = checkAdvance(log, previous, integrity.checkpoint, proof);
  } catch (error) {
    if (!(error instanceof WitnessError)) throw error;
    io.out(`REFUSED (${error.refusal}): ${error.message}. The checkpoint seen before is kept in ${previousFile}.`);
    return 1;
  }
  const cosigned = cosign(integrity.checkpoint, witness, Math.floor((options.now?.() ?? new Date()).getTime() / 1000));
  writeAtomically(previousFile, integrity.checkpoint);
  writeAtomically(join(options.stateDir, STATE_COSIGNED), cosigned);
  io.out(
    advance.from
      ? `OK: ${advance.to.origin} grew from ${count(advance.from.size)} to ${count(advance.to.size)} leaves, consistently; cosigned by ${witness.name}.`
      : `OK: first checkpoint of ${advance.to.origin} seen, ${count(advance.to.size)} leaves; cosigned by ${witness.name} (its key: ${witness.verifier.encoded}).`,
  );
  return 0;
}

/** The witness's cosigning key (Ed25519, signature type 0x04), created in its state folder on first run. */
function witnessKey(stateDir: string, name: string): NoteSigner {
  const file = join(stateDir, STATE_KEY);
  if (!existsSync(file)) writeFileSync(file, `${generateSigner(name, SIGNATURE_TYPE_COSIGNATURE).encoded}\n`, { mode: 0o600, flag: 'wx' });
  return parseSignerKey(readFileSync(file, 'utf8'));
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function graphql(url: string, token: string | undefined, fetchImpl: typeof fetch) {
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new AuditCommandError(`Cannot reach ${url}: ${(error as Error).message}`);
    }
    let body: { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new AuditCommandError(`${url} answered ${response.status} with something that is not GraphQL`);
    }
    if (body.errors?.length) throw new AuditCommandError(`${url}: ${body.errors[0].extensions?.code ?? 'ERROR'} ${body.errors[0].message}`);
    if (!body.data) throw new AuditCommandError(`${url} answered ${response.status} without data`);
    return body.data;
  };
}
