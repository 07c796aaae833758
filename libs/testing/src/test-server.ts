import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { SIGNING_KEY_FILE, SigningKey, type Role } from '@kansli/auth';
import { GraphQLTestClient } from './graphql-client';

export interface TestServer {
  app: INestApplication;
  /** The public: no token. */
  client: GraphQLTestClient;
  /** A kansli client that may do everything: ADMIN, SEKRETERARE and REVISOR. */
  admin: GraphQLTestClient;
  dataDir: string;
  /** A token signed with the server's embedded key. */
  token(roles: Role[], options?: { sub?: string; personId?: string; ttlSeconds?: number }): Promise<string>;
  /** A client carrying a token with these roles. */
  as(roles: Role[], options?: { sub?: string; personId?: string }): Promise<GraphQLTestClient>;
  close(): Promise<void>;
}

/**
 * Boots the server on a free port over a fresh embedded store in a temp folder.
 * `build` receives that folder and returns the testing module's metadata (usually `{ imports: [AppModule.forRoot(…)] }`).
 */
export async function startTestServer(
  build: (dataDir: string) => ModuleMetadata,
  configure: (app: NestExpressApplication, dataDir: string) => void = (app) => app.enableShutdownHooks(),
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kansli-e2e-'));
  const moduleRef = await Test.createTestingModule(build(dataDir)).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configure(app, dataDir);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const client = new GraphQLTestClient(`http://127.0.0.1:${address.port}/graphql`);
  const key = await SigningKey.loadOrCreate(join(dataDir, SIGNING_KEY_FILE));
  const token: TestServer['token'] = (roles, options = {}) =>
    key.sign({ sub: options.sub ?? `test-${roles.join('-').toLowerCase() || 'none'}`, roles, personId: options.personId }, options.ttlSeconds ?? 3600);
  const as: TestServer['as'] = async (roles, options) => client.withToken(await token(roles, options));
  return {
    app,
    client,
    admin: await as(['ADMIN', 'SEKRETERARE', 'REVISOR'], { sub: 'kansli-test' }),
    dataDir,
    token,
    as,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
