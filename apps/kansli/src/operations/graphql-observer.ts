import type { ApolloServerPlugin } from '@apollo/server';
import { Injectable } from '@nestjs/common';
import { getOperationAST, type GraphQLFormattedError } from 'graphql';
import { Counter, Histogram } from 'prom-client';
import { Metrics } from '@kansli/api';
import { knownFacts, operationName, type RequestFacts } from './request-facts';

/** Operation names are chosen by clients: past this many distinct ones, the rest share one label. */
const MAX_OPERATION_LABELS = 200;
export const ANONYMOUS_OPERATION = '(anonymous)';
export const OTHER_OPERATION = '(other)';

interface HttpExchange {
  method?: string;
  body?: unknown;
  query?: unknown;
}

/**
 * Counts and times GraphQL requests per operation and outcome (`ok`, or the first error's `extensions.code`).
 * The Apollo plugin notes the operation and the outcome in the request's facts; `finished` records them once the
 * answer has left, so that the time is what the client waited, and refusals before GraphQL ran (a bad token, too
 * many requests, a body too large) are counted as well.
 */
@Injectable()
export class GraphqlObserver {
  private readonly requests: Counter<'operation' | 'outcome'>;
  private readonly duration: Histogram<'operation' | 'outcome'>;
  private readonly operations = new Set<string>();

  constructor(metrics: Metrics) {
    this.requests = new Counter({
      name: 'kansli_graphql_requests_total',
      help: 'GraphQL requests over HTTP, per operation name and outcome (ok, or the first error\'s extensions.code)',
      labelNames: ['operation', 'outcome'],
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'kansli_graphql_request_duration_seconds',
      help: 'Time from a GraphQL request\'s arrival to its answer, per operation name and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
  }

  /** The Apollo plugin: the operation as the document names it, and how its answer went. */
  readonly plugin: ApolloServerPlugin<{ facts?: RequestFacts }> = {
    requestDidStart: async ({ contextValue }) => {
      const facts = contextValue.facts;
      if (!facts) return;
      return {
        didResolveOperation: async ({ operationName: name }) => {
          facts.operation = name ?? undefined;
        },
        willSendResponse: async ({ response, operationName: name, document, request }) => {
          // A document that did not validate never resolves its operation: read the name from the document.
          facts.operation ??= name ?? (document ? getOperationAST(document, request.operationName)?.name?.value : undefined);
          const body = response.body;
          const errors: readonly GraphQLFormattedError[] | undefined = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          facts.outcome = errors?.length ? outcomeOf(errors[0]) : 'ok';
        },
      };
    },
  };

  /** Records a finished HTTP exchange on /graphql; a page served there (GraphiQL) is not a GraphQL request. */
  finished(request: HttpExchange, status: number, seconds: number): void {
    const facts = knownFacts(request);
    if (!facts && status < 400) return;
    const labels = { operation: this.operationLabel(facts?.operation ?? clientOperationName(request)), outcome: facts?.outcome ?? outcomeOfStatus(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  private operationLabel(name: string | undefined): string {
    if (name === undefined) return ANONYMOUS_OPERATION;
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return OTHER_OPERATION;
    this.operations.add(name);
    return name;
  }
}

/** The operation name the client sent (POST body or GET query), when it is a GraphQL name. */
export function clientOperationName(request: HttpExchange): string | undefined {
  const source = request.method === 'GET' ? request.query : request.body;
  return source && typeof source === 'object' ? operationName((source as { operationName?: unknown }).operationName) : undefined;
}

function outcomeOf(error: GraphQLFormattedError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' && /^[A-Z_]{1,50}$/.test(code) ? code : 'ERROR';
}

/** A request answered before GraphQL ran: its HTTP status says what happened. */
export function outcomeOfStatus(status: number): string {
  return status < 400 ? 'ok' : `HTTP_${status}`;
}
