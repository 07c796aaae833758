import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { ConfigError, loadConfig, type KansliConfig } from './config';

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
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: ['error', 'warn', 'log'] });
  configureApp(app, config);
  await app.listen(config.port);
  const store = config.eventStore.engine === 'sqlite' ? config.eventStore.filename : 'EventStoreDB';
  console.log(`Kansli listens on http://localhost:${config.port}/graphql (event store: ${store})`);
}

void bootstrap();
