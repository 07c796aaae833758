import { randomUUID } from 'node:crypto';
import type { CommandContext } from '@kansli/event-store';

/** Who is calling and which request this is: becomes the metadata of every event the request causes. */
export interface RequestContext {
  actor: string;
  correlationId: string;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Builds the context from the HTTP request; an absent or malformed `x-correlation-id` gets a fresh UUID. */
export function requestContext(request: { headers: Record<string, string | string[] | undefined> } | undefined): RequestContext {
  const header = request?.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
  return { actor: 'anonymous', correlationId };
}

/** The command context of one command of the request, at a business time. */
export function commandContext(request: RequestContext, occurredAt: string): CommandContext {
  return { actor: request.actor, correlationId: request.correlationId, occurredAt };
}
