/**
 * The headless browser of the page tests, in a plain Node process: puppeteer-core and @sparticuz/chromium are ES
 * modules, which Jest (on Node 20) cannot load, so the tests send this process the functions to run against the
 * browser (see browser.ts). The Chromium inside @sparticuz/chromium (from the npm registry, unpacked on first use
 * into the temp folder); the system's Chromium when that one cannot start; KANSLI_CHROMIUM names another.
 */
import { existsSync } from 'node:fs';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';

const send = (message) => process.send?.(message);

/** Debian's and Ubuntu's Chromium, used when the packaged one cannot start (another CPU architecture). */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

async function launch() {
  if (process.env.KANSLI_CHROMIUM) return puppeteer.launch({ executablePath: process.env.KANSLI_CHROMIUM, args: ['--no-sandbox', '--headless=new'], headless: true, protocolTimeout: 60_000 });
  try {
    return await puppeteer.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true, protocolTimeout: 60_000 });
  } catch (error) {
    const system = SYSTEM_CHROMIUM.find((path) => existsSync(path));
    if (!system) throw error;
    return puppeteer.launch({ executablePath: system, args: ['--no-sandbox', '--headless=new'], headless: true, protocolTimeout: 60_000 });
  }
}

let browser;
try {
  browser = await launch();
  send({ ready: true, version: await browser.version() });
} catch (error) {
  send({ ready: false, reason: error instanceof Error ? `${error.message}` : String(error) });
  process.exit(1);
}

/** What the page saw: alert/confirm dialogs (markup that ran) and console errors (CSP violations and failures). */
const dialogs = [];
const consoleErrors = [];

async function newPage() {
  const page = await browser.newPage();
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  return page;
}

process.on('message', async ({ id, source, args }) => {
  try {
    const fn = new Function(`return (${source});`)();
    const result = await fn({ browser, newPage, dialogs, consoleErrors }, ...args);
    send({ id, result: result === undefined ? null : result });
  } catch (error) {
    send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

process.on('disconnect', () => void browser.close().finally(() => process.exit(0)));
