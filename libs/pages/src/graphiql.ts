import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Controller, Get, Injectable, Param, Req, Res, UseFilters, type NestMiddleware } from '@nestjs/common';
import type { Next as NextFunction, PageRequest as Request, PageResponse as Response } from './http';
import { notFound } from './page-access';
import { PageErrorFilter, securityHeaders } from './page-response';

/**
 * GraphiQL offline: the `graphiql` package's own browser bundle (with React 18's UMD files) served by this
 * server, never a CDN. A browser opening /graphql (a GET that prefers HTML) gets the page; every other request to
 * /graphql, the POSTs of GraphiQL itself included, goes on to Apollo unchanged, with its CSRF prevention.
 */

const ASSETS = '/graphiql';

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** The files, by the name the page asks for. Read (and gzipped) on first use: the bundle is 3.5 MB. */
const FILES: Record<string, { file: () => string; type: string }> = {
  'react.production.min.js': { file: () => join(packageDir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { file: () => join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.min.js': { file: () => require.resolve('graphiql/graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { file: () => require.resolve('graphiql/graphiql.min.css'), type: 'text/css; charset=utf-8' },
};

/** The page's own script: the token field, and a fetcher that sends the token as `Authorization: Bearer`. */
const START_SCRIPT = `(function () {
  'use strict';
  var KEY = 'kansli.graphiql.token';
  var input = document.getElementById('token');
  var status = document.getElementById('token-status');
  input.value = sessionStorage.getItem(KEY) || '';
  function token() { return input.value.trim().replace(/^Bearer\\s+/i, ''); }
  function show() { status.textContent = token() ? 'Frågorna skickas med din token.' : 'Frågorna skickas utan token: den publika vyn.'; }
  document.getElementById('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    input.value = token();
    if (input.value) sessionStorage.setItem(KEY, input.value); else sessionStorage.removeItem(KEY);
    show();
  });
  show();
  var send = GraphiQL.createFetcher({ url: location.origin + '/graphql' });
  function fetcher(params, options) {
    var headers = Object.assign({}, (options && options.headers) || {});
    if (token() && !headers.Authorization && !headers.authorization) headers.Authorization = 'Bearer ' + token();
    return send(params, Object.assign({}, options || {}, { headers: headers }));
  }
  var query = new URLSearchParams(location.search).get('query');
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    query: query || undefined,
    defaultQuery: '# Kansli: GraphQL-gränssnittet. Klistra in en token ovan för att läsa mer än det publika.\\n{\\n  bodies {\\n    id\\n    name\\n  }\\n}\\n',
    defaultEditorToolsVisibility: false
  }));
})();
`;

const PAGE_STYLE = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
.token-bar { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .5rem 1rem; background: #123b5c; color: #fff; }
.token-bar h1 { font-size: 1.1rem; margin: 0; }
.token-bar a { color: #fff; }
.token-bar label { font-weight: 600; }
.token-bar input { min-width: 16rem; flex: 1 1 20rem; font: inherit; padding: .3rem; }
.token-bar button { font: inherit; padding: .3rem .9rem; }
#graphiql { flex: 1 1 auto; min-height: 0; }
`;

const PAGE = `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL – Kansli</title>
<link rel="stylesheet" href="${ASSETS}/graphiql.min.css">
<link rel="stylesheet" href="${ASSETS}/kansli-graphiql.css">
</head>
<body>
<header class="token-bar">
<h1>Kansli GraphQL</h1>
<form id="token-form">
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" placeholder="Klistra in en JWT (utan den: den publika vyn)">
<button type="submit">Använd token</button>
<span id="token-status" role="status"></span>
</form>
<a href="/anslagstavla">Anslagstavlan</a>
</header>
<main id="graphiql">GraphiQL laddas … (GraphiQL kräver JavaScript; utan det: skicka frågor med POST till /graphql.)</main>
<script src="${ASSETS}/react.production.min.js"></script>
<script src="${ASSETS}/react-dom.production.min.js"></script>
<script src="${ASSETS}/graphiql.min.js"></script>
<script src="${ASSETS}/kansli-graphiql.js"></script>
</body>
</html>
`;

/** GraphiQL's needs: its own scripts, inline styles of its editor, data: fonts and images, requests to this server. */
const GRAPHIQL_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Serves the page for a browser's GET /graphql; passes everything else on to Apollo. */
@Injectable()
export class GraphiqlMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || request.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html') {
      next();
      return;
    }
    securityHeaders(response, GRAPHIQL_POLICY);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('Vary', 'Accept');
    response.end(PAGE);
  }
}

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

@Controller(ASSETS.slice(1))
@UseFilters(PageErrorFilter)
export class GraphiqlAssetsController {
  private readonly assets = new Map<string, Asset>();

  @Get(':name')
  asset(@Param('name') name: string, @Req() request: Request, @Res() response: Response): void {
    const asset = this.load(name);
    if (!asset) throw notFound();
    response.setHeader('Content-Type', asset.type);
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Vary', 'Accept-Encoding');
    if (request.acceptsEncodings('gzip') === 'gzip') {
      response.setHeader('Content-Encoding', 'gzip');
      response.end(asset.gzip);
    } else {
      response.end(asset.body);
    }
  }

  private load(name: string): Asset | undefined {
    const known = this.assets.get(name);
    if (known) return known;
    let body: Buffer;
    let type: string;
    if (name === 'kansli-graphiql.js') [body, type] = [Buffer.from(START_SCRIPT), 'text/javascript; charset=utf-8'];
    else if (name === 'kansli-graphiql.css') [body, type] = [Buffer.from(PAGE_STYLE), 'text/css; charset=utf-8'];
    else if (Object.hasOwn(FILES, name)) [body, type] = [readFileSync(FILES[name].file()), FILES[name].type];
    else return undefined;
    const asset = { type, body, gzip: gzipSync(body) };
    this.assets.set(name, asset);
    return asset;
  }
}
