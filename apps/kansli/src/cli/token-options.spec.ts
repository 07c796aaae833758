import { tokenOptions } from './token-options';
import { UsageError } from './usage-error';

const refusal = (values: Parameters<typeof tokenOptions>[0]) => {
  try {
    tokenOptions(values);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('the options of `kansli token`', () => {
  it('takes a subject, roles, a person and a lifetime', () => {
    expect(tokenOptions({ sub: 'anna@kommun.se', roles: 'ADMIN, REVISOR', person: '0b7c4e0e-5a0e-4c35-9a53-5d1e4f3f2a10', ttl: '2h' })).toEqual({
      sub: 'anna@kommun.se',
      roles: ['ADMIN', 'REVISOR'],
      personId: '0b7c4e0e-5a0e-4c35-9a53-5d1e4f3f2a10',
      ttlSeconds: 7200,
    });
    expect(tokenOptions({ sub: 'anna', roles: 'LEDAMOT' }).ttlSeconds).toBe(8 * 3600);
  });

  it('says what is wrong with a subject that is given, rather than that it is missing', () => {
    expect(refusal({ sub: 'a b', roles: 'ADMIN' })).toBe('--sub "a b" has a space (character 2); a subject is letters a–z and A–Z, digits and . _ @ : - only, such as a.b');
    expect(refusal({ sub: 'anna/kansli', roles: 'ADMIN' })).toBe('--sub "anna/kansli" has "/" (character 5); a subject is letters a–z and A–Z, digits and . _ @ : - only');
    expect(refusal({ sub: '', roles: 'ADMIN' })).toMatch(/^--sub is empty: /);
    expect(refusal({ sub: 'x'.repeat(201), roles: 'ADMIN' })).toBe('--sub is 201 characters long; at most 200');
    expect(refusal({ roles: 'ADMIN' })).toMatch(/^--sub is required: /);
  });

  it('names the roles that do not exist, and the ones that do', () => {
    expect(refusal({ sub: 'anna', roles: 'admin' })).toBe('--roles has a role that does not exist: "admin" (roles are written in capitals: ADMIN); the roles are ADMIN, SEKRETERARE, LEDAMOT, REVISOR, DIARIUM');
    expect(refusal({ sub: 'anna', roles: 'ADMIN,KASSÖR,GUEST' })).toMatch(/^--roles has roles that do not exist: "KASSÖR", "GUEST"; /);
    expect(refusal({ sub: 'anna' })).toMatch(/^--roles is required: one or more of ADMIN/);
    expect(refusal({ sub: 'anna', roles: ' , ' })).toMatch(/^--roles is empty: /);
  });

  it('says why a person or a lifetime is refused, with the value', () => {
    expect(refusal({ sub: 'anna', roles: 'LEDAMOT', person: 'Anna Svensson' })).toMatch(/^--person "Anna Svensson" is not a person id: expected the person's UUID/);
    expect(refusal({ sub: 'anna', roles: 'ADMIN', ttl: '8 hours' })).toBe('--ttl must be a number with s, m, h or d (e.g. 8h), got "8 hours"');
  });
});
