import { parseArgs } from 'node:util';
import { isRole, parseTtl, SigningKey, type Role } from '@kansli/auth';
import { ConfigError, loadConfig } from '../config';

const USAGE = `Usage: npm run --silent kansli -- token --sub <who> --roles <ROLE,ROLE> [--person <personId>] [--ttl <8h>]
Roles: ADMIN, SEKRETERARE, LEDAMOT, REVISOR, DIARIUM. Prints the token alone on standard output.`;

/** Operator commands. `token` signs an access token with the embedded key of KANSLI_DATA_DIR. */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'token') throw new UsageError(command ? `Unknown command ${command}` : 'Give a command');
  const { values } = parseArgs({
    args: rest,
    options: { sub: { type: 'string' }, roles: { type: 'string' }, person: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
    strict: true,
  });
  if (!values.sub || !/^[\w.@:-]{1,200}$/.test(values.sub)) throw new UsageError('--sub is required: who the token is for (letters, digits, . _ @ : -)');
  const roles = (values.roles ?? '').split(',').map((role) => role.trim()).filter(Boolean);
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) throw new UsageError(`--roles needs one or more of ADMIN, SEKRETERARE, LEDAMOT, REVISOR, DIARIUM${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
  if (values.person !== undefined && !/^[0-9a-f-]{36}$/i.test(values.person)) throw new UsageError('--person must be a person id (a UUID)');
  const config = loadConfig();
  if (config.auth.mode !== 'embedded') throw new UsageError('Tokens come from the OIDC issuer in this configuration (KANSLI_OIDC_JWKS_URL is set)');
  const key = await SigningKey.loadOrCreate(config.auth.keyFile);
  process.stdout.write(`${await key.sign({ sub: values.sub, roles: roles as Role[], personId: values.person }, parseTtl(values.ttl ?? '8h'))}\n`);
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) console.error(`${error.message}\n${USAGE}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
