import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { PageResponse as Response } from './http';
import { html } from './html';
import { page } from './layout';
import { PageError } from './page-access';

/** No inline script or style anywhere: the pages' only resources are their own stylesheet (and GraphiQL's files). */
export const PAGE_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function securityHeaders(response: Response, policy = PAGE_POLICY): void {
  response.setHeader('Content-Security-Policy', policy);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'same-origin');
}

/**
 * Sends a page. What the public sees may be cached briefly; a page read with a token (a draft, the auditors'
 * page) is never stored.
 */
export function send(response: Response, body: string | Buffer, options: { type: string; personal: boolean; status?: number; filename?: string }): void {
  securityHeaders(response);
  response.status(options.status ?? 200);
  response.setHeader('Content-Type', options.type);
  response.setHeader('Cache-Control', options.personal ? 'private, no-store' : 'public, max-age=60');
  response.setHeader('Vary', 'Authorization, Cookie');
  if (options.filename) response.setHeader('Content-Disposition', `inline; filename="${options.filename}"`);
  response.end(body);
}

export function errorPage(error: PageError): string {
  return page({
    title: error.title,
    main: html`<h1>${error.title}</h1><p>${error.message}</p><p><a href="/anslagstavla">Till anslagstavlan</a></p>`,
  });
}

/**
 * Errors of the pages as pages in Swedish: 404 for what does not exist or may not be seen, never a stack trace.
 * An error the pages did not expect is logged and answered 500.
 */
@Catch()
export class PageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let error: PageError;
    if (exception instanceof PageError) error = exception;
    else if (exception instanceof HttpException && exception.getStatus() === 404) error = new PageError(404, 'Sidan finns inte', 'Det finns ingen sida på den här adressen.');
    else if (exception instanceof HttpException && exception.getStatus() < 500) {
      error = new PageError(exception.getStatus(), 'Felaktig begäran', 'Servern kunde inte tolka begäran.');
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
      error = new PageError(500, 'Något gick fel', 'Sidan kunde inte visas just nu. Försök igen om en stund.');
    }
    if (response.headersSent) {
      response.end();
      return;
    }
    send(response, errorPage(error), { type: 'text/html; charset=utf-8', personal: true, status: error.status });
  }
}
