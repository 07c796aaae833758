/** The OpenID Connect client of the auditors' sign-in (authorization code with PKCE), when the server uses an issuer. */
export interface OidcClientOptions {
  /** The issuer's URL: its /.well-known/openid-configuration names the endpoints. */
  issuer: string;
  clientId: string;
  /** For a confidential client; a public client (PKCE alone) has none. */
  clientSecret?: string;
  /** Where the issuer sends the browser back; by default /revision/oidc/tillbaka on the address the page was asked at. */
  redirectUri?: string;
}

export interface PagesOptions {
  oidc: OidcClientOptions | null;
}

export const PAGES_OPTIONS = Symbol('PAGES_OPTIONS');
