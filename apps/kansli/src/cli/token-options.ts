import { isRole, parseTtl, ROLES, type Role } from '@kansli/auth';
import { UsageError } from './usage-error';

export interface TokenOptions {
  sub: string;
  roles: Role[];
  personId?: string;
  ttlSeconds: number;
}

const SUBJECT = /^[\w.@:-]{1,200}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The options of `token`, checked: each refusal names the option, what was wrong with the value and what is allowed. */
export function tokenOptions(values: { sub?: string; roles?: string; person?: string; ttl?: string }): TokenOptions {
  const sub = subject(values.sub);
  const roles = (values.roles ?? '').split(',').map((role) => role.trim()).filter(Boolean);
  if (roles.length === 0) throw new UsageError(`--roles is ${values.roles === undefined ? 'required' : 'empty'}: one or more of ${ROLES.join(', ')}, comma-separated`);
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) {
    const hints = unknown.map((role) => (isRole(role.toUpperCase()) ? `${JSON.stringify(role)} (roles are written in capitals: ${role.toUpperCase()})` : JSON.stringify(role)));
    throw new UsageError(`--roles has ${unknown.length === 1 ? 'a role' : 'roles'} that do${unknown.length === 1 ? 'es' : ''} not exist: ${hints.join(', ')}; the roles are ${ROLES.join(', ')}`);
  }
  if (values.person !== undefined && !UUID.test(values.person)) {
    throw new UsageError(`--person ${JSON.stringify(values.person)} is not a person id: expected the person's UUID, such as 0b7c4e0e-5a0e-4c35-9a53-5d1e4f3f2a10`);
  }
  let ttlSeconds: number;
  try {
    ttlSeconds = parseTtl(values.ttl ?? '8h');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { sub, roles: roles as Role[], personId: values.person, ttlSeconds };
}

function subject(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--sub is required: who the token is for, such as anna or anna@kommun.se');
  if (value.trim() === '') throw new UsageError('--sub is empty: give who the token is for, such as anna or anna@kommun.se');
  if (SUBJECT.test(value)) return value;
  if (value.length > 200) throw new UsageError(`--sub is ${value.length} characters long; at most 200`);
  const index = [...value].findIndex((character) => !/^[\w.@:-]$/.test(character));
  const character = [...value][index];
  const suggestion = value.trim().replace(/\s+/g, '.');
  throw new UsageError(
    `--sub ${JSON.stringify(value)} has ${nameOf(character)} (character ${index + 1}); a subject is letters a–z and A–Z, digits and . _ @ : - only` +
      (SUBJECT.test(suggestion) ? `, such as ${suggestion}` : ''),
  );
}

function nameOf(character: string): string {
  if (character === ' ') return 'a space';
  if (character === '\t') return 'a tab';
  if (/\s/.test(character)) return 'a line break or other white space';
  return JSON.stringify(character);
}
