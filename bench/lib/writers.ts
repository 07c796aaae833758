import { ConcurrencyError, type EventStore, type ExpectedRevision } from '@kansli/event-store';
import { writtenBytes } from './env';
import { decisionTaken } from './events';
import { now, summarize, type LatencySummary } from './stats';

export interface WriterOptions {
  /** Writers in all, hot ones included. */
  writers: number;
  /** Writers that contend for one shared stream (read its revision, append with it exactly, retry on conflict). */
  hotWriters?: number;
  streamPrefix: string;
  /** Either a duration or a number of appends per writer, for the warm-up and for the measured phase. */
  warmup: { ms: number } | { appends: number };
  measure: { ms: number } | { appends: number };
}

export interface WriterResult {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Successful commits seen (distinct event-loop turns in which appends resolved). */
  commits: number;
  appendsPerCommit: number;
  /** Bytes written (write() calls: WAL and checkpoints) per event in the measured phase, where /proc/self/io exists. */
  bytesPerEvent?: number;
  /** CPU time of this process (all its threads, user and system) per event in the measured phase, µs. */
  cpuMicrosPerEvent: number;
  latency: LatencySummary;
  hot?: {
    events: number;
    eventsPerSecond: number;
    conflicts: number;
    retried: number;
    maxRetries: number;
    latency: LatencySummary;
  };
}

/**
 * `writers` concurrent loops, each awaiting its append before the next, each with the exact expected revision.
 * A warm-up phase runs first; a barrier (every writer idle) separates it from the measured phase.
 */
export async function runWriters(store: EventStore, options: WriterOptions): Promise<WriterResult> {
  const hotWriters = options.hotWriters ?? 0;
  const hotStream = `${options.streamPrefix}-hot`;
  const expected: ExpectedRevision[] = Array.from({ length: options.writers }, () => 'no_stream');
  let seq = 0;

  // Appends that resolve in the same event-loop turn were written by the same group commit.
  let tick = 0;
  let ticking = true;
  const bump = () => {
    tick++;
    if (ticking) setImmediate(bump);
  };
  setImmediate(bump);

  let measuring = false;
  let events = 0;
  let hotEvents = 0;
  let conflicts = 0;
  let retried = 0;
  let maxRetries = 0;
  const latencies: number[] = [];
  const hotLatencies: number[] = [];
  const commitTicks = new Set<number>();

  async function ownAppend(w: number): Promise<void> {
    const started = now();
    const result = await store.appendToStream(`${options.streamPrefix}-${w}`, [decisionTaken(seq++)], {
      expectedRevision: expected[w],
    });
    expected[w] = result.nextExpectedRevision;
    if (measuring) {
      events++;
      latencies.push(now() - started);
      commitTicks.add(tick);
    }
  }

  async function hotAppend(): Promise<void> {
    const started = now();
    const event = decisionTaken(seq++);
    for (let attempt = 0; ; attempt++) {
      const last = await store.readStream(hotStream, { direction: 'backwards', maxCount: 1 });
      const revision: ExpectedRevision = last.length > 0 ? last[0].revision : 'no_stream';
      try {
        await store.appendToStream(hotStream, [event], { expectedRevision: revision });
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (measuring) conflicts++;
        continue;
      }
      if (measuring) {
        events++;
        hotEvents++;
        hotLatencies.push(now() - started);
        commitTicks.add(tick);
        if (attempt > 0) retried++;
        maxRetries = Math.max(maxRetries, attempt);
      }
      return;
    }
  }

  async function phase(limit: { ms: number } | { appends: number }): Promise<number> {
    const started = now();
    const deadline = 'ms' in limit ? started + limit.ms : Infinity;
    const appends = 'appends' in limit ? limit.appends : Infinity;
    await Promise.all(
      Array.from({ length: options.writers }, async (_, w) => {
        const hot = w < hotWriters;
        for (let i = 0; i < appends && now() < deadline; i++) await (hot ? hotAppend() : ownAppend(w));
      }),
    );
    return (now() - started) / 1000;
  }

  try {
    await phase(options.warmup);
    measuring = true;
    const bytesBefore = writtenBytes();
    const cpuBefore = process.cpuUsage();
    const seconds = await phase(options.measure);
    const cpu = process.cpuUsage(cpuBefore);
    const bytesAfter = writtenBytes();
    measuring = false;
    const result: WriterResult = {
      events,
      seconds,
      eventsPerSecond: events / seconds,
      commits: commitTicks.size,
      appendsPerCommit: events / Math.max(1, commitTicks.size),
      bytesPerEvent: bytesBefore !== undefined && bytesAfter !== undefined ? (bytesAfter - bytesBefore) / events : undefined,
      cpuMicrosPerEvent: (cpu.user + cpu.system) / events,
      latency: summarize(latencies.concat(hotLatencies)),
    };
    if (hotWriters > 0) {
      result.hot = {
        events: hotEvents,
        eventsPerSecond: hotEvents / seconds,
        conflicts,
        retried,
        maxRetries,
        latency: summarize(hotLatencies),
      };
    }
    return result;
  } finally {
    ticking = false;
  }
}
