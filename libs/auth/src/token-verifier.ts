import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { isRole, type Principal } from './principal';
import { EMBEDDED_ALGORITHM, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from './signing-key';

export type AuthConfig =
  | { mode: 'embedded'; keyFile: string }
  | {
      mode: 'oidc';
      jwksUrl: string;
      issuer: string;
      audience: string;
      rolesClaim: string;
      /** The client of the auditors' page's sign-in (authorization code with PKCE); without it, tokens are pasted. */
      client?: { clientId: string; clientSecret?: string; redirectUri?: string };
    };

/** Asymmetric algorithms only: never `none`, never HS* (a public key must not double as an HMAC secret). */
const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** A token that cannot be accepted; the reason is for the log, the client hears only that it was refused. */
export class InvalidToken extends Error {
  constructor(readonly reason: string) {
    super('The access token is missing, malformed, expired or not signed by a trusted issuer');
    this.name = 'InvalidToken';
  }
}

interface VerifierOptions {
  issuer: string;
  audience: string;
  algorithms: string[];
  rolesClaim: string;
  /** Milliseconds since the epoch; the expiry of cached tokens is checked against it. */
  now?: () => number;
}

/** Clocks of issuer and server may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** Tokens verified recently: a client sends the same token with every request. */
const CACHED_TOKENS = 10_000;

/**
 * Checks signature, algorithm, expiry, issuer and audience, and reads the principal from the claims.
 * A token that verified is remembered, by its exact bytes, until it expires: its signature cannot change, and
 * checking an Ed25519 or RSA signature again on every request was a tenth of the server's time under load.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly now: () => number;

  private constructor(
    private readonly key: KeyLike | JWTVerifyGetKey,
    private readonly options: VerifierOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  static embedded(publicKey: KeyLike, options: { now?: () => number } = {}): TokenVerifier {
    return new TokenVerifier(publicKey, { issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, algorithms: [EMBEDDED_ALGORITHM], rolesClaim: 'roles', ...options });
  }

  /** Keys come from the issuer's JWKS, cached, and fetched again when a token names a key not yet known. */
  static oidc(config: Extract<AuthConfig, { mode: 'oidc' }>): TokenVerifier {
    // A token naming an unknown key fetches the JWKS again (key rotation), at most once a second.
    const jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 1_000, timeoutDuration: 5_000 });
    return new TokenVerifier(jwks, { issuer: config.issuer, audience: config.audience, algorithms: OIDC_ALGORITHMS, rolesClaim: config.rolesClaim });
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.verified.get(token);
    if (cached) {
      if (this.now() < cached.expiresAt) return cached.principal;
      this.verified.delete(token);
    }
    const { principal, expiresAt } = await this.verifySignature(token);
    if (this.verified.size >= CACHED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, expiresAt });
    return principal;
  }

  private async verifySignature(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as KeyLike, {
        currentDate: new Date(this.now()),
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      throw new InvalidToken(error instanceof Error ? error.message : String(error));
    }
    const roles = claimAt(payload, this.options.rolesClaim);
    const personId = payload.personId;
    const principal = {
      sub: payload.sub!,
      roles: Array.isArray(roles) ? [...new Set(roles.filter(isRole))] : [],
      personId: typeof personId === 'string' ? personId : null,
    };
    // A remembered token is refused from the moment a fresh verification would refuse it.
    return { principal, expiresAt: (payload.exp! + CLOCK_TOLERANCE_SECONDS) * 1000 };
  }
}

/** A claim by dotted path (`realm_access.roles` for Keycloak). */
function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);
}
