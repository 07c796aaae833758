import type { Clock } from '@kansli/api';
import { startTestServer, type TestServer } from '@kansli/testing';
import { AppModule } from '../../apps/kansli/src/app.module';
import { loadConfig, type KansliConfig } from '../../apps/kansli/src/config';
import { configureApp } from '../../apps/kansli/src/configure-app';

/** The server as `npm start` builds it, on a fresh embedded store in a temp folder, with extra environment. */
export function startKansli(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestServer> {
  let config: KansliConfig;
  return startTestServer(
    (dataDir) => {
      config = loadConfig({ KANSLI_DATA_DIR: dataDir, ...env });
      return { imports: [AppModule.forRoot(config, options)] };
    },
    (app) => configureApp(app, config),
  );
}

/** The environment of a replica on an EventStoreDB (the protocol fake's connection string), under one log origin. */
export function onEventStoreDb(connectionString: string): Record<string, string> {
  return { KANSLI_EVENTSTORE: connectionString, KANSLI_LOG_ORIGIN: 'kansli.test/log' };
}
