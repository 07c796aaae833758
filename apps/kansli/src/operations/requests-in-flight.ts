import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';

/**
 * Counts HTTP requests from their headers to their answer, bodies still arriving included
 * (`kansli_http_requests_in_flight`): what a stop waits for. The stop itself is NestJS' Apollo driver's: when
 * GraphQL stops it drains the HTTP server first (Apollo's drain plugin: no new connections, idle keep-alive
 * connections closed, requests in flight answered with `Connection: close`, cut after 10 s).
 */
@Injectable()
export class RequestsInFlight {
  private count = 0;
  private server?: Server;

  attach(server: Server): void {
    if (this.server === server) return;
    this.server = server;
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      this.count++;
      response.once('close', () => this.count--);
    });
  }

  get value(): number {
    return this.count;
  }
}
