import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { SIGNING_KEY_FILE, type AuthConfig } from '@kansli/auth';
import { WEBHOOK_KEY_FILE, type WebhookConfig } from '@kansli/diarium';
import { parseEventStoreUrl, type EventStoreLocation } from '@kansli/event-store';
import { defaultOrigin, LOG_KEY_FILE, type LogConfig } from '@kansli/integrity';
import { assertKeyName, parseSignerKey } from '@kansli/tlog';

export interface Limits {
  /** Deepest selection a query may nest. */
  maxDepth: number;
  /** Most fields a query may select, counting each list field as `first` (or 20) of its children. */
  maxComplexity: number;
  /** Largest request body. */
  maxBodyBytes: number;
  /** Requests per minute per token (per address for the public), counted by each replica on its own. */
  ratePerMinute: number;
  /**
   * How many reverse proxies stand in front (KANSLI_TRUST_PROXY, default 0): the public's address is then read from
   * X-Forwarded-For that many hops back, so that a proxy's address is not everyone's rate-limit bucket.
   */
  trustProxyHops: number;
  introspection: boolean;
}

export interface KansliConfig {
  port: number;
  dataDir: string;
  eventStore: EventStoreLocation;
  auth: AuthConfig;
  limits: Limits;
  /** The tamper-evident log: its origin, signing key and checkpoint interval. */
  log: LogConfig;
  /** Webhook deliveries: whether URLs may point inside the network, the attempt's timeout, the secrets' key. */
  webhooks: WebhookConfig;
  /** The least severe log lines written (KANSLI_LOG_LEVEL); `silent` writes none. */
  logLevel: LogLevel;
}

/** The levels KANSLI_LOG_LEVEL takes, most severe first. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A bad configuration value: the message is one line naming the variable and what is allowed. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from environment variables (see "Running it" in API.md). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KansliConfig {
  const port = parsePort(env.PORT);
  const dataDir = resolve(nonEmpty('KANSLI_DATA_DIR', env.KANSLI_DATA_DIR) ?? './data');
  const store = nonEmpty('KANSLI_EVENTSTORE', env.KANSLI_EVENTSTORE) ?? `sqlite:${dataDir}/kansli.db`;
  let eventStore: EventStoreLocation;
  try {
    eventStore = parseEventStoreUrl(store);
  } catch (error) {
    throw new ConfigError('KANSLI_EVENTSTORE', (error as Error).message);
  }
  const secretsDir = resolve(nonEmpty('KANSLI_SECRETS_DIR', env.KANSLI_SECRETS_DIR) ?? dataDir);
  const log = logConfig(env, dataDir, secretsDir);
  if (eventStore.engine === 'eventstoredb' && !log.originConfigured) {
    // Replicas on one log must sign it under one name; a name made from each host would fork the checkpoints.
    throw new ConfigError('KANSLI_LOG_ORIGIN', 'is needed with an EventStoreDB store (or KANSLI_LOG_KEY): every replica signs the one log under the same name, such as kansli.kommun.se/styrelsen');
  }
  return { port, dataDir, eventStore, auth: authConfig(env, secretsDir), limits: limits(env), log, webhooks: webhookConfig(env, secretsDir), logLevel: logLevel(env) };
}

/**
 * Every environment variable `loadConfig` reads and validates. Deployment files may set these and no others
 * (test/deploy.spec.ts checks it); config.spec.ts checks that the list is exactly what `loadConfig` reads.
 */
export const CONFIG_VARIABLES = [
  'PORT',
  'KANSLI_DATA_DIR',
  'KANSLI_EVENTSTORE',
  'KANSLI_SECRETS_DIR',
  'KANSLI_OIDC_JWKS_URL',
  'KANSLI_OIDC_ISSUER',
  'KANSLI_OIDC_AUDIENCE',
  'KANSLI_OIDC_ROLES_CLAIM',
  'KANSLI_OIDC_CLIENT_ID',
  'KANSLI_OIDC_CLIENT_SECRET',
  'KANSLI_OIDC_REDIRECT_URI',
  'KANSLI_MAX_QUERY_DEPTH',
  'KANSLI_MAX_QUERY_COMPLEXITY',
  'KANSLI_MAX_BODY_BYTES',
  'KANSLI_RATE_LIMIT',
  'KANSLI_TRUST_PROXY',
  'KANSLI_INTROSPECTION',
  'KANSLI_LOG_ORIGIN',
  'KANSLI_LOG_KEY',
  'KANSLI_CHECKPOINT_INTERVAL_MS',
  'KANSLI_WEBHOOK_DELIVERY',
  'KANSLI_WEBHOOK_ALLOW_PRIVATE',
  'KANSLI_WEBHOOK_TIMEOUT_MS',
  'KANSLI_LOG_LEVEL',
] as const;

