/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { TestServer } from '@kansli/testing';
import { loadMeeting20180614 } from '../apps/kansli/src/cli/demo-2018-06-14';
import { TestBrowser } from './support/browser';
import { startKansli } from './support/kansli';
import { holdMarkupMeeting, MARKUP, pagesBase, PagesClock, type HeldMeeting } from './support/pages';

/**
 * The pages in a real headless Chromium (puppeteer-core; the browser from @sparticuz/chromium, or KANSLI_CHROMIUM):
 * clicking through, signing in, GraphiQL, axe-core's rules, a phone's width, and markup from the data. If no
 * browser can start, beforeAll fails with the reason and so does every test here.
 */
jest.setTimeout(90_000);

describe('pages in a browser', () => {
  let browser: TestBrowser;
  let server: TestServer;
  let base: string;
  let demo: { bodyId: string; meetingId: string };
  let markup: HeldMeeting;

  beforeAll(async () => {
    browser = await TestBrowser.start();
    server = await startKansli({}, { clock: new PagesClock() });
    base = pagesBase(server);
    demo = await loadMeeting20180614((query, variables) => server.admin.ok(query, variables));
    markup = await holdMarkupMeeting(server.admin);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('clicks through the anslagstavla to a protocol and on to an extract, with JavaScript off', async () => {
    const visited = await browser.run(async ({ newPage }, base: string) => {
      const page = await newPage();
      await page.setJavaScriptEnabled(false);
      await page.goto(`${base}/anslagstavla`);
      const seen = [await page.$eval('h1', (h) => h.textContent)];
      const link = await page.waitForSelector('::-p-text(Protokoll 14 juni 2018)');
      await Promise.all([page.waitForNavigation(), link!.click()]);
      seen.push(await page.$eval('h1', (h) => h.textContent), new URL(page.url()).pathname);
      const extract = await page.waitForSelector('::-p-text(Protokollsutdrag § 29)');
      await Promise.all([page.waitForNavigation(), extract!.click()]);
      seen.push(await page.$eval('h1', (h) => h.textContent), await page.$eval('#bestyrkande', (h) => (h.parentElement as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
      await page.close();
      return seen;
    }, base);
    expect(visited).toEqual([
      'Anslagstavla',
      'Sammanträdesprotokoll 14 juni 2018',
      `/protokoll/${demo.meetingId}`,
      'Protokollsutdrag § 29',
      expect.stringMatching(/^Utdragsbestyrkande Utdraget överensstämmer med § 29 i det justerade protokollet\. Utdraget utfärdat 2018-08-15/),
    ]);
  });

  it('signs in on /revision with a pasted token and filters the timeline by event type', async () => {
    const token = await server.token(['REVISOR'], { sub: 'revisor-kpmg' });
    const result = await browser.run(async ({ newPage }, base: string, token: string) => {
      const page = await newPage();
      await page.goto(`${base}/revision`);
      await page.type('#token', token);
      await Promise.all([page.waitForNavigation(), page.click('form[action="/revision/logga-in"] button')]);
      const signedIn = await page.$eval('main', (main) => main.textContent!.includes('Inloggad som revisor-kpmg'));
      await page.select('#type', 'ProtocolJusterad');
      await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
      const types = await page.$$eval('table.timeline tbody td[data-label="Händelse"]', (cells) => cells.map((cell) => cell.firstChild!.textContent));
      const url = page.url();
      await Promise.all([page.waitForNavigation(), page.click('form[action="/revision/logga-ut"] button')]);
      const signedOut = await page.$eval('main', (main) => main.textContent!.includes('Logga in med en token'));
      await page.close();
      return { signedIn, types, query: new URL(url).search, signedOut };
    }, base, token);
    expect(result).toEqual({ signedIn: true, types: ['ProtocolJusterad', 'ProtocolJusterad'], query: expect.stringContaining('type=ProtocolJusterad'), signedOut: true });
  });

  it('runs a query in GraphiQL, served by the server itself, with the token from its token field', async () => {
    const token = await server.token(['REVISOR']);
    const query = `{ meeting(id: "${demo.meetingId}") { protocol { status findings { rule } } } }`;
    const result = await browser.run(async ({ newPage, consoleErrors }, base: string, token: string, query: string) => {
      const page = await newPage();
      // Only this page's errors (earlier pages answered 401 and 404 on purpose).
      consoleErrors.length = 0;
      const requested: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('data:')) requested.push(new URL(request.url()).origin);
      });
      await page.goto(`${base}/graphql?query=${encodeURIComponent(query)}`);
      await page.waitForSelector('.graphiql-container .graphiql-execute-button', { timeout: 30_000 });
      await page.type('#token', token);
      await page.click('#token-form button');
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('ANSLAGEN'), { timeout: 30_000 });
      const response = await page.$eval('.graphiql-response', (element) => element.textContent!.replace(/\s+/g, ''));
      await page.close();
      return { response, origins: [...new Set(requested)], errors: consoleErrors.filter((error) => !error.includes('favicon')) };
    }, base, token, query);
    expect(result.response).toContain('"status":"ANSLAGEN"');
    expect(result.response).toContain('"rule":"R7"');
    expect(result.origins).toEqual([base]);
    expect(result.errors).toEqual([]);
  });

  it('passes axe-core on every page: no violation of impact serious or critical', async () => {
    const token = await server.token(['REVISOR']);
    const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const paths = [
      '/anslagstavla',
      '/anslagstavla/tidigare',
      `/protokoll/${demo.meetingId}`,
      `/protokoll/${demo.meetingId}/29`,
      `/protokoll/${markup.meetingId}`,
      '/revision',
      `/revision?signed-in&type=DecisionTaken`,
      '/protokoll/00000000-0000-4000-8000-000000000000',
    ];
    const violations = await browser.run(async ({ newPage }, base: string, paths: string[], axe: string, token: string) => {
      const page = await newPage();
      // axe is injected as a script: the pages' policy allows only their own files.
      await page.setBypassCSP(true);
      const found: Array<{ path: string; id: string; impact: string; nodes: string[] }> = [];
      for (const path of paths) {
        if (path.includes('signed-in')) await page.setCookie({ name: 'kansli_session', value: token, url: base });
        await page.goto(`${base}${path}`);
        await page.addScriptTag({ content: axe });
        const result = await page.evaluate(async () => {
          const run = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe.run;
          return (await run(document, { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
        });
        for (const violation of result) found.push({ path, ...violation });
      }
      await page.close();
      return found;
    }, base, paths, axe, token);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('reads on a phone, a tablet, a laptop and at 200 % zoom: nothing scrolls sideways; below 70rem the tables become cards', async () => {
    const token = await server.token(['REVISOR']);
    const paths = ['/anslagstavla', `/protokoll/${demo.meetingId}`, `/protokoll/${markup.meetingId}`, `/protokoll/${demo.meetingId}/29`, '/revision?type=ProtocolJusterad'];
    const layouts = await browser.run(async ({ newPage }, base: string, paths: string[], token: string) => {
      const page = await newPage();
      await page.setCookie({ name: 'kansli_session', value: token, url: base });
      const out: Array<{ path: string; width: number; overflow: number; stacked: boolean | null }> = [];
      // A phone (320 px at 2× density) and a 640 px window zoomed to 200 % both lay out 320 CSS pixels.
      const viewports = [
        { width: 320, height: 640, deviceScaleFactor: 2, isMobile: true },
        { width: 320, height: 480, deviceScaleFactor: 2 },
        { width: 768, height: 1024 },
        { width: 1000, height: 800 },
        { width: 1120, height: 800 },
        { width: 1280, height: 800 },
      ];
      for (const viewport of viewports) {
        await page.setViewport(viewport);
        for (const path of paths) {
          await page.goto(`${base}${path}`);
          await page.evaluate(() => document.querySelectorAll('details').forEach((details) => (details.open = true)));
          out.push(
            await page.evaluate((path) => {
              const thead = document.querySelector('table.stack thead');
              return {
                path,
                width: window.innerWidth,
                overflow: document.documentElement.scrollWidth - window.innerWidth,
                stacked: thead ? thead.getBoundingClientRect().width <= 1 : null,
              };
            }, path),
          );
        }
      }
      await page.close();
      return out;
    }, base, paths, token);
    expect(layouts).toHaveLength(30);
    for (const layout of layouts) {
      const stacked = layout.stacked === null ? null : layout.width <= 1120;
      expect(layout).toEqual({ path: layout.path, width: layout.width, overflow: 0, stacked });
    }
  });

  it('shows markup from the data as text on every page and runs none of it', async () => {
    const token = await server.token(['REVISOR']);
    const paths = ['/anslagstavla', `/protokoll/${markup.meetingId}`, `/protokoll/${markup.meetingId}/1`, `/revision?bodyId=${markup.board.bodyId}`];
    const seen = await browser.run(async ({ newPage, dialogs }, base: string, paths: string[], token: string) => {
      const page = await newPage();
      await page.setCookie({ name: 'kansli_session', value: token, url: base });
      const texts: string[] = [];
      let injected = 0;
      for (const path of paths) {
        await page.goto(`${base}${path}`, { waitUntil: 'load' });
        texts.push(await page.evaluate(() => document.documentElement.textContent ?? ''));
        injected += await page.evaluate(() => document.querySelectorAll('script, img, iframe, main em, main b, main i').length);
      }
      await page.close();
      return { texts, dialogs: [...dialogs], injected };
    }, base, paths, token);
    expect(seen.dialogs).toEqual([]);
    expect(seen.injected).toBe(0);
    for (const text of seen.texts) expect(text).toContain(MARKUP.body);
    expect(seen.texts[1]).toContain(MARKUP.title);
    expect(seen.texts[1]).toContain(MARKUP.reason);
    expect(seen.texts[2]).toContain(MARKUP.clause);
  });
});
