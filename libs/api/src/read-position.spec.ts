import { ApolloServer, HeaderMap } from '@apollo/server';
import type { ProjectionRunner } from '@kansli/projections';
import { formatError } from './error-format';
import { MIN_POSITION_HEADER, POSITION_HEADER, readPositionPlugin } from './read-position';

/** Read models whose position the test moves by hand. */
class SteppedReadModels {
  appliedPosition: bigint | undefined = 10n;
  private waiters: Array<{ position: bigint; resolve: () => void }> = [];

  waitFor(position: bigint): Promise<void> {
    if (this.appliedPosition !== undefined && this.appliedPosition >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  reach(position: bigint): void {
    this.appliedPosition = position;
    for (const waiter of this.waiters.filter((w) => w.position <= position)) waiter.resolve();
  }
}

describe('Kansli-Position and Kansli-Min-Position (read-your-writes across replicas)', () => {
  let readModels: SteppedReadModels;
  let server: ApolloServer;
  beforeEach(async () => {
    readModels = new SteppedReadModels();
    server = new ApolloServer({
      typeDefs: 'type Query { position: String }',
      resolvers: { Query: { position: () => String(readModels.appliedPosition) } },
      plugins: [readPositionPlugin(readModels as unknown as ProjectionRunner, 200)],
      formatError: (formatted, error) => formatError(formatted, error, () => undefined),
    });
    await server.start();
  });
  afterEach(() => server.stop());

  const ask = (minPosition?: string) => {
    const headers = new HeaderMap();
    if (minPosition !== undefined) headers.set(MIN_POSITION_HEADER, minPosition);
    return server.executeOperation({ query: '{ position }', http: { method: 'POST', headers, search: '', body: {} } });
  };
  const single = (response: Awaited<ReturnType<typeof ask>>) => {
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  };

  it('tells where the read models stood when it answered', async () => {
    const response = await ask();
    expect(response.http.headers.get(POSITION_HEADER)).toBe('10');
    expect(single(response).data).toEqual({ position: '10' });
  });

  it('answers a request that asks for a later position only once the read models hold it', async () => {
    const answer = ask('25');
    await new Promise((resolve) => setTimeout(resolve, 50));
    readModels.reach(30n);
    const response = await answer;
    expect(single(response).data).toEqual({ position: '30' });
    expect(response.http.headers.get(POSITION_HEADER)).toBe('30');
  });

  it('refuses, retryable, when the read models do not get there in time, and refuses a malformed position', async () => {
    const late = await ask('99');
    expect(late.http.status).toBe(503);
    expect(single(late).errors?.[0]).toMatchObject({ message: expect.stringMatching(/has not yet reached position 99/), extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } });
    const malformed = await ask('-1');
    expect(malformed.http.status).toBe(400);
    expect(single(malformed).errors?.[0]).toMatchObject({ message: expect.stringMatching(/^kansli-min-position must be a position/), extensions: { code: 'BAD_USER_INPUT' } });
  });
});