/**
 * The log's origin (KANSLI_LOG_ORIGIN, else the configured key's name, else `<host>/kansli/<data folder>`), its
 * signing key (KANSLI_LOG_KEY, a C2SP signer key, else `log-key` in the secrets folder, created on first start) and how
 * often it signs a checkpoint when the tree has grown (KANSLI_CHECKPOINT_INTERVAL_MS, default 10 s).
 */
function logConfig(env: NodeJS.ProcessEnv, dataDir: string, secretsDir: string): LogConfig {
  const origin = nonEmpty('KANSLI_LOG_ORIGIN', env.KANSLI_LOG_ORIGIN);
  if (origin !== undefined) {
    try {
      assertKeyName(origin, 'an origin');
    } catch {
      throw new ConfigError('KANSLI_LOG_ORIGIN', `expected 1–255 characters without spaces, + or control characters, such as kansli.kommun.se/styrelsen, got ${JSON.stringify(origin)}`);
    }
  }
  const key = nonEmpty('KANSLI_LOG_KEY', env.KANSLI_LOG_KEY);
  let keyOrigin: string | undefined;
  if (key !== undefined) {
    try {
      keyOrigin = parseSignerKey(key).name;
    } catch (error) {
      // The message never repeats the key: it is a secret.
      throw new ConfigError('KANSLI_LOG_KEY', `expected a signer key PRIVATE+KEY+<origin>+<key ID>+<base64 Ed25519 seed>: ${(error as Error).message}`);
    }
    if (origin !== undefined && keyOrigin !== origin) throw new ConfigError('KANSLI_LOG_KEY', `is the key of the origin ${keyOrigin}, but KANSLI_LOG_ORIGIN is ${origin}`);
  }
  return {
    origin: origin ?? keyOrigin ?? defaultOrigin(hostname(), dataDir),
    originConfigured: origin !== undefined || key !== undefined,
    key,
    keyFile: join(secretsDir, LOG_KEY_FILE),
    checkpointIntervalMs: wholeNumber(env, 'KANSLI_CHECKPOINT_INTERVAL_MS', 10_000, 100, 86_400_000),
  };
}

/**
 * KANSLI_WEBHOOK_DELIVERY (default true): whether this server delivers webhooks (of replicas on one log, exactly one
 * should); KANSLI_WEBHOOK_ALLOW_PRIVATE (default false): webhook URLs on loopback and private addresses, for tests and an
 * in-house diarium; KANSLI_WEBHOOK_TIMEOUT_MS (default 10 s): how long a delivery waits for the receiver's answer.
 */
