import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';

/** What a function sent to the browser process receives. */
export interface BrowserContext {
  browser: Browser;
  /** A new tab that records dialogs and console errors. */
  newPage(): Promise<Page>;
  /** Messages of alert/confirm/prompt dialogs any page opened: markup from the data that ran. */
  dialogs: string[];
  consoleErrors: string[];
}

/**
 * A real headless Chromium driven by puppeteer-core, in its own Node process (browser-driver.mjs): the functions
 * given to `run` are sent there as source text, so they must not use anything from the test's scope; pass what
 * they need as arguments (JSON values). When no browser can start, `start` fails with the reason: the page tests
 * fail, never skip.
 */
export class TestBrowser {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly version: string,
  ) {
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(`in the browser: ${message.error}`));
      else waiting?.resolve(message.result);
    });
    child.on('exit', (code) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the browser process exited (${code})`));
      this.pending.clear();
    });
  }

  static async start(): Promise<TestBrowser> {
    const child = fork(join(__dirname, 'browser-driver.mjs'), [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const ready = await new Promise<{ ready: boolean; version?: string; reason?: string }>((resolve) => {
      const timer = setTimeout(() => resolve({ ready: false, reason: 'no answer within 90 s' }), 90_000);
      child.once('message', (message: { ready: boolean; version?: string; reason?: string }) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ ready: false, reason: `the browser process exited with ${code}` });
      });
    });
    if (!ready.ready) {
      child.kill();
      throw new Error(`No headless browser could start for the page tests: ${ready.reason}${stderr ? `\n${stderr}` : ''}`);
    }
    return new TestBrowser(child, ready.version ?? 'unknown');
  }

  run<T, A extends unknown[]>(fn: (context: BrowserContext, ...args: A) => Promise<T>, ...args: A): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, source: fn.toString(), args });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
