import type { NestExpressApplication } from '@nestjs/platform-express';
import type { KansliConfig } from './config';

/** What the HTTP layer needs beyond the modules: the largest request body it reads (larger is answered 413). */
export function configureApp(app: NestExpressApplication, config: KansliConfig): void {
  app.useBodyParser('json', { limit: config.limits.maxBodyBytes });
  app.enableShutdownHooks();
}
