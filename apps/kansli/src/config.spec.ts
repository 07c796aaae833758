import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration from the environment', () => {
  it('defaults to port 4000, the embedded store and signing key under ./data, and documented limits', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      dataDir: resolve('./data'),
      eventStore: { engine: 'sqlite', filename: `${resolve('./data')}/kansli.db` },
      auth: { mode: 'embedded', keyFile: `${resolve('./data')}/signing-key.jwk` },
      limits: { maxDepth: 12, maxComplexity: 10_000, maxBodyBytes: 1_048_576, ratePerMinute: 6000, introspection: true },
    });
  });

  it('uses an OIDC issuer when its JWKS URL, issuer and audience are given', () => {
    const env = { KANSLI_OIDC_JWKS_URL: 'https://login.kommun.se/jwks', KANSLI_OIDC_ISSUER: 'https://login.kommun.se', KANSLI_OIDC_AUDIENCE: 'kansli', KANSLI_OIDC_ROLES_CLAIM: 'realm_access.roles' };
    expect(loadConfig(env).auth).toEqual({ mode: 'oidc', jwksUrl: 'https://login.kommun.se/jwks', issuer: 'https://login.kommun.se', audience: 'kansli', rolesClaim: 'realm_access.roles' });
    expect(() => loadConfig({ KANSLI_OIDC_JWKS_URL: 'https://login.kommun.se/jwks' })).toThrow(/^KANSLI_OIDC_ISSUER: is needed/);
    expect(() => loadConfig({ KANSLI_OIDC_ISSUER: 'x' })).toThrow(/^KANSLI_OIDC_JWKS_URL: is needed/);
  });

  it('puts the default database in KANSLI_DATA_DIR and accepts an esdb:// connection string', () => {
    expect(loadConfig({ KANSLI_DATA_DIR: '/srv/kansli' }).eventStore).toEqual({ engine: 'sqlite', filename: '/srv/kansli/kansli.db' });
    expect(loadConfig({ KANSLI_EVENTSTORE: 'esdb://node1:2113?tls=false' }).eventStore).toEqual({
      engine: 'eventstoredb',
      connectionString: 'esdb://node1:2113?tls=false',
    });
  });

  it.each([
    ['PORT', 'abc', /^PORT: expected a whole number from 1 to 65535, got "abc"$/],
    ['PORT', '70000', /^PORT: expected a whole number from 1 to 65535/],
    ['PORT', '40.5', /^PORT: expected a whole number/],
    ['KANSLI_EVENTSTORE', 'postgres://db', /^KANSLI_EVENTSTORE: expected sqlite:<file> or esdb:\/\/host:port/],
    ['KANSLI_EVENTSTORE', 'sqlite:', /^KANSLI_EVENTSTORE: sqlite: needs a file name/],
    ['KANSLI_DATA_DIR', ' ', /^KANSLI_DATA_DIR: is set but empty/],
    ['KANSLI_INTROSPECTION', 'yes', /^KANSLI_INTROSPECTION: expected true or false/],
    ['KANSLI_MAX_QUERY_DEPTH', '0', /^KANSLI_MAX_QUERY_DEPTH: expected a whole number from 1 to 100/],
    ['KANSLI_OIDC_JWKS_URL', 'ftp://x', /^KANSLI_OIDC_JWKS_URL: expected an http\(s\) URL/],
  ])('refuses %s=%j with one line naming the variable and what is allowed', (variable, value, message) => {
    const attempt = () => loadConfig({ [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
