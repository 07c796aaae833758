import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { GraphQLTestClient } from './graphql-client';

export interface TestServer {
  app: INestApplication;
  client: GraphQLTestClient;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Boots the server on a free port over a fresh embedded store in a temp folder.
 * `build` receives that folder and returns the testing module's metadata (usually `{ imports: [AppModule.forRoot(…)] }`).
 */
export async function startTestServer(build: (dataDir: string) => ModuleMetadata): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kansli-e2e-'));
  const moduleRef = await Test.createTestingModule(build(dataDir)).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const client = new GraphQLTestClient(`http://127.0.0.1:${address.port}/graphql`);
  return {
    app,
    client,
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