function webhookConfig(env: NodeJS.ProcessEnv, secretsDir: string): WebhookConfig {
  return {
    deliver: flag(env, 'KANSLI_WEBHOOK_DELIVERY', true),
    allowPrivate: flag(env, 'KANSLI_WEBHOOK_ALLOW_PRIVATE', false),
    timeoutMs: wholeNumber(env, 'KANSLI_WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    keyFile: join(secretsDir, WEBHOOK_KEY_FILE),
  };
}

/** Embedded signing key by default; an OIDC issuer when its JWKS URL is given (with issuer and audience). */
function authConfig(env: NodeJS.ProcessEnv, secretsDir: string): AuthConfig {
  const jwksUrl = nonEmpty('KANSLI_OIDC_JWKS_URL', env.KANSLI_OIDC_JWKS_URL);
  const issuer = nonEmpty('KANSLI_OIDC_ISSUER', env.KANSLI_OIDC_ISSUER);
  const audience = nonEmpty('KANSLI_OIDC_AUDIENCE', env.KANSLI_OIDC_AUDIENCE);
  const rolesClaim = nonEmpty('KANSLI_OIDC_ROLES_CLAIM', env.KANSLI_OIDC_ROLES_CLAIM) ?? 'roles';
  if (!jwksUrl) {
    if (issuer || audience) throw new ConfigError('KANSLI_OIDC_JWKS_URL', 'is needed when KANSLI_OIDC_ISSUER or KANSLI_OIDC_AUDIENCE is set');
    return { mode: 'embedded', keyFile: join(secretsDir, SIGNING_KEY_FILE) };
  }
  if (!/^https?:\/\/\S+$/.test(jwksUrl)) throw new ConfigError('KANSLI_OIDC_JWKS_URL', `expected an http(s) URL, got ${JSON.stringify(jwksUrl)}`);
  if (!issuer) throw new ConfigError('KANSLI_OIDC_ISSUER', 'is needed with KANSLI_OIDC_JWKS_URL: the issuer (iss) tokens must name');
  if (!audience) throw new ConfigError('KANSLI_OIDC_AUDIENCE', 'is needed with KANSLI_OIDC_JWKS_URL: the audience (aud) tokens must name');
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(rolesClaim)) {
    throw new ConfigError('KANSLI_OIDC_ROLES_CLAIM', `expected a claim name or dotted path such as realm_access.roles, got ${JSON.stringify(rolesClaim)}`);
  }
  return { mode: 'oidc', jwksUrl, issuer, audience, rolesClaim, ...oidcClient(env) };
}

/** The OIDC client of /revision's sign-in: KANSLI_OIDC_CLIENT_ID, and for a confidential client its secret. */
function oidcClient(env: NodeJS.ProcessEnv): { client?: { clientId: string; clientSecret?: string; redirectUri?: string } } {
  const clientId = nonEmpty('KANSLI_OIDC_CLIENT_ID', env.KANSLI_OIDC_CLIENT_ID);
  const clientSecret = nonEmpty('KANSLI_OIDC_CLIENT_SECRET', env.KANSLI_OIDC_CLIENT_SECRET);
  const redirectUri = nonEmpty('KANSLI_OIDC_REDIRECT_URI', env.KANSLI_OIDC_REDIRECT_URI);
  if (!clientId) {
    if (clientSecret || redirectUri) throw new ConfigError('KANSLI_OIDC_CLIENT_ID', 'is needed when KANSLI_OIDC_CLIENT_SECRET or KANSLI_OIDC_REDIRECT_URI is set');
    return {};
  }
  if (redirectUri !== undefined && !/^https?:\/\/\S+\/revision\/oidc\/tillbaka$/.test(redirectUri)) {
    throw new ConfigError('KANSLI_OIDC_REDIRECT_URI', `expected the server's address followed by /revision/oidc/tillbaka, got ${JSON.stringify(redirectUri)}`);
  }
  return { client: { clientId, ...(clientSecret ? { clientSecret } : {}), ...(redirectUri ? { redirectUri } : {}) } };
}

function limits(env: NodeJS.ProcessEnv): Limits {
  return {
    maxDepth: wholeNumber(env, 'KANSLI_MAX_QUERY_DEPTH', 12, 1, 100),
    maxComplexity: wholeNumber(env, 'KANSLI_MAX_QUERY_COMPLEXITY', 10_000, 10, 1_000_000),
    maxBodyBytes: wholeNumber(env, 'KANSLI_MAX_BODY_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    ratePerMinute: wholeNumber(env, 'KANSLI_RATE_LIMIT', 6000, 1, 1_000_000),
    trustProxyHops: wholeNumber(env, 'KANSLI_TRUST_PROXY', 0, 0, 10),
    introspection: flag(env, 'KANSLI_INTROSPECTION', true),
  };
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const value = env.KANSLI_LOG_LEVEL;
  if (value === undefined || value === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new ConfigError('KANSLI_LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as LogLevel;
}

function wholeNumber(env: NodeJS.ProcessEnv, variable: string, fallback: number, min: number, max: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(variable, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function flag(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigError(variable, `expected true or false, got ${JSON.stringify(value)}`);
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConfigError('PORT', `expected a whole number from 1 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

function nonEmpty(variable: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new ConfigError(variable, 'is set but empty; unset it for the default or give a value');
  return value;
}
