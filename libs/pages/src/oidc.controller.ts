import { createHash, randomBytes } from 'node:crypto';
import { Controller, Get, Inject, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { PageRequest as Request, PageResponse as Response } from './http';
import { cookie, notFound, PageAccess, PageError } from './page-access';
import { PageErrorFilter, send } from './page-response';
import { PAGES_OPTIONS, type OidcClientOptions, type PagesOptions } from './pages.options';
import { sessionCookie } from './revision.controller';
import { signInPage } from './revision.view';

const FLOW_COOKIE = 'kansli_oidc';
const CALLBACK = '/revision/oidc/tillbaka';

interface Endpoints {
  authorization: string;
  token: string;
  fetchedAt: number;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * The auditors' sign-in through the configured OIDC issuer: the authorization-code flow with PKCE (RFC 7636,
 * S256). The verifier and the state live in a short-lived HttpOnly cookie of this path; the token the issuer
 * returns is checked by the same TokenVerifier as every request (issuer, audience, JWKS) before it becomes the
 * session.
 */
@Controller('revision/oidc')
@UseFilters(PageErrorFilter)
export class OidcController {
  private endpoints: Endpoints | null = null;

  constructor(
    @Inject(PAGES_OPTIONS) private readonly options: PagesOptions,
    private readonly access: PageAccess,
  ) {}

  @Get()
  async start(@Req() request: Request, @Res() response: Response): Promise<void> {
    const client = this.client();
    const endpoints = await this.discover(client);
    const state = base64url(randomBytes(24));
    const verifier = base64url(randomBytes(32));
    const challenge = base64url(createHash('sha256').update(verifier).digest());
    const url = new URL(endpoints.authorization);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('redirect_uri', redirectUri(client, request));
    url.searchParams.set('scope', 'openid');
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    response.setHeader('Set-Cookie', `${FLOW_COOKIE}=${state}.${verifier}; Path=/revision/oidc; HttpOnly; SameSite=Lax; Max-Age=600${request.secure ? '; Secure' : ''}`);
    response.redirect(302, url.toString());
  }

  @Get('tillbaka')
  async callback(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const client = this.client();
    const clearFlow = `${FLOW_COOKIE}=; Path=/revision/oidc; Max-Age=0; HttpOnly; SameSite=Lax`;
    const refuse = (error: string) => {
      response.setHeader('Set-Cookie', clearFlow);
      send(response, signInPage({ error, oidc: true }), { type: 'text/html; charset=utf-8', personal: true, status: 401 });
    };
    if (typeof query.error === 'string') return refuse(`Inloggningen avbröts av utfärdaren (${query.error.slice(0, 100)}).`);
    const [state, verifier] = (cookie(request, FLOW_COOKIE) ?? '').split('.');
    if (!state || !verifier || query.state !== state || typeof query.code !== 'string') {
      return refuse('Inloggningen gick inte att slutföra: den startades inte här eller tog för lång tid. Försök igen.');
    }
    const endpoints = await this.discover(client);
    const form = new URLSearchParams({ grant_type: 'authorization_code', code: query.code, redirect_uri: redirectUri(client, request), client_id: client.clientId, code_verifier: verifier });
    if (client.clientSecret) form.set('client_secret', client.clientSecret);
    let tokens: { access_token?: unknown; id_token?: unknown };
    try {
      const answer = await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form, signal: AbortSignal.timeout(10_000) });
      if (!answer.ok) return refuse(`Utfärdaren godtog inte inloggningen (HTTP ${answer.status}).`);
      tokens = (await answer.json()) as typeof tokens;
    } catch {
      return refuse('Utfärdaren svarade inte. Försök igen om en stund.');
    }
    // The access token is meant for this API; an issuer whose client and audience are one may give only an ID token.
    for (const token of [tokens.access_token, tokens.id_token]) {
      if (typeof token !== 'string' || token.length > 16_384) continue;
      if (await this.access.verify(token)) {
        response.setHeader('Set-Cookie', [clearFlow, sessionCookie(token, request.secure)]);
        response.redirect(303, '/revision');
        return;
      }
    }
    refuse('Utfärdarens token gick inte att godta här (fel utfärdare, mottagare eller signatur).');
  }

  private client(): OidcClientOptions {
    if (!this.options.oidc) throw notFound();
    return this.options.oidc;
  }

  private async discover(client: OidcClientOptions): Promise<Endpoints> {
    if (this.endpoints && Date.now() - this.endpoints.fetchedAt < 3_600_000) return this.endpoints;
    try {
      const answer = await fetch(`${client.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
      const document = (await answer.json()) as { authorization_endpoint?: unknown; token_endpoint?: unknown };
      if (!answer.ok || typeof document.authorization_endpoint !== 'string' || typeof document.token_endpoint !== 'string') throw new Error('incomplete');
      this.endpoints = { authorization: document.authorization_endpoint, token: document.token_endpoint, fetchedAt: Date.now() };
      return this.endpoints;
    } catch {
      throw new PageError(502, 'Inloggningen är inte tillgänglig', 'Organisationens inloggningstjänst svarade inte. Försök igen om en stund eller logga in med en token.');
    }
  }
}

function redirectUri(client: OidcClientOptions, request: Request): string {
  if (client.redirectUri) return client.redirectUri;
  const host = request.headers.host ?? 'localhost';
  return `${request.secure ? 'https' : 'http'}://${host}${CALLBACK}`;
}
