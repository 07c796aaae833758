import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { isRole, type Principal } from './principal';
import { EMBEDDED_ALGORITHM, EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } from './signing-key';

export type AuthConfig =
  | { mode: 'embedded'; keyFile: string }
  | { mode: 'oidc'; jwksUrl: string; issuer: string; audience: string; rolesClaim: string };

/** Asymmetric algorithms only: never `none`, never HS* (a public key must not double as an HMAC secret). */
const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** A token that cannot be accepted; the reason is for the log, the client hears only that it was refused. */
export class InvalidToken extends Error {
  constructor(readonly reason: string) {
    super('The access token is missing, malformed, expired or not signed by a trusted issuer');
    this.name = 'InvalidToken';
  }
}

/** Checks signature, algorithm, expiry, issuer and audience, and reads the principal from the claims. */
export class TokenVerifier {
  private constructor(
    private readonly key: KeyLike | JWTVerifyGetKey,
    private readonly options: { issuer: string; audience: string; algorithms: string[]; rolesClaim: string },
  ) {}

  static embedded(publicKey: KeyLike): TokenVerifier {
    return new TokenVerifier(publicKey, { issuer: EMBEDDED_ISSUER, audience: EMBEDDED_AUDIENCE, algorithms: [EMBEDDED_ALGORITHM], rolesClaim: 'roles' });
  }

  /** Keys come from the issuer's JWKS, cached, and fetched again when a token names a key not yet known. */
  static oidc(config: Extract<AuthConfig, { mode: 'oidc' }>): TokenVerifier {
    // A token naming an unknown key fetches the JWKS again (key rotation), at most once a second.
    const jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 1_000, timeoutDuration: 5_000 });
    return new TokenVerifier(jwks, { issuer: config.issuer, audience: config.audience, algorithms: OIDC_ALGORITHMS, rolesClaim: config.rolesClaim });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as KeyLike, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw new InvalidToken(error instanceof Error ? error.message : String(error));
    }
    const roles = claimAt(payload, this.options.rolesClaim);
    const personId = payload.personId;
    return {
      sub: payload.sub!,
      roles: Array.isArray(roles) ? [...new Set(roles.filter(isRole))] : [],
      personId: typeof personId === 'string' ? personId : null,
    };
  }
}

/** A claim by dotted path (`realm_access.roles` for Keycloak). */
function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);
}
