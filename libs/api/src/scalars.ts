import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { isIsoDate } from '@kansli/kernel';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function stringScalar(name: string, description: string, valid: (value: string) => boolean, expected: string) {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) {
      throw new GraphQLError(`${name} must be ${expected}, got ${JSON.stringify(value)}`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (value) => check(value),
    parseValue: (value) => check(value),
    parseLiteral: (ast) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

/** A calendar date, `YYYY-MM-DD`, that exists (no 2018-02-30). */
export const DateScalar = stringScalar('Date', 'A calendar date, YYYY-MM-DD.', isIsoDate, 'a date YYYY-MM-DD');

/** A moment with its offset, kept as written (`2018-06-14T09:00:00+02:00`). */
export const DateTimeScalar = stringScalar(
  'DateTime',
  'A date and time in ISO 8601 with offset, e.g. 2018-06-14T09:00:00+02:00.',
  (value) => DATE_TIME.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)),
  'an ISO 8601 date-time with offset, e.g. 2018-06-14T09:00:00+02:00',
);
