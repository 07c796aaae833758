import { buildSchema, execute, GraphQLError, parse, type GraphQLFormattedError } from 'graphql';
import { formatError } from './error-format';

const TOO_MANY = 'Too many errors processing variables, error limit reached. Execution aborted.';
const schema = buildSchema('type Query { person(id: ID!): String fault: String }');

/** Formats an error as Apollo hands it over: the error, and its JSON with the code Apollo defaults to. */
function format(error: GraphQLError): GraphQLFormattedError {
  const formatted = { ...error.toJSON(), extensions: { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' } };
  return formatError(formatted, error, () => undefined);
}

async function errorsOf(query: string, variables?: Record<string, unknown>, fault?: () => unknown): Promise<readonly GraphQLError[]> {
  const document = parse(query);
  const result = await execute({ schema, document, variableValues: variables, rootValue: { fault, person: () => 'P' } });
  return result.errors ?? [];
}

describe('formatError: requests graphql-js refuses itself', () => {
  it('answers more than 50 invalid variable values with BAD_USER_INPUT, also for the error that stops at 50', async () => {
    const n = 60;
    const query = `query(${Array.from({ length: n }, (_, i) => `$v${i}: ID!`).join(', ')}) { ${Array.from({ length: n }, (_, i) => `p${i}: person(id: $v${i})`).join(' ')} }`;
    const errors = await errorsOf(query, Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, { not: 'an id' }])));
    expect(errors).toHaveLength(51);
    expect(errors[50].message).toBe(TOO_MANY);
    expect(format(errors[50]).extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a subscription on a schema without one with GRAPHQL_VALIDATION_FAILED', async () => {
    const [error] = await errorsOf('subscription { person(id: "1") }');
    expect(format(error).extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("answers Apollo's own 4xx refusals without a code (a persisted query's wrong hash) with BAD_REQUEST", () => {
    const error = new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } });
    expect(format(error).extensions?.code).toBe('BAD_REQUEST');
  });

  it('still answers a fault with INTERNAL_SERVER_ERROR and logs it, even one with the same message', async () => {
    const faults = [
      ...(await errorsOf('{ fault }', undefined, () => { throw new Error(TOO_MANY); })),
      ...(await errorsOf('{ fault }', undefined, () => { throw new GraphQLError(TOO_MANY); })),
      new GraphQLError(TOO_MANY, { originalError: new Error('disk on fire') }),
      new GraphQLError('Schema is not configured to execute query operation.', { path: ['fault'] }),
      new GraphQLError('the database went away', { extensions: { http: { status: 500 } } }),
    ];
    const logged: unknown[] = [];
    const codes = faults.map((error) => formatError(format(error), error, (e) => logged.push(e)).extensions?.code);
    expect(codes).toEqual(Array(faults.length).fill('INTERNAL_SERVER_ERROR'));
    expect(logged).toHaveLength(faults.length);
  });
});
