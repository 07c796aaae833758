import { Registry } from 'prom-client';

/**
 * The server's Prometheus metrics, served at `/metrics`. One registry per application (tests run several in one
 * process); process metrics are added to the answer by the app.
 *
 * A library with something worth watching registers its own metric here rather than the app reaching into it:
 * the diarium registers `kansli_webhook_backlog`, read when scraped (libs/diarium/src/diarium.module.ts).
 */
export class Metrics {
  readonly registry = new Registry();
}
