import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import type { TestServer } from '@kansli/testing';
import { startKansli } from './support/kansli';
import { pagesBase } from './support/pages';

/**
 * A small OIDC issuer on the loopback address, as a kommun's (Keycloak, Entra ID) would answer: discovery, JWKS,
 * an authorization endpoint that signs the user in at once, and a token endpoint that checks the PKCE verifier
 * against the challenge (RFC 7636, S256) before it gives a token for the API's audience.
 */
class FakeIssuer {
  readonly codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
  readonly refused: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly key: KeyLike,
  ) {}

  static async start(): Promise<FakeIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    // The handler needs the issuer, which needs the server's port.
    const self = {} as { issuer: FakeIssuer };
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', self.issuer.url);
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, { issuer: self.issuer.url, authorization_endpoint: `${self.issuer.url}/authorize`, token_endpoint: `${self.issuer.url}/token`, jwks_uri: `${self.issuer.url}/jwks` });
      }
      if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        const p = url.searchParams;
        if (p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge') || !p.get('state')) return json(400, { error: 'invalid_request' });
        const code = randomUUID();
        self.issuer.codes.set(code, { challenge: p.get('code_challenge')!, redirectUri: p.get('redirect_uri')!, clientId: p.get('client_id')! });
        response.writeHead(302, { location: `${p.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(p.get('state')!)}` });
        return response.end();
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          const form = new URLSearchParams(body);
          const grant = self.issuer.codes.get(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri') || grant.clientId !== form.get('client_id')) {
            self.issuer.refused.push(form.get('code') ?? '');
            return json(400, { error: 'invalid_grant' });
          }
          self.issuer.codes.delete(form.get('code')!);
          void new SignJWT({ roles: ['REVISOR'] })
            .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
            .setIssuer(self.issuer.url)
            .setAudience('kansli-api')
            .setSubject('revisor@kommun.se')
            .setIssuedAt()
            .setExpirationTime('10m')
            .sign(self.issuer.key)
            .then((accessToken) => json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 600 }));
        });
        return;
      }
      json(404, { error: 'not_found' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self.issuer = new FakeIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, privateKey);
    return self.issuer;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe("the auditors' sign-in through the organisation's OIDC issuer (authorization code with PKCE)", () => {
  let issuer: FakeIssuer;
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    issuer = await FakeIssuer.start();
    server = await startKansli({
      KANSLI_OIDC_JWKS_URL: `${issuer.url}/jwks`,
      KANSLI_OIDC_ISSUER: issuer.url,
      KANSLI_OIDC_AUDIENCE: 'kansli-api',
      KANSLI_OIDC_CLIENT_ID: 'kansli-revision',
    });
    base = pagesBase(server);
  });
  afterAll(async () => {
    await server.close();
    await issuer.close();
  });

  const go = (url: string, cookie?: string) => fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const cookieOf = (response: Response, name: string) =>
    response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0];

  it('sends the browser to the issuer with an S256 challenge, takes the code back, and signs the REVISOR in', async () => {
    const signIn = await (await go(`${base}/revision`)).text();
    expect(signIn).toContain('<a href="/revision/oidc">');
    const start = await go(`${base}/revision/oidc`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${issuer.url}/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'kansli-revision',
      redirect_uri: `${base}/revision/oidc/tillbaka`,
      scope: 'openid',
      code_challenge_method: 'S256',
    });
    const flow = cookieOf(start, 'kansli_oidc')!;
    const back = await go(authorize.toString());
    const callback = await go(back.headers.get('location')!, flow);
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/revision');
    const session = cookieOf(callback, 'kansli_session')!;
    const page = await (await go(`${base}/revision`, session)).text();
    expect(page).toContain('Inloggad som <strong>revisor@kommun.se</strong> (REVISOR)');
  });

  it('signs nobody in when the state does not match the flow this browser started', async () => {
    const start = await go(`${base}/revision/oidc`);
    const back = await go(start.headers.get('location')!);
    const forged = new URL(back.headers.get('location')!);
    forged.searchParams.set('state', 'someone-elses');
    const callback = await go(forged.toString(), cookieOf(start, 'kansli_oidc'));
    expect(callback.status).toBe(401);
    expect(cookieOf(callback, 'kansli_session')).toBeUndefined();
    expect(await callback.text()).toContain('Inloggningen gick inte att slutföra');
  });

  it('signs nobody in when the code verifier is not the one the challenge was made from (the issuer refuses)', async () => {
    const start = await go(`${base}/revision/oidc`);
    const [state] = cookieOf(start, 'kansli_oidc')!.split('=')[1].split('.');
    const back = await go(start.headers.get('location')!);
    const callback = await go(back.headers.get('location')!, `kansli_oidc=${state}.another-verifier`);
    expect(callback.status).toBe(401);
    expect(cookieOf(callback, 'kansli_session')).toBeUndefined();
    expect(issuer.refused).toHaveLength(1);
  });

  it('has no OIDC sign-in on the embedded default', async () => {
    const embedded = await startKansli();
    try {
      const base = pagesBase(embedded);
      expect(await (await fetch(`${base}/revision`)).text()).not.toContain('/revision/oidc');
      expect((await fetch(`${base}/revision/oidc`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await embedded.close();
    }
  });
});
