import { Kind, OperationTypeNode, buildSchema, parse, validate, type DocumentNode, type SelectionSetNode } from 'graphql';
import { queryLimits } from './query-limits';

const schema = buildSchema('type Query { a(first: Int): Query, id: ID }');
const rules = queryLimits({ maxDepth: 12, maxComplexity: 10_000 });
const messages = (document: DocumentNode) => validate(schema, document, rules).map((error) => error.message);

/** `{ a { a { … { id } } } }`, `depth` levels of `a`, built without the parser (whose own recursion has a limit). */
function nested(depth: number): DocumentNode {
  let selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } }] };
  for (let level = 0; level < depth; level++) {
    selectionSet = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'a' }, selectionSet }] };
  }
  return { kind: Kind.DOCUMENT, definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY, selectionSet }] };
}

describe('queryLimits', () => {
  it('refuses a query deeper than the limit, naming its depth, and lets one at the limit through', () => {
    expect(messages(nested(12))).toEqual([]);
    expect(messages(nested(13))).toEqual(['The query nests 13 levels deep; at most 12 are allowed']);
  });

  it('refuses a query nested 20,000 levels deep without overflowing the stack (a 500 instead of the refusal)', () => {
    expect(messages(nested(20_000))).toEqual(['The query nests 20000 levels deep; at most 12 are allowed']);
  });

  it('counts the depth through fragments past the limit as before it', () => {
    const deep = parse(`{ a { ...F } } fragment F on Query { a { a { a { a { a { a { a { a { a { a { a { ...G } } } } } } } } } } } } fragment G on Query { a { ... on Query { a { id } } } }`);
    expect(messages(deep)).toEqual(['The query nests 14 levels deep; at most 12 are allowed']);
  });

  it('refuses a query over the complexity limit, a page size multiplying its children', () => {
    expect(messages(parse('{ a(first: 100) { a(first: 100) { id } } }'))).toEqual(['The query would select about 10101 fields; at most 10000 are allowed']);
  });

  it('measures a fragment bomb (each fragment spread twice in the next, 40 deep) at once, without walking its 2^40 paths', () => {
    const levels = 40;
    const definitions = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { a { ...F${i + 1} } id: a { ...F${i + 1} } }`);
    const document = parse(`{ ...F0 } ${definitions.join(' ')} fragment F${levels} on Query { id }`);
    const started = Date.now();
    expect(messages(document)).toEqual(['The query nests 40 levels deep; at most 12 are allowed']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a document with more fragments than any client writes (a chain of 10,000 overflowed the stack: a 500)', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(' ');
    expect(messages(parse(`{ ...F0 } ${chain} fragment F10000 on Query { id }`))).toContain('The query defines 10001 fragments; at most 200 are allowed');
  });

  it('refuses inline fragments nested 20,000 deep without overflowing the stack', () => {
    let selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'id' } }] };
    for (let level = 0; level < 20_000; level++) selectionSet = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.INLINE_FRAGMENT, selectionSet }] };
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY, selectionSet }] };
    expect(messages(document)).toEqual(['The query nests inline fragments more than 100 levels deep']);
  });
});
