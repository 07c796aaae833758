import { Injectable } from '@nestjs/common';
import { bearerTokenOf } from '@kansli/api';
import { InvalidToken, TokenVerifier, type Principal, type Role } from '@kansli/auth';
import type { PageRequest as Request } from './http';

/** The cookie /revision's sign-in sets: the token itself, HttpOnly, sent only to this site's pages. */
export const SESSION_COOKIE = 'kansli_session';

/** A page that cannot be shown, with its status and a message in Swedish. */
export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'PageError';
  }
}

export const notFound = () => new PageError(404, 'Sidan finns inte', 'Det finns ingen sida på den här adressen. Kontrollera länken eller gå till anslagstavlan.');

/** Who reads a page: the Authorization header (as GraphQL), else the session cookie of /revision. */
export interface PageReader {
  principal: Principal | null;
  /** The session cookie held a token that no longer verifies (expired, another key). */
  sessionExpired: boolean;
}

export function cookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

@Injectable()
export class PageAccess {
  constructor(private readonly verifier: TokenVerifier) {}

  /**
   * A header that does not hold a valid token is refused (401), never downgraded to the public, as in GraphQL; an
   * expired session cookie only signs the reader out.
   */
  async reader(request: Request): Promise<PageReader> {
    const bearer = bearerTokenOf(request);
    if (bearer !== undefined) {
      try {
        if (bearer === '') throw new InvalidToken('not a bearer token');
        return { principal: await this.verifier.verify(bearer), sessionExpired: false };
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
        throw new PageError(401, 'Ogiltig inloggning', 'Token i Authorization-huvudet gick inte att godta: den är felaktig, har gått ut eller är inte utfärdad av en betrodd utfärdare.');
      }
    }
    const session = cookie(request, SESSION_COOKIE);
    if (!session) return { principal: null, sessionExpired: false };
    try {
      return { principal: await this.verifier.verify(session), sessionExpired: false };
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      return { principal: null, sessionExpired: true };
    }
  }

  /** A token as pasted into the sign-in form: the principal, or null when it does not verify. */
  async verify(token: string): Promise<Principal | null> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      return null;
    }
  }
}

/** Who may see the auditors' page: the roles of the `timeline` query. */
export const AUDIT_ROLES: readonly Role[] = ['REVISOR', 'SEKRETERARE', 'ADMIN'];
export const mayAudit = (principal: Principal | null) => !!principal && principal.roles.some((role) => AUDIT_ROLES.includes(role));
