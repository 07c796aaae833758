import { Controller, Get, Header, Res } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Metrics } from '@kansli/api';
import { ReadinessCheck } from './readiness';

/** The answer's type and status, as much of Express' response as these routes need. */
interface Response {
  status(code: number): Response;
  setHeader(name: string, value: string): void;
  end(body: string): void;
}

let processMetrics: Registry | undefined;

/** CPU, memory, event loop, GC and handles of this process: one registry per process, however many apps it runs. */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * For operators and their tools (plain HTTP, not GraphQL, open to anyone): `/healthz` (the process serves),
 * `/readyz` (it should get traffic; 503 with the reason otherwise), `/metrics` (Prometheus text format). They
 * show states and counts only: no data of the boards, no token, no host, path or configuration.
 */
@Controller()
export class OperationsController {
  constructor(
    private readonly readiness: ReadinessCheck,
    private readonly metrics: Metrics,
  ) {}

  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  healthz(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('readyz')
  async readyz(@Res() response: Response): Promise<void> {
    const readiness = await this.readiness.check();
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.status(readiness.ready ? 200 : 503).end(JSON.stringify(readiness.ready ? { status: 'ready' } : { status: 'not ready', reason: readiness.reason }));
  }

  @Get('metrics')
  async scrape(@Res() response: Response): Promise<void> {
    const own = await this.metrics.registry.metrics();
    const process = await processRegistry().metrics();
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.status(200).end(`${own}\n${process}`);
  }
}
