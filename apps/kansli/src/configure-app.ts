import type { NestExpressApplication } from '@nestjs/platform-express';
import type { KansliConfig } from './config';

/**
 * What the HTTP layer needs beyond the modules: the largest request body it reads (larger is answered 413), whom
 * to believe about the caller's address (KANSLI_TRUST_PROXY), and
 * what a stop signal (SIGTERM…) does: GraphQL stops after draining HTTP (NestJS' Apollo driver: no new connection,
 * idle keep-alive connections closed, every request in flight answered), then the store closes, then exit 0 —
 * rather than Nest's default of raising the signal again, which ends the process as killed (1 if the stop failed).
 */
export function configureApp(app: NestExpressApplication, config: KansliConfig): void {
  app.useBodyParser('json', { limit: config.limits.maxBodyBytes });
  // Behind reverse proxies (KANSLI_TRUST_PROXY hops), the caller's address is the one they forwarded.
  if (config.limits.trustProxyHops > 0) app.set('trust proxy', config.limits.trustProxyHops);
  app.enableShutdownHooks([], { useProcessExit: true });
}
