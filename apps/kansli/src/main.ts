import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { ConfigError, loadConfig, type KansliConfig } from './config';
import { logDestination } from './operations/logging';

async function bootstrap(): Promise<void> {
  let config: KansliConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // Nest's own messages (startup, errors) go through the same JSON logger as the request lines.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, { logs: logDestination() }), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureApp(app, config);
  await app.listen(config.port);
  const store = config.eventStore.engine === 'sqlite' ? config.eventStore.filename : 'EventStoreDB';
  logger.log(`Kansli listens on http://localhost:${config.port}/graphql (event store: ${store})`, 'Kansli');
}

void bootstrap();
