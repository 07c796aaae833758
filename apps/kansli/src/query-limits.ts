import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type FragmentDefinitionNode, type FragmentSpreadNode, type InlineFragmentNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Limits } from './config';

/** The cost of `first: $variable`, whose value validation does not see: the usual largest page (resolvers cap pages). */
const LARGEST_PAGE = 100;

/** More fragment definitions than any client writes: a document with more is refused before it is measured. */
export const MAX_FRAGMENTS = 200;
/** Inline fragments nested in one another (they add no depth): more is refused rather than walked. */
export const MAX_INLINE_NESTING = 100;

class TooNested extends Error {}

/**
 * Refuses, before anything runs, a query nested deeper than `maxDepth` or selecting more than `maxComplexity`
 * fields. A field with `first` multiplies the cost of its children by it. Fragments are followed; each is
 * measured once and its result reused, so a fragment spread twice at every level (a "fragment bomb") costs
 * no more to measure than to read. Cycles count nothing here: validation refuses them anyway.
 */
export function queryLimits(limits: Pick<Limits, 'maxDepth' | 'maxComplexity'>) {
  return [
    (context: ValidationContext): ASTVisitor => ({
      OperationDefinition(operation) {
        const refuse = (message: string) => context.reportError(new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } }));
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const definition of context.getDocument().definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        }
        if (fragments.size > MAX_FRAGMENTS) {
          refuse(`The query defines ${fragments.size} fragments; at most ${MAX_FRAGMENTS} are allowed`);
          return;
        }
        const selectionsOf = (selection: FragmentSpreadNode | InlineFragmentNode) =>
          selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;

        /** The deepest level under `start` (at `depth`), walked with a stack of its own instead of the call stack. */
        const deepestBelow = (start: SelectionSetNode, depth: number): number => {
          let deepest = depth;
          const expanded = new Set<string>();
          const pending = [{ set: start, depth, path: new Set<string>() as ReadonlySet<string> }];
          for (let next = pending.pop(); next; next = pending.pop()) {
            deepest = Math.max(deepest, next.depth);
            for (const selection of next.set.selections) {
              if (selection.kind === Kind.FIELD) {
                if (selection.selectionSet && !selection.name.value.startsWith('__')) pending.push({ set: selection.selectionSet, depth: next.depth + 1, path: next.path });
                continue;
              }
              const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
              const set = selectionsOf(selection);
              if (!set) continue;
              if (name === undefined) {
                pending.push({ set, depth: next.depth, path: next.path });
                continue;
              }
              // A fragment met again at the same depth adds nothing new; met again on its own path, it is a cycle.
              const key = `${name}@${next.depth}`;
              if (next.path.has(name) || expanded.has(key)) continue;
              expanded.add(key);
              pending.push({ set, depth: next.depth, path: new Set([...next.path, name]) });
            }
          }
          return deepest;
        };

        const measured = new Map<string, { depth: number; cost: number }>();
        /** A fragment's depth below where it is spread, and its cost: measured once. */
        const fragment = (name: string): { depth: number; cost: number } => {
          const known = measured.get(name);
          if (known) return known;
          measured.set(name, { depth: 0, cost: 0 });
          const set = fragments.get(name)?.selectionSet;
          const result = set ? measure(set, 0) : { depth: 0, cost: 0 };
          measured.set(name, result);
          return result;
        };
        const measure = (set: SelectionSetNode, depth: number, inline = 0): { depth: number; cost: number } => {
          if (inline > MAX_INLINE_NESTING) throw new TooNested();
          let deepest = depth;
          let cost = 0;
          for (const selection of set.selections) {
            if (selection.kind === Kind.FIELD) {
              if (selection.name.value.startsWith('__')) continue;
              // Past the limit only the depth is wanted (the query is refused for it), and it is found without
              // recursion: thousands of levels would overflow the stack (a 500 instead of the refusal).
              const child = !selection.selectionSet
                ? { depth, cost: 0 }
                : depth + 1 > limits.maxDepth
                  ? { depth: deepestBelow(selection.selectionSet, depth + 1), cost: 0 }
                  : measure(selection.selectionSet, depth + 1);
              deepest = Math.max(deepest, child.depth);
              cost += 1 + pageSize(selection) * child.cost;
              continue;
            }
            const inner =
              selection.kind === Kind.INLINE_FRAGMENT
                ? measure(selection.selectionSet, depth, inline + 1)
                : ((own) => ({ depth: depth + own.depth, cost: own.cost }))(fragment(selection.name.value));
            deepest = Math.max(deepest, inner.depth);
            cost += inner.cost;
          }
          return { depth: deepest, cost };
        };
        let measuredOperation: { depth: number; cost: number };
        try {
          measuredOperation = measure(operation.selectionSet, 0);
        } catch (error) {
          if (!(error instanceof TooNested)) throw error;
          refuse(`The query nests inline fragments more than ${MAX_INLINE_NESTING} levels deep`);
          return;
        }
        const { depth, cost } = measuredOperation;
        if (depth > limits.maxDepth) refuse(`The query nests ${depth} levels deep; at most ${limits.maxDepth} are allowed`);
        else if (cost > limits.maxComplexity) refuse(`The query would select about ${cost} fields; at most ${limits.maxComplexity} are allowed`);
      },
    }),
  ];
}

function pageSize(field: FieldNode): number {
  const first = field.arguments?.find((argument) => argument.name.value === 'first');
  if (!first) return 1;
  return first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : LARGEST_PAGE;
}
