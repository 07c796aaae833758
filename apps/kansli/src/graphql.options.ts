import type { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError } from 'graphql';
import { bearerTokenOf, formatError, RateLimiter, requestContext, type HttpRequest } from '@kansli/api';
import { InvalidToken, type Principal, type TokenVerifier } from '@kansli/auth';
import type { KansliConfig } from './config';
import { queryLimits } from './query-limits';

/** The GraphQL server: its context (who is calling), its error mapping, and the limits that protect it. */
export function graphqlOptions(config: KansliConfig, verifier: TokenVerifier): ApolloDriverConfig {
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
    context: async ({ req }: { req: HttpRequest & { ip?: string } }) => {
      const principal = await authenticate(req, verifier);
      if (!limiter.take(principal ? `sub:${principal.sub}` : `ip:${req?.ip ?? 'unknown'}`)) {
        throw new GraphQLError(`Too many requests: at most ${config.limits.ratePerMinute} a minute; try again shortly`, {
          extensions: { code: 'TOO_MANY_REQUESTS', http: { status: 429, headers: new Map([['retry-after', '60']]) } },
        });
      }
      return { request: requestContext(req, principal) };
    },
    formatError: (formatted, error) => formatError(formatted, error),
  };
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
