import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import type { Role } from './principal';

export const EMBEDDED_ISSUER = 'urn:kansli:embedded';
export const EMBEDDED_AUDIENCE = 'kansli';
export const EMBEDDED_ALGORITHM = 'EdDSA';
export const SIGNING_KEY_FILE = 'signing-key.jwk';

/**
 * The embedded mode's signing key: an Ed25519 key pair kept in the data folder (file mode 0600), created on
 * first start. Whoever can read the file can mint tokens, as whoever can read the database can read everything.
 */
export class SigningKey {
  private constructor(
    readonly kid: string,
    readonly privateKey: KeyLike,
    readonly publicKey: KeyLike,
  ) {}

  static async loadOrCreate(file: string): Promise<SigningKey> {
    if (!existsSync(file)) {
      const { privateKey } = await generateKeyPair(EMBEDDED_ALGORITHM, { crv: 'Ed25519', extractable: true });
      const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: EMBEDDED_ALGORITHM };
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(jwk), { mode: 0o600 });
      renameSync(temporary, file);
    }
    chmodSync(file, 0o600);
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    const { d: _private, ...publicJwk } = jwk;
    const privateKey = (await importJWK(jwk, EMBEDDED_ALGORITHM)) as KeyLike;
    const publicKey = (await importJWK(publicJwk, EMBEDDED_ALGORITHM)) as KeyLike;
    return new SigningKey(jwk.kid ?? 'kansli', privateKey, publicKey);
  }

  /** A token for `sub` with `roles` (and `personId`), valid for `ttlSeconds`. */
  sign(claims: { sub: string; roles: Role[]; personId?: string }, ttlSeconds: number): Promise<string> {
    const payload: Record<string, unknown> = { roles: claims.roles };
    if (claims.personId) payload.personId = claims.personId;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: EMBEDDED_ALGORITHM, kid: this.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(EMBEDDED_ISSUER)
      .setAudience(EMBEDDED_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }
}

/** `90s`, `15m`, `8h`, `30d` → seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new Error(`--ttl must be a number with s, m, h or d (e.g. 8h), got ${JSON.stringify(text)}`);
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > 366 * 86400) throw new Error('--ttl must be between 1s and 366d');
  return seconds;
}
