import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { ProjectionRunner } from '@kansli/projections';

/** Response header: the position in the log this replica's read models had reached when it answered. */
export const POSITION_HEADER = 'kansli-position';
/** Request header: answer only from read models that have reached at least this position. */
export const MIN_POSITION_HEADER = 'kansli-min-position';
/** How long a request waits for this replica to reach the position it asks for. */
export const MIN_POSITION_WAIT_MS = 5_000;

/**
 * Read-your-writes across replicas (scale-out mode). Every answer carries `Kansli-Position`: where this replica's
 * read models stood, at least the position of anything the request wrote (a mutation answers once its events are
 * in them). A client that sends that value back as `Kansli-Min-Position`, to any replica, gets an answer from read
 * models that hold it: the request waits until they do, or is refused as SERVICE_UNAVAILABLE (retryable) after
 * `waitMs`. A malformed value is BAD_USER_INPUT. The embedded engine's read models always hold the whole log: no
 * header is sent, and one received needs no wait.
 */
export function readPositionPlugin(readModels: ProjectionRunner, waitMs = MIN_POSITION_WAIT_MS): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const asked = request.http?.headers.get(MIN_POSITION_HEADER);
      return {
        async didResolveOperation() {
          if (asked === undefined || asked === null) return;
          if (!/^\d{1,60}$/.test(asked.trim())) {
            throw new GraphQLError(`${MIN_POSITION_HEADER} must be a position as given in ${POSITION_HEADER} (digits), got ${JSON.stringify(asked.slice(0, 80))}`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          await waitOrRefuse(readModels, BigInt(asked.trim()), waitMs);
        },
        async willSendResponse({ response }) {
          const position = readModels.appliedPosition;
          if (position !== undefined) response.http.headers.set(POSITION_HEADER, position.toString());
        },
      };
    },
  };
}

/** The read models have not reached the position a request asked for within the wait. */
export class ReadModelsBehind extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelsBehind';
  }
}

async function waitOrRefuse(readModels: ProjectionRunner, position: bigint, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), waitMs)));
  try {
    const outcome = await Promise.race([readModels.waitFor(position).then(() => 'ready' as const), late]);
    if (outcome === 'late') {
      const behind = new ReadModelsBehind(`This replica has not yet reached position ${position} of the log (${MIN_POSITION_HEADER}) after ${waitMs} ms; try again in a moment`);
      throw new GraphQLError(behind.message, {
        originalError: behind,
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, http: { status: 503, headers: new Map([['retry-after', '1']]) } },
      });
    }
  } finally {
    clearTimeout(timer);
  }
}
