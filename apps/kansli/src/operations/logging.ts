import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pino, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import { correlationIdOf } from '@kansli/api';
import type { LogLevel } from '../config';
import { knownFacts } from './request-facts';


/** Requests that probes and scrapers make every few seconds: logged at debug, not info. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Wherever a secret could sit in something logged. The request line carries none of these (it is built from
 * chosen fields, never from headers or bodies); this is for whatever else is logged with an object.
 */
export const REDACTED_PATHS = [
  'authorization', '*.authorization', '*.*.authorization', 'headers.cookie', '*.headers.cookie',
  'connectionParams', '*.connectionParams', 'token', '*.token', 'accessToken', '*.accessToken',
  'secret', '*.secret', '*.*.secret', 'password', '*.password', 'key', '*.key', 'privateKey', '*.privateKey',
];

type Request = IncomingMessage & { originalUrl?: string; id?: unknown };

/** The request's path, without its query string (which may hold anything a client sends). */
function pathOf(request: Request): string {
  const url = request.originalUrl ?? request.url ?? '';
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}

/** One line per request: the correlation id, method, path, status, duration; for GraphQL its operation, outcome and `sub`. */
function requestLine(request: Request, response: ServerResponse, durationMs: number): Record<string, unknown> {
  const facts = knownFacts(request);
  return {
    method: request.method,
    path: pathOf(request),
    status: response.statusCode,
    durationMs,
    ...(facts ? { operation: facts.operation, outcome: facts.outcome, sub: facts.sub } : {}),
  };
}

/**
 * The logger: JSON lines to `destination` at `level` (pretty on a terminal: see `logDestination`), one line per
 * request, Nest's own messages through the same logger (main.ts). Without a destination nothing is logged, which
 * keeps tests that boot the app quiet.
 */
export function loggerParams(level: LogLevel, destination?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: destination ? level : 'silent',
        autoLogging: destination !== undefined && level !== 'silent',
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        genReqId: (request, response) => {
          const id = correlationIdOf(request as Request);
          response.setHeader('x-correlation-id', id);
          return id;
        },
        customAttributeKeys: { reqId: 'correlationId' },
        quietReqLogger: true,
        quietResLogger: true,
        customLogLevel: (request, response, error) =>
          error || response.statusCode >= 500 ? 'error' : PROBES.has(pathOf(request as Request)) ? 'debug' : 'info',
        customSuccessMessage: () => 'request completed',
        customErrorMessage: () => 'request failed',
        customSuccessObject: (request, response, value: { responseTime: number }) => requestLine(request as Request, response, value.responseTime),
        customErrorObject: (request, response, error, value: { responseTime: number }) => ({
          ...requestLine(request as Request, response, value.responseTime),
          err: error,
        }),
      },
      destination ?? { write: () => undefined },
    ],
  };
}

/** Standard output: pino-pretty's readable lines on a terminal, JSON lines otherwise (a log collector). */
export function logDestination(stdout: NodeJS.WriteStream = process.stdout): DestinationStream {
  if (stdout.isTTY) return pretty({ destination: stdout, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return pino.destination({ dest: 1, sync: false });
}
