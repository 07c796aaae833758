import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { generateSigner } from '@kansli/tlog';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';

describe('configuration from the environment', () => {
  it('defaults to port 4000, the embedded store and signing key under ./data, and documented limits', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      dataDir: resolve('./data'),
      eventStore: { engine: 'sqlite', filename: `${resolve('./data')}/kansli.db` },
      auth: { mode: 'embedded', keyFile: `${resolve('./data')}/signing-key.jwk` },
      limits: { maxDepth: 12, maxComplexity: 10_000, maxBodyBytes: 1_048_576, ratePerMinute: 6000, trustProxyHops: 0, introspection: true },
      log: {
        origin: `${hostname().toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}/kansli/data`,
        originConfigured: false,
        key: undefined,
        keyFile: `${resolve('./data')}/log-key`,
        checkpointIntervalMs: 10_000,
      },
      webhooks: { deliver: true, allowPrivate: false, timeoutMs: 10_000, keyFile: `${resolve('./data')}/webhook-key` },
      logLevel: 'info',
    });
  });

  it('takes the log level from KANSLI_LOG_LEVEL and names the levels it allows', () => {
    expect(loadConfig({ KANSLI_LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(loadConfig({ KANSLI_LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
    expect(() => loadConfig({ KANSLI_LOG_LEVEL: 'verbose' })).toThrow(/^KANSLI_LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"$/);
    expect(() => loadConfig({ KANSLI_LOG_LEVEL: 'INFO' })).toThrow(ConfigError);
  });

  it('allows webhook URLs inside the network only with KANSLI_WEBHOOK_ALLOW_PRIVATE=true, and takes the delivery timeout', () => {
    expect(loadConfig({ KANSLI_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivate).toBe(true);
    expect(loadConfig({ KANSLI_WEBHOOK_ALLOW_PRIVATE: 'false' }).webhooks.allowPrivate).toBe(false);
    expect(loadConfig({ KANSLI_WEBHOOK_TIMEOUT_MS: '2500' }).webhooks.timeoutMs).toBe(2500);
    expect(loadConfig({ KANSLI_WEBHOOK_DELIVERY: 'false' }).webhooks.deliver).toBe(false);
    expect(() => loadConfig({ KANSLI_WEBHOOK_DELIVERY: 'no' })).toThrow(/^KANSLI_WEBHOOK_DELIVERY: expected true or false, got "no"$/);
    expect(() => loadConfig({ KANSLI_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/^KANSLI_WEBHOOK_ALLOW_PRIVATE: expected true or false, got "yes"$/);
    expect(() => loadConfig({ KANSLI_WEBHOOK_TIMEOUT_MS: '50' })).toThrow(/^KANSLI_WEBHOOK_TIMEOUT_MS: expected a whole number from 100 to 60000/);
  });

  it('names the log after the host and data folder unless KANSLI_LOG_ORIGIN or the key of KANSLI_LOG_KEY names it', () => {
    expect(loadConfig({ KANSLI_DATA_DIR: '/srv/Kansli Styrelsen' }).log.origin).toMatch(/\/kansli\/kansli-styrelsen$/);
    expect(loadConfig({ KANSLI_LOG_ORIGIN: 'kansli.kommun.se/styrelsen' }).log).toMatchObject({ origin: 'kansli.kommun.se/styrelsen', originConfigured: true });
    const signer = generateSigner('finsam.example/log');
    expect(loadConfig({ KANSLI_LOG_KEY: signer.encoded }).log).toMatchObject({ origin: 'finsam.example/log', originConfigured: true, key: signer.encoded });
    expect(loadConfig({ KANSLI_CHECKPOINT_INTERVAL_MS: '500' }).log.checkpointIntervalMs).toBe(500);
  });

  it('refuses a log key of another origin without echoing the key', () => {
    const signer = generateSigner('finsam.example/log');
    const error = (() => {
      try {
        loadConfig({ KANSLI_LOG_KEY: signer.encoded, KANSLI_LOG_ORIGIN: 'kansli.kommun.se/styrelsen' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toBe('KANSLI_LOG_KEY: is the key of the origin finsam.example/log, but KANSLI_LOG_ORIGIN is kansli.kommun.se/styrelsen');
    const bad = `${signer.encoded.slice(0, -4)}AAAA`;
    expect(() => loadConfig({ KANSLI_LOG_KEY: bad })).toThrow(/^KANSLI_LOG_KEY: expected a signer key/);
    expect(() => loadConfig({ KANSLI_LOG_KEY: bad })).not.toThrow(new RegExp(bad.slice(-20).replace(/[+/]/g, '\\$&')));
  });

  it('uses an OIDC issuer when its JWKS URL, issuer and audience are given', () => {
    const env = { KANSLI_OIDC_JWKS_URL: 'https://login.kommun.se/jwks', KANSLI_OIDC_ISSUER: 'https://login.kommun.se', KANSLI_OIDC_AUDIENCE: 'kansli', KANSLI_OIDC_ROLES_CLAIM: 'realm_access.roles' };
    expect(loadConfig(env).auth).toEqual({ mode: 'oidc', jwksUrl: 'https://login.kommun.se/jwks', issuer: 'https://login.kommun.se', audience: 'kansli', rolesClaim: 'realm_access.roles' });
    expect(() => loadConfig({ KANSLI_OIDC_JWKS_URL: 'https://login.kommun.se/jwks' })).toThrow(/^KANSLI_OIDC_ISSUER: is needed/);
    expect(() => loadConfig({ KANSLI_OIDC_ISSUER: 'x' })).toThrow(/^KANSLI_OIDC_JWKS_URL: is needed/);
  });

  it("signs auditors in on /revision through the issuer (authorization code with PKCE) when KANSLI_OIDC_CLIENT_ID names the client", () => {
    const env = { KANSLI_OIDC_JWKS_URL: 'https://login.kommun.se/jwks', KANSLI_OIDC_ISSUER: 'https://login.kommun.se', KANSLI_OIDC_AUDIENCE: 'kansli' };
    expect(loadConfig({ ...env, KANSLI_OIDC_CLIENT_ID: 'kansli-revision' }).auth).toMatchObject({ mode: 'oidc', client: { clientId: 'kansli-revision' } });
    expect(loadConfig(env).auth).not.toHaveProperty('client');
    expect(() => loadConfig({ ...env, KANSLI_OIDC_CLIENT_SECRET: 's' })).toThrow(/^KANSLI_OIDC_CLIENT_ID: is needed/);
    expect(() => loadConfig({ ...env, KANSLI_OIDC_CLIENT_ID: 'c', KANSLI_OIDC_REDIRECT_URI: 'https://evil.example/' })).toThrow(/^KANSLI_OIDC_REDIRECT_URI: expected/);
  });

  it('puts the default database in KANSLI_DATA_DIR and accepts an esdb:// connection string', () => {
    expect(loadConfig({ KANSLI_DATA_DIR: '/srv/kansli' }).eventStore).toEqual({ engine: 'sqlite', filename: '/srv/kansli/kansli.db' });
    expect(loadConfig({ KANSLI_EVENTSTORE: 'esdb://node1:2113?tls=false', KANSLI_LOG_ORIGIN: 'kansli.example/log' }).eventStore).toEqual({
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
    ['KANSLI_LOG_ORIGIN', 'kansli kommun', /^KANSLI_LOG_ORIGIN: expected 1–255 characters without spaces/],
    ['KANSLI_LOG_ORIGIN', 'a+b', /^KANSLI_LOG_ORIGIN: expected 1–255 characters without spaces/],
    ['KANSLI_LOG_KEY', 'hemligt', /^KANSLI_LOG_KEY: expected a signer key/],
    ['KANSLI_CHECKPOINT_INTERVAL_MS', '10s', /^KANSLI_CHECKPOINT_INTERVAL_MS: expected a whole number from 100 to 86400000/],
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

describe('configuration for replicas', () => {
  it('reads every key from KANSLI_SECRETS_DIR when it is set, so that replicas share them', () => {
    const config = loadConfig({ KANSLI_DATA_DIR: '/var/lib/kansli', KANSLI_SECRETS_DIR: '/run/secrets/kansli' });
    expect(config.dataDir).toBe('/var/lib/kansli');
    expect(config.auth).toEqual({ mode: 'embedded', keyFile: '/run/secrets/kansli/signing-key.jwk' });
    expect(config.log.keyFile).toBe('/run/secrets/kansli/log-key');
    expect(config.webhooks.keyFile).toBe('/run/secrets/kansli/webhook-key');
    expect(() => loadConfig({ KANSLI_SECRETS_DIR: ' ' })).toThrow(/^KANSLI_SECRETS_DIR: is set but empty/);
  });

  it('needs the log origin on EventStoreDB, where every replica signs the one log', () => {
    const store = 'esdb://kurrentdb:2113?tls=false';
    expect(() => loadConfig({ KANSLI_EVENTSTORE: store })).toThrow(/^KANSLI_LOG_ORIGIN: is needed with an EventStoreDB store/);
    expect(loadConfig({ KANSLI_EVENTSTORE: store, KANSLI_LOG_ORIGIN: 'kansli.kommun.se/styrelsen' }).log.origin).toBe('kansli.kommun.se/styrelsen');
    expect(loadConfig({ KANSLI_EVENTSTORE: store, KANSLI_LOG_KEY: generateSigner('finsam.example/log').encoded }).log.origin).toBe('finsam.example/log');
  });

  it('lists in CONFIG_VARIABLES exactly the variables it reads', () => {
    const read = new Set<string>();
    const env = new Proxy({} as NodeJS.ProcessEnv, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    loadConfig(env);
    // The OIDC client's variables are read only in OIDC mode.
    loadConfig(new Proxy({} as NodeJS.ProcessEnv, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return ({ KANSLI_OIDC_JWKS_URL: 'https://idp.example/jwks', KANSLI_OIDC_ISSUER: 'https://idp.example', KANSLI_OIDC_AUDIENCE: 'kansli' } as Record<string, string>)[name];
      },
    }));
    expect([...read].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
