import { randomUUID } from 'node:crypto';
import type { Principal } from '@kansli/auth';
import type { CommandContext } from '@kansli/event-store';

/** Who is calling and which request this is: becomes the metadata of every event the request causes. */
export interface RequestContext {
  /** The token's subject, or `anonymous`. */
  actor: string;
  correlationId: string;
  principal: Principal | null;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export type HttpRequest = { headers: Record<string, string | string[] | undefined>; correlationId?: string } | undefined;

/**
 * The request's correlation id: its `x-correlation-id` header, or a fresh UUID when absent or malformed. Kept on the
 * request, so that its log line and the events it causes carry the same id.
 */
export function correlationIdOf(request: HttpRequest): string {
  if (request?.correlationId !== undefined) return request.correlationId;
  const header = request?.headers['x-correlation-id'];
  const id = typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
  if (request) request.correlationId = id;
  return id;
}

/** The bearer token of the request: undefined without an Authorization header, '' when it is not a bearer token. */
export function bearerTokenOf(request: HttpRequest): string | undefined {
  const header = request?.headers.authorization;
  if (header === undefined) return undefined;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header.trim()) : null;
  return match ? match[1] : '';
}

export function requestContext(request: HttpRequest, principal: Principal | null = null): RequestContext {
  return { actor: principal?.sub ?? 'anonymous', correlationId: correlationIdOf(request), principal };
}

/** The command context of one command of the request, at a business time. */
export function commandContext(request: RequestContext, occurredAt: string): CommandContext {
  return { actor: request.actor, correlationId: request.correlationId, occurredAt };
}
