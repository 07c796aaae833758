import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import { bearerTokenOf, formatError, RateLimiter, requestContext, type HttpRequest } from '@kansli/api';
import { InvalidToken, type Principal, type TokenVerifier } from '@kansli/auth';
import type { KansliConfig } from './config';
import { requestFacts } from './operations/request-facts';
import { queryLimits } from './query-limits';

/**
 * The GraphQL server: its context (who is calling), its error mapping, and the limits that protect it. `plugins`
 * observe it (metrics and the request log).
 */
export function graphqlOptions(config: KansliConfig, verifier: TokenVerifier, plugins: ApolloServerPlugin[] = []): ApolloDriverConfig {
  const limiter = new RateLimiter(config.limits.ratePerMinute);
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: config.limits.introspection,
    includeStacktraceInErrorResponses: false,
    fieldResolverEnhancers: ['guards'],
    validationRules: queryLimits(config.limits),
    plugins,
    context: async (call: { req: HttpRequest & { ip?: string } } | Context) => {
      // A subscription's operation over graphql-ws: the caller was authenticated when the socket connected.
      if ('extra' in call) return { request: requestContext(socketRequest(call), (call.extra as SocketExtra).principal ?? null) };
      const { req } = call;
      // Who called and how a refusal here ended, for the request's log line and metrics (GraphQL's plugins never
      // see a request whose context failed).
      const facts = req ? requestFacts(req) : {};
      try {
        const principal = await authenticate(req, verifier);
        facts.sub = principal?.sub;
        if (!limiter.take(principal ? `sub:${principal.sub}` : `ip:${req?.ip ?? 'unknown'}`)) {
          throw new GraphQLError(`Too many requests: at most ${config.limits.ratePerMinute} a minute; try again shortly`, {
            extensions: { code: 'TOO_MANY_REQUESTS', http: { status: 429, headers: new Map([['retry-after', '60']]) } },
          });
        }
        return { request: requestContext(req, principal), facts };
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : undefined;
        facts.outcome = typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
        throw error;
      }
    },
    formatError: (formatted, error) => formatError(formatted, error),
    // The live timeline (timelineEvents) over graphql-ws at the same path. The token travels in the connection's
    // first message (connectionParams.authorization: "Bearer <JWT>"), since browsers cannot set headers on a
    // WebSocket; a connection with a token that does not verify is closed (4403) before any operation runs.
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        onConnect: async (socket: Context) => {
          try {
            (socket.extra as SocketExtra).principal = await authenticate(socketRequest(socket), verifier);
            return true;
          } catch {
            return false;
          }
        },
        // The errors of a subscription carry the same extensions.code as those of a query.
        onNext: (_socket, _id, _payload, _args, result) =>
          result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : result,
      },
    },
  };
}

/** What the ws transport of graphql-ws puts in `extra`: the HTTP upgrade request; we add who connected. */
interface SocketExtra {
  request: { headers: Record<string, string | string[] | undefined> };
  principal?: Principal | null;
}

/** The socket's upgrade request, with the Authorization of its connection parameters. */
function socketRequest(socket: Context): HttpRequest {
  const authorization = socket.connectionParams?.authorization;
  const { headers } = (socket.extra as SocketExtra).request;
  return { headers: { ...headers, authorization: typeof authorization === 'string' ? authorization : undefined } };
}

/** No Authorization header: the public. A header that does not hold a valid token: refused, never downgraded. */
async function authenticate(request: HttpRequest, verifier: TokenVerifier): Promise<Principal | null> {
  const token = bearerTokenOf(request);
  if (token === undefined) return null;
  try {
    if (token === '') throw new InvalidToken('not a bearer token');
    return await verifier.verify(token);
  } catch (error) {
    if (!(error instanceof InvalidToken)) throw error;
    throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}
