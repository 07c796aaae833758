import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SigningKey } from '@kansli/auth';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module';
import { configureApp } from '../configure-app';
import { ConfigError, loadConfig } from '../config';
import { DEMO_BODY_NAME, type Send } from './demo-2018-06-14';
import { DEMO_STEPS, loadDemo } from './demo-fixtures';
import { progress } from './progress';

/** `npm run demo`: loads the fixtures (see demo-fixtures.ts) into the configured store through the GraphQL API. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.auth.mode !== 'embedded') throw new ConfigError('KANSLI_OIDC_JWKS_URL', 'the demo loads with the embedded signing key; unset the OIDC settings');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const key = await SigningKey.loadOrCreate(config.auth.keyFile);
  const token = await key.sign({ sub: 'demo-loader', roles: ['ADMIN', 'SEKRETERARE'] }, 600);
  let requests = 0;
  const send: Send = async <T>(query: string, variables?: Record<string, unknown>) => {
    requests++;
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'demo-2018-06-14', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length || !body.data) throw new Error(body.errors?.map((e) => e.message).join('; ') ?? 'no data');
    return body.data;
  };
  try {
    const { bodies } = await send<{ bodies: Array<{ id: string; name: string }> }>('{ bodies { id name } }');
    const existing = bodies.find((body) => body.name === DEMO_BODY_NAME);
    if (existing) {
      console.log(`The demo is already loaded (body ${existing.id}); nothing written.`);
      return;
    }
    // A bar on a terminal only: the demo's own output says what it loaded.
    const bar = progress('demo', process.stderr, { lines: false });
    const { bodyId, meetingId, meeting2020Id, delegationId } = await loadDemo(send, (step, index) =>
      bar.update(index, DEMO_STEPS.length, `${step} (${requests} requests so far)`),
    )
      .then((ids) => (bar.update(DEMO_STEPS.length, DEMO_STEPS.length, `loaded (${requests} requests)`), ids))
      .finally(() => bar.stop());
    console.log(`Loaded into ${config.eventStore.engine === 'sqlite' ? config.eventStore.filename : 'EventStoreDB'}:`);
    console.log(`  body ${bodyId}`);
    console.log(`  the meeting of 2018-06-14 (§ 24–39) ${meetingId}, with § 34's delegation ${delegationId}`);
    console.log(`  the meeting of 2020-06-11 (from its kallelse) ${meeting2020Id}, with the attestordning it approved`);
    console.log('  the 2019 budget with its outcome from the årsredovisning 2019');
    console.log('Start the server (npm start) and ask, for example:');
    console.log(`  { meeting(id: "${meetingId}") { start place decisions { paragraph title clauses } protocol { status justeradAt anslag { postedAt appealDeadline } findings { rule message } } } }`);
    console.log(`  { budget(bodyId: "${bodyId}", year: 2019) { income costs result comparison { code name adopted revised outcome deviation } outcome { result source } } }  (with a token)`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
