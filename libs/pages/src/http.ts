/**
 * The part of Express's request and response the pages use (Express 5 under @nestjs/platform-express; its type
 * package is not installed, so the pages name what they rely on).
 */
export interface PageHeaders {
  [name: string]: string | string[] | undefined;
  host?: string;
  cookie?: string;
  authorization?: string;
}

export interface PageRequest {
  method: string;
  headers: PageHeaders;
  protocol: string;
  secure: boolean;
  accepts(types: string[]): string | false;
  acceptsEncodings(...encodings: string[]): string | false;
}

export interface PageResponse {
  headersSent: boolean;
  status(code: number): PageResponse;
  setHeader(name: string, value: string | string[]): unknown;
  redirect(status: number, url: string): void;
  end(body?: string | Buffer): unknown;
}

export type Next = (error?: unknown) => void;
