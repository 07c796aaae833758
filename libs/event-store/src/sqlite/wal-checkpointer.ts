import { Worker } from 'node:worker_threads';

/**
 * The worker's own code: a second connection to the same file that runs PASSIVE checkpoints when asked. A
 * PASSIVE checkpoint never waits for readers or the writer, so it runs beside the event loop's commits.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
parentPort.on('message', (message) => {
  if (message === 'close') {
    try {
      db.close();
    } finally {
      parentPort.close();
    }
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

/**
 * Copies the WAL back into the database file on a worker thread, so that the event loop never pays for it.
 * SQLite's own automatic checkpoint runs inside the COMMIT that crosses its threshold: it copies a thousand
 * pages and syncs the database file, on the event loop, every few dozen group commits (a sixth of the server's
 * time in the decision benchmark). The store turns that off and asks this worker instead, at most every
 * `intervalMs` and only after commits. Once a checkpoint has copied everything, SQLite starts the WAL over at
 * the next commit, so the WAL stays small.
 */
export class WalCheckpointer {
  private worker?: Worker;
  private running = false;
  private wanted = false;
  private timer?: NodeJS.Timeout;
  private closing?: Promise<void>;
  /** The last failure, for the operator's log; a failed checkpoint is retried at the next commit. */
  lastError?: string;

  constructor(
    private readonly filename: string,
    private readonly intervalMs = 100,
  ) {}

  /** Called after each commit: a checkpoint follows within the interval. */
  committed(): void {
    if (this.closing) return;
    this.wanted = true;
    if (!this.timer && !this.running) {
      this.timer = setTimeout(() => this.run(), this.intervalMs);
      this.timer.unref();
    }
  }

  async close(): Promise<void> {
    if (this.closing) return this.closing;
    clearTimeout(this.timer);
    const worker = this.worker;
    // The worker closes its connection after the checkpoint in hand; one that does not end soon is stopped.
    this.closing = worker
      ? new Promise<void>((resolve) => {
          const stop = setTimeout(() => void worker.terminate(), 5_000);
          worker.once('exit', () => {
            clearTimeout(stop);
            resolve();
          });
          worker.postMessage('close');
        })
      : Promise.resolve();
    return this.closing;
  }

  private run(): void {
    this.timer = undefined;
    if (this.closing || !this.wanted) return;
    this.wanted = false;
    this.running = true;
    this.start().postMessage('checkpoint');
  }

  private start(): Worker {
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), filename: this.filename } });
      this.worker.unref();
      this.worker.on('message', (message: { result?: unknown; error?: string }) => {
        this.running = false;
        this.lastError = message.error;
        if (this.wanted) this.committed();
      });
      this.worker.on('error', (error) => {
        this.running = false;
        this.lastError = error.message;
        this.worker = undefined;
      });
    }
    return this.worker;
  }
}
