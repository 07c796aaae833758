import { BadRequestException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ConcurrencyError, EventStoreError, EventStoreUnavailableError, InvalidAppendError } from '@kansli/event-store';
import { DomainError } from '@kansli/kernel';
import { Forbidden, Unauthenticated } from './access';
import { ReadModelsBehind } from './read-position';

/** Codes GraphQL itself gives to requests that never ran; they pass through unchanged. */
const GRAPHQL_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'TOO_MANY_REQUESTS']);

/**
 * Errors that graphql-js and Apollo raise about the request itself without giving them a code: the caller's
 * doing, not a fault. Recognised only on an error they made themselves (a GraphQLError with no code, no
 * original error and no path), so nothing thrown inside a resolver or the context can match.
 */
const REQUEST_ERRORS: ReadonlyArray<readonly [RegExp, string]> = [
  // More than 50 variable values did not coerce; the first 50 are already answered as BAD_USER_INPUT.
  [/^Too many errors processing variables, error limit reached\. Execution aborted\.$/, 'BAD_USER_INPUT'],
  // A subscription (or any root type the schema lacks): graphql 16 finds out only when it executes.
  [/^Schema is not configured to execute (query|mutation|subscription) operation\.$/, 'GRAPHQL_VALIDATION_FAILED'],
];

function requestErrorCode(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError) || error.originalError || error.path || error.extensions.code !== undefined) return undefined;
  const known = REQUEST_ERRORS.find(([message]) => message.test(error.message));
  if (known) return known[1];
  // Apollo's own refusals of the HTTP request (a persisted query whose hash does not match, an unknown
  // persisted query version) carry an HTTP 4xx status and no code.
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'BAD_REQUEST' : undefined;
}

/**
 * The one place where errors become GraphQL errors: domain errors keep their code (and rule), validation
 * failures become BAD_USER_INPUT, a concurrency conflict CONFLICT. Anything unexpected is logged and answered
 * with a generic message: no stack trace, no SQL.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: (error: unknown) => void = console.error): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...(original.rule ? { rule: original.rule } : {}) } };
  }
  if (original instanceof Unauthenticated || original instanceof Forbidden) {
    return { ...base, message: original.message, extensions: { code: original.code } };
  }
  if (original instanceof ConcurrencyError) {
    return { ...base, message: 'Someone else changed this at the same moment; please try again', extensions: { code: 'CONFLICT' } };
  }
  if (original instanceof EventStoreUnavailableError) {
    // A full or read-only disk (embedded), the EventStoreDB cluster away or failing over: the client learns that it
    // may retry, and what happened; the operator's log gets the engine's own error.
    log(original);
    return { ...base, message: original.message, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  if (original instanceof ReadModelsBehind) {
    return { ...base, message: original.message, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
  }
  if (original instanceof InvalidAppendError) {
    return { ...base, message: original.message, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (original instanceof BadRequestException) {
    const response = original.getResponse() as { message?: string | string[] };
    const messages = Array.isArray(response.message) ? response.message : [response.message ?? original.message];
    return { ...base, message: messages.join('; '), extensions: { code: 'BAD_USER_INPUT', problems: messages } };
  }
  const requestCode = requestErrorCode(error);
  if (requestCode) return { ...base, extensions: { code: requestCode } };
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && GRAPHQL_CODES.has(code) && !(original instanceof EventStoreError)) {
    return { ...base, extensions: { code } };
  }
  log(original);
  return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
