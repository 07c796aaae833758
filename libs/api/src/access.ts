import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Principal, Role } from '@kansli/auth';
import type { RequestContext } from './request-context';

/** No valid token where one is needed. */
export class Unauthenticated extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in: this needs a valid access token') {
    super(message);
    this.name = 'Unauthenticated';
  }
}

/** A valid token whose roles do not allow this. */
export class Forbidden extends Error {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Your roles do not allow this') {
    super(message);
    this.name = 'Forbidden';
  }
}

/** Who may call: roles, `ANONYMOUS` (the public), or `AUTHENTICATED` (any valid token). */
export type Audience = Role | 'ANONYMOUS' | 'AUTHENTICATED';
const ACCESS = 'kansli:access';

/**
 * Declares who may call a query, a mutation or a field. Queries and mutations without it are refused
 * (deny by default); fields without it are visible to whoever may see their parent.
 */
export const Access = (...audiences: Audience[]) => SetMetadata(ACCESS, audiences);

export function allowed(principal: Principal | null, audiences: readonly Audience[]): boolean {
  if (audiences.includes('ANONYMOUS')) return true;
  if (!principal) return false;
  return audiences.includes('AUTHENTICATED') || principal.roles.some((role) => audiences.includes(role));
}

/** Throws UNAUTHENTICATED for the public, FORBIDDEN for a caller without one of the roles. */
export function assertAccess(principal: Principal | null, audiences: readonly Audience[], what?: string): void {
  if (allowed(principal, audiences)) return;
  if (!principal) throw new Unauthenticated(what ? `Sign in to see ${what}` : undefined);
  throw new Forbidden(what ? `Your roles do not allow you to see ${what}` : undefined);
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<'graphql' | 'http'>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const audiences = this.reflector.getAllAndOverride<Audience[] | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    const parent = gql.getInfo<{ parentType: { name: string } }>().parentType.name;
    const root = parent === 'Query' || parent === 'Mutation';
    if (!audiences) {
      if (root) throw new Forbidden('This operation declares no access: refused');
      return true;
    }
    const request = gql.getContext<{ request: RequestContext }>().request;
    assertAccess(request.principal, audiences);
    return true;
  }
}
