/**
 * What the server learns about a GraphQL request while it handles it, for the request's log line and metrics:
 * who called (the GraphQL context), which operation and how it ended (the GraphQL observer).
 */
export interface RequestFacts {
  /** The principal's `sub`; absent for the public and for a token that did not verify. */
  sub?: string;
  /** The operation's name as the document (or the request's `operationName`) gives it. */
  operation?: string;
  /** `ok`, or the `extensions.code` of the answer's first error. */
  outcome?: string;
}

const facts = new WeakMap<object, RequestFacts>();

/** The facts of one HTTP request, created on first use. */
export function requestFacts(request: object): RequestFacts {
  let found = facts.get(request);
  if (!found) facts.set(request, (found = {}));
  return found;
}

/** The facts of a request that reached GraphQL; undefined for any other request. */
export function knownFacts(request: object): RequestFacts | undefined {
  return facts.get(request);
}

/** An operation named by the client, when it is a GraphQL name: anything else never becomes a label or a log field. */
export function operationName(value: unknown): string | undefined {
  return typeof value === 'string' && /^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(value) ? value : undefined;
}
