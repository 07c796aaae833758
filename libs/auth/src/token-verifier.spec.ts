import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidToken, TokenVerifier } from './token-verifier';
import { SigningKey } from './signing-key';

describe('TokenVerifier', () => {
  let dir: string;
  let key: SigningKey;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kansli-auth-'));
    key = await SigningKey.loadOrCreate(join(dir, 'signing-key.jwk'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers a verified token only until it expires: from its expiry (with the clock tolerance) on it is refused, cached or not', async () => {
    let now = Date.now();
    const verifier = TokenVerifier.embedded(key.publicKey, { now: () => now });
    const token = await key.sign({ sub: 'anna', roles: ['REVISOR'] }, 60);
    expect(await verifier.verify(token)).toEqual({ sub: 'anna', roles: ['REVISOR'], personId: null });
    expect(await verifier.verify(token)).toEqual({ sub: 'anna', roles: ['REVISOR'], personId: null });
    now += 64_000;
    expect(await verifier.verify(token)).toEqual({ sub: 'anna', roles: ['REVISOR'], personId: null });
    now += 2_000;
    await expect(verifier.verify(token)).rejects.toThrow(InvalidToken);
  });

  it('never remembers a token that failed: a token altered in one character stays refused', async () => {
    const verifier = TokenVerifier.embedded(key.publicKey);
    const token = await key.sign({ sub: 'anna', roles: ['ADMIN'] }, 60);
    const tampered = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;
    await verifier.verify(token);
    await expect(verifier.verify(tampered)).rejects.toThrow(InvalidToken);
    await expect(verifier.verify(tampered)).rejects.toThrow(InvalidToken);
  });
});
