import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { SIGNING_KEY_FILE, SigningKey } from '@kansli/auth';
import { WEBHOOK_KEY_FILE, WebhookKey } from '@kansli/diarium';
import { LOG_KEY_FILE, loadOrCreateLogSigner } from '@kansli/integrity';
import { openEventStore, SqliteEventStore } from '@kansli/event-store';
import { rebuildEmbeddedReadModels, rebuildReplicaReadModels, type RebuildOptions, type RebuildResult } from '@kansli/projections';
import { ConfigError, loadConfig, type KansliConfig } from '../config';
import { exportAudit, runWitness, verifyAudit, type Io } from './audit';
import { EXPORT_ERMS_USAGE, exportErms } from './export-erms';
import { openReplicaReadModels, readModelProjections, REPLICA_READ_MODELS } from '../read-models';
import { backupDatabase, DatabaseFileError, restoreDatabase } from './database-file';
import { progress } from './progress';
import { tokenOptions } from './token-options';
import { UsageError } from './usage-error';

const USAGE = `Usage: npm run --silent kansli -- <command>
  token --sub <who> --roles <ROLE,ROLE> [--person <personId>] [--ttl <8h>]
      Signs an access token with the embedded key and prints it alone on standard output.
      Roles: ADMIN, SEKRETERARE, LEDAMOT, REVISOR, DIARIUM.
  backup --out <file> [--force]
      A consistent copy of the embedded database, also while the server runs (--force replaces <file>).
  restore --from <file>
      Puts a backup in place of the embedded database; the server must be stopped. The database it replaces
      is kept beside it as <db>.before-restore-<time>.
  rebuild
      Drops every read model and rebuilds it from the log; the server must be stopped.
  export --out <file> [--force]
      The audit export: every event in log order with its leaf hash, every signed checkpoint, the log's origin and
      public key, as JSON Lines. Reads the log only; also while the server runs.
  verify <file> [--key <vkey>]
      Checks an audit export offline (no server, no database): every event against the log's tree, every
      checkpoint's signature and root. Exit 0, or 1 naming the first bad leaf. --key: the log's key you trust.
  witness --state <dir> --url <graphql URL> --key <vkey> [--token <REVISOR token>]
      The auditors' watcher: fetches the latest checkpoint and a consistency proof from the one seen before,
      checks both, keeps and cosigns the new one in <dir>; exit 1 on a fork, a rollback or another key.
  keys
      Creates the keys replicas share, where KANSLI_SECRETS_DIR (else KANSLI_DATA_DIR) points: the tokens' signing
      key, the webhooks' key and the log's key for KANSLI_LOG_ORIGIN; keeps those already there; prints the
      log's public key for the auditors.
${EXPORT_ERMS_USAGE}`;

/** Operator commands, on the store and data folder of the configuration (KANSLI_DATA_DIR, KANSLI_EVENTSTORE). */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'token':
      return token(rest);
    case 'backup':
      return backup(rest);
    case 'restore':
      return restore(rest);
    case 'rebuild':
      return rebuild(rest);
    case 'export':
      return exportCommand(rest);
    case 'verify':
      return verifyCommand(rest);
    case 'witness':
      return witnessCommand(rest);
    case 'keys':
      return keys(rest);
    case 'export-erms':
      exportErms(rest);
      return;
    default:
      throw new UsageError(command ? `Unknown command ${command}` : 'Give a command');
  }
}

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { sub: { type: 'string' }, roles: { type: 'string' }, person: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
    strict: true,
  });
  const { sub, roles, personId, ttlSeconds } = tokenOptions(values);
  const config = loadConfig();
  if (config.auth.mode !== 'embedded') throw new UsageError('Tokens come from the OIDC issuer in this configuration (KANSLI_OIDC_JWKS_URL is set)');
  const key = await SigningKey.loadOrCreate(config.auth.keyFile);
  process.stdout.write(`${await key.sign({ sub, roles, personId }, ttlSeconds)}\n`);
}

/** The keys a server creates on first start, made ahead, so that replicas can be given the same ones. */
async function keys(args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig();
  if (config.auth.mode === 'embedded') await SigningKey.loadOrCreate(config.auth.keyFile);
  WebhookKey.loadOrCreate(config.webhooks.keyFile);
  const signer = loadOrCreateLogSigner(config.log);
  console.log(`Keys in ${dirname(config.webhooks.keyFile)}: ${[config.auth.mode === 'embedded' ? SIGNING_KEY_FILE : undefined, WEBHOOK_KEY_FILE, config.log.key ? undefined : LOG_KEY_FILE].filter(Boolean).join(', ')}.`);
  console.log(`The log's public key (give it to the auditors): ${signer.verifier.encoded}`);
}

