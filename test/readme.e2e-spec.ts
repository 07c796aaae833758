import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from '@kansli/testing';
import { loadDemo } from '../apps/kansli/src/cli/demo-fixtures';
import { startKansli } from './support/kansli';

/** The GraphQL bodies of the README's curl commands in "Run it", in order, and whether each sends a token. */
function readmeRequests(): Array<{ body: { query: string; variables?: Record<string, unknown> }; withToken: boolean }> {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const runIt = readme.slice(readme.indexOf('## Run it'), readme.indexOf('\n## ', readme.indexOf('## Run it') + 1));
  const requests = [...runIt.matchAll(/curl -s localhost:4000\/graphql((?:[^\n]*\\\n)*[^\n]*)/g)].map(([, rest]) => {
    const data = /-d '([^']*)'/.exec(rest);
    if (!data) throw new Error(`a curl command without a body: ${rest}`);
    return { body: JSON.parse(data[1]) as { query: string; variables?: Record<string, unknown> }, withToken: rest.includes('authorization') };
  });
  return requests;
}

describe('the README\'s first queries, as a newcomer runs them after npm run demo', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startKansli();
    await loadDemo((query, variables) => server.admin.ok(query, variables));
  });
  afterAll(() => server.close());

  it('answers the first one without a token and without errors, and the rest with the token the README makes', async () => {
    const requests = readmeRequests();
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests[0].withToken).toBe(false);
    const revisor = await server.as(['REVISOR'], { sub: 'revisor' });
    let bodyId = '';
    for (const { body, withToken } of requests) {
      const variables = body.variables && Object.fromEntries(Object.entries(body.variables).map(([name, value]) => [name, typeof value === 'string' && value.startsWith('<') ? bodyId : value]));
      const answer = await (withToken ? revisor : server.client).request<{ bodies?: Array<{ id?: string; name: string }> }>(body.query, variables);
      expect(answer.errors).toBeUndefined();
      bodyId ||= answer.data?.bodies?.find((b) => b.id)?.id ?? '';
    }
    const first = await server.client.request<{ bodies: Array<{ meetings: { edges: Array<{ node: { decisions: unknown[] } }> } }> }>(requests[0].body.query);
    expect(first.data?.bodies.flatMap((b) => b.meetings.edges).some((edge) => edge.node.decisions.length === 16)).toBe(true);
  });
});
