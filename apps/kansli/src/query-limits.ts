import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type FragmentDefinitionNode, type FragmentSpreadNode, type InlineFragmentNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Limits } from './config';

/** The cost of `first: $variable`, whose value validation does not see: the usual largest page (resolvers cap pages). */
const LARGEST_PAGE = 100;

/**
 * Refuses, before anything runs, a query nested deeper than `maxDepth` or selecting more than `maxComplexity`
 * fields. A field with `first` multiplies the cost of its children by it. Fragments are followed (each spread
 * once per path).
 */
export function queryLimits(limits: Pick<Limits, 'maxDepth' | 'maxComplexity'>) {
  return [
    (context: ValidationContext): ASTVisitor => ({
      OperationDefinition(operation) {
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const definition of context.getDocument().definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        }
        const fragmentOf = (selection: FragmentSpreadNode | InlineFragmentNode, path: ReadonlySet<string>) => {
          const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
          const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(name ?? '');
          if (!fragment || (name !== undefined && path.has(name))) return undefined;
          return { set: fragment.selectionSet, path: name === undefined ? path : new Set([...path, name]) };
        };
        /** The deepest level under `start` (at `depth`), walked with a stack of its own instead of the call stack. */
        const deepestBelow = (start: SelectionSetNode, depth: number, path: ReadonlySet<string>): number => {
          let deepest = depth;
          const pending = [{ set: start, depth, path }];
          for (let next = pending.pop(); next; next = pending.pop()) {
            deepest = Math.max(deepest, next.depth);
            for (const selection of next.set.selections) {
              if (selection.kind === Kind.FIELD) {
                if (selection.selectionSet && !selection.name.value.startsWith('__')) pending.push({ set: selection.selectionSet, depth: next.depth + 1, path: next.path });
                continue;
              }
              const inner = fragmentOf(selection, next.path);
              if (inner) pending.push({ ...inner, depth: next.depth });
            }
          }
          return deepest;
        };
        const measure = (set: SelectionSetNode, depth: number, path: ReadonlySet<string>): { depth: number; cost: number } => {
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
                  ? { depth: deepestBelow(selection.selectionSet, depth + 1, path), cost: 0 }
                  : measure(selection.selectionSet, depth + 1, path);
              deepest = Math.max(deepest, child.depth);
              cost += 1 + pageSize(selection) * child.cost;
              continue;
            }
            const fragment = fragmentOf(selection, path);
            if (!fragment) continue;
            const inner = measure(fragment.set, depth, fragment.path);
            deepest = Math.max(deepest, inner.depth);
            cost += inner.cost;
          }
          return { depth: deepest, cost };
        };
        const { depth, cost } = measure(operation.selectionSet, 0, new Set());
        const refuse = (message: string) => context.reportError(new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } }));
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
