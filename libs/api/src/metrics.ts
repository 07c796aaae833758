import { Registry } from 'prom-client';

/**
 * The server's Prometheus metrics, served at `/metrics`. One registry per application (tests run several in one
 * process); process metrics are added to the answer by the app.
 *
 * A library with something worth watching registers its own metric here rather than the app reaching into it.
 * The webhook backlog, for instance, belongs to whoever delivers webhooks: inject `Metrics` and register a gauge
 * named `kansli_webhook_backlog` that reads the backlog when scraped:
 * `new Gauge({ name: 'kansli_webhook_backlog', help: '…', registers: [metrics.registry], collect() { this.set(…) } })`.
 */
export class Metrics {
  readonly registry = new Registry();
}
