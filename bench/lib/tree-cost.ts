import path from 'node:path';
import { SqliteEventStore } from '@kansli/event-store';
import { gc, median } from './stats';
import { runWriters } from './writers';

export interface TreeCostOptions {
  dir: string;
  /** Rounds of each; on and off alternate (on first in even rounds) so that drift on a shared machine hits both. */
  rounds: number;
  writers: number;
  warmupMs: number;
  measureMs: number;
  onRound?: (round: number, on: number, off: number) => void;
}

export interface TreeCost {
  on: number[];
  off: number[];
  /** Medians, events/s. */
  medianOn: number;
  medianOff: number;
  /**
   * The share of (b)'s throughput left with the tree maintained: the median of each round's on / off, the two
   * measured back to back (a shared machine's load drifts over minutes; a round's pair sees the same load).
   */
  ratio: number;
  /** medianOn / medianOff, for comparison. */
  ratioOfMedians: number;
  /**
   * This process's CPU time per event (µs, median of the rounds) with the tree and without: what the tree costs
   * whatever else the machine runs, and the share of (b) left if (b) were bound by this CPU alone (off / on).
   */
  cpuOn: number;
  cpuOff: number;
  cpuRatio: number;
}

/**
 * What maintaining the log's Merkle tree costs: store benchmark (b) (`writers` writers, single-event appends to
 * their own streams, durable) on a fresh store with the tree, and on one without (`logTree: false`), in
 * alternating rounds.
 */
export async function measureTreeCost(options: TreeCostOptions): Promise<TreeCost> {
  const on: number[] = [];
  const off: number[] = [];
  const cpuOn: number[] = [];
  const cpuOff: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? [true, false] : [false, true];
    const measured: Record<string, number> = {};
    for (const tree of order) {
      gc();
      const store = new SqliteEventStore({ filename: path.join(options.dir, `tree-cost-${round}-${tree ? 'on' : 'off'}.db`), durability: 'full', logTree: tree });
      try {
        const result = await runWriters(store, {
          writers: options.writers,
          streamPrefix: 'decision',
          warmup: { ms: options.warmupMs },
          measure: { ms: options.measureMs },
        });
        measured[tree ? 'on' : 'off'] = result.eventsPerSecond;
        (tree ? cpuOn : cpuOff).push(result.cpuMicrosPerEvent);
      } finally {
        await store.close();
      }
    }
    on.push(measured.on);
    off.push(measured.off);
    options.onRound?.(round, measured.on, measured.off);
  }
  const medianOn = median(on);
  const medianOff = median(off);
  return {
    on,
    off,
    medianOn,
    medianOff,
    ratio: median(on.map((value, round) => value / off[round])),
    ratioOfMedians: medianOn / medianOff,
    cpuOn: median(cpuOn),
    cpuOff: median(cpuOff),
    cpuRatio: median(cpuOff) / median(cpuOn),
  };
}