async function backup(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, force: { type: 'boolean', default: false } }, strict: true });
  if (!values.out) throw new UsageError('--out <file> is required: where the copy goes');
  const database = embeddedDatabase(loadConfig(), 'backup');
  const result = await backupDatabase(database, values.out, { force: values.force });
  console.log(
    `Backed up ${database} to ${result.file}: ${count(result.events)} events (last position ${count(result.lastPosition)}), ` +
      `${mib(result.bytes)}, in ${seconds(result.seconds)} (integrity_check ok, ${seconds(result.checkSeconds)} of it).`,
  );
}

function restore(args: string[]): void {
  const { values } = parseArgs({ args, options: { from: { type: 'string' } }, strict: true });
  if (!values.from) throw new UsageError('--from <file> is required: the backup to restore');
  const database = embeddedDatabase(loadConfig(), 'restore');
  const result = restoreDatabase(values.from, database);
  console.log(`Restored ${values.from} to ${database}: ${count(result.events)} events (last position ${count(result.lastPosition)}), ${mib(result.bytes)}.`);
  if (result.previous) console.log(`The database it replaced is kept as ${result.previous}.`);
}

async function rebuild(args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig();
  const bar = progress('rebuild');
  const options: RebuildOptions = {
    onProgress: ({ events, position, head, seconds: elapsed }) => {
      const percent = head ? Math.floor(Number((position * 100n) / head)) : undefined;
      bar.update(percent ?? 0, percent === undefined ? undefined : 100, `${count(events)} events${percent === undefined ? '' : ` (${percent} % of the log)`}, ${count(events / elapsed)} events/s`);
    },
  };
  let result: RebuildResult;
  let where: string;
  if (config.eventStore.engine === 'sqlite') {
    where = config.eventStore.filename;
    if (!existsSync(where)) throw new DatabaseFileError(`There is no database at ${where}`);
    const store = new SqliteEventStore({ filename: where });
    try {
      result = await rebuildEmbeddedReadModels(store, where, readModelProjections, options);
    } finally {
      bar.stop();
      await store.close();
    }
  } else {
    where = join(config.dataDir, REPLICA_READ_MODELS);
    const store = openEventStore(config.eventStore);
    const db = openReplicaReadModels(where);
    try {
      result = await rebuildReplicaReadModels(store, db, where, readModelProjections, options);
    } finally {
      bar.stop();
      db.close();
      await store.close();
    }
  }
  const tables = Object.values(result.tables).flat();
  console.log(
    `Rebuilt ${Object.keys(result.tables).join(', ')} (${tables.length} tables) in ${where} from ${count(result.events)} events ` +
      `in ${seconds(result.seconds)} (the durable commit ${seconds(result.commitSeconds)} of it): ` +
      `${count(result.events / Math.max(result.seconds, 1e-9))} events/s; then the WAL folded into the database file in ${seconds(result.checkpointSeconds)}.`,
  );
  if (result.untouchedTables.length > 0) console.log(`Left as they were (no listed projection creates them): ${result.untouchedTables.join(', ')}.`);
  if (result.untouchedCheckpoints.length > 0) console.log(`Checkpoints of projections not listed, left as they were: ${result.untouchedCheckpoints.join(', ')}.`);
}

const io: Io = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), progress: (label) => progress(label) };

async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, force: { type: 'boolean', default: false } }, strict: true });
  if (!values.out) throw new UsageError('--out <file> is required: where the audit export goes');
  await exportAudit(loadConfig(), values.out, io, { force: values.force });
}

async function verifyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: { key: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('verify takes one file: the audit export to check');
  process.exitCode = await verifyAudit(positionals[0], io, { key: values.key });
}

async function witnessCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { state: { type: 'string' }, url: { type: 'string' }, key: { type: 'string' }, token: { type: 'string' }, name: { type: 'string' } }, strict: true });
  if (!values.state || !values.url || !values.key) throw new UsageError('witness needs --state <dir>, --url <graphql URL> and --key <the log\'s verifier key>');
  process.exitCode = await runWitness({ stateDir: values.state, url: values.url, key: values.key, token: values.token ?? process.env.KANSLI_WITNESS_TOKEN, name: values.name }, io);
}

/** The embedded engine's database file; backup and restore do not apply to EventStoreDB. */
function embeddedDatabase(config: KansliConfig, command: string): string {
  if (config.eventStore.engine !== 'sqlite') {
    throw new UsageError(`${command} is for the embedded engine; the log is in EventStoreDB here: use its own backups (a replica's read-models.db is rebuilt with rebuild)`);
  }
  return config.eventStore.filename;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (s: number) => `${s.toFixed(2)} s`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

main(process.argv.slice(2)).catch((error: unknown) => {
  const parseError = String((error as { code?: unknown } | null)?.code).startsWith('ERR_PARSE_ARGS');
  if (error instanceof UsageError || error instanceof ConfigError || parseError) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  // Refusals (the database is in use, a file exists, a check failed) and failures: one line, exit status 1.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
