import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { BodiesReader } from '@kansli/bodies';
import { DelegationReader } from '@kansli/delegation';
import { DiariumReader, ermsExport, type ErmsExport } from '@kansli/diarium';
import { MeetingsReader } from '@kansli/meetings';
import { loadConfig } from '../config';
import { REPLICA_READ_MODELS } from '../read-models';
import { UsageError } from './usage-error';

export const EXPORT_ERMS_USAGE = `  export-erms --body <id> --year <YYYY> --out <file> [--force]
      The body's year for the archive as CITS ERMS XML (FGS Ärendehantering 2.0, valid against schemas/erms/ERMS.xsd):
      its cases with their documents, its meetings with their decisions, its delegated decisions. Reads the read
      models only, also while the server runs. A year with nothing in it gives a valid export of the empty year.`;

/**
 * `export-erms`: the same export as `GET /export/erms`, from the read models on disk (the embedded database, or this
 * replica's read-models.db), opened read-only. Written beside `--out` and renamed into place.
 */
export function exportErms(args: string[], env: NodeJS.ProcessEnv = process.env, say: (line: string) => void = (line) => console.log(line)): ErmsExport['counts'] {
  const { values } = parseArgs({ args, options: { body: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false } }, strict: true });
  if (!values.body || !/^[0-9a-f-]{36}$/i.test(values.body)) throw new UsageError('--body <id> is required: the id of the body (a UUID)');
  if (!values.year || !/^\d{4}$/.test(values.year)) throw new UsageError('--year <YYYY> is required: the year to export');
  if (!values.out) throw new UsageError('--out <file> is required: where the XML goes');
  if (existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists: give --force to replace it`);
  const config = loadConfig(env);
  const file = config.eventStore.engine === 'sqlite' ? config.eventStore.filename : join(config.dataDir, REPLICA_READ_MODELS);
  if (!existsSync(file)) throw new Error(`There are no read models at ${file}: start the server once`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  let result: ErmsExport;
  try {
    const bodies = new BodiesReader(db);
    const sources = { bodies, meetings: new MeetingsReader(db, (id) => bodies.person(id)?.name), delegation: new DelegationReader(db), diarium: new DiariumReader(db) };
    result = ermsExport(sources, values.body, Number(values.year), new Date().toISOString());
  } catch (error) {
    if (/no such table/.test((error as Error).message)) throw new Error(`The read models in ${file} have no diarium yet: start the server once (it creates them), or run rebuild`);
    throw error;
  } finally {
    db.close();
  }
  const partial = `${values.out}.partial-${process.pid}`;
  try {
    writeFileSync(partial, result.xml);
    renameSync(partial, values.out);
  } finally {
    rmSync(partial, { force: true });
  }
  const { cases, documents, meetings, decisions, delegatedDecisions } = result.counts;
  say(`Wrote ${values.out}: ${cases} cases, ${documents} documents, ${meetings} meetings, ${decisions} decisions, ${delegatedDecisions} delegated decisions (CITS ERMS, ${Buffer.byteLength(result.xml)} bytes).`);
  if (cases + meetings + delegatedDecisions === 0) say(`Nothing was recorded for the body in ${values.year}: the export holds the empty year.`);
  return result.counts;
}
