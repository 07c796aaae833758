import { Presets, SingleBar } from 'cli-progress';

/** How far long work has come, on standard error. */
export interface Progress {
  /** `done` of `total` (drawn as a bar; `undefined` when the end is unknown), and `detail` in words. */
  update(done: number, total: number | undefined, detail: string): void;
  /** Leaves the bar as it last was and the cursor on a new line; call it before the result or an error. */
  stop(): void;
}

/**
 * A bar (cli-progress) when `stream` is a terminal; otherwise one plain line per update (`label: detail`), or
 * nothing with `lines: false`, so that a log or a pipe never gets escape codes.
 */
export function progress(label: string, stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr, options: { lines?: boolean } = {}): Progress {
  if (!stream.isTTY) {
    const lines = options.lines ?? true;
    return {
      update: (_done, _total, detail) => void (lines && stream.write(`${label}: ${detail}\n`)),
      stop: () => undefined,
    };
  }
  let bar: SingleBar | undefined;
  return {
    update(done, total, detail) {
      if (!bar) {
        const format = total === undefined ? `${label} | {detail}` : `${label} [{bar}] {percentage} % | {detail}`;
        bar = new SingleBar({ stream: stream as NodeJS.WriteStream, format, hideCursor: true, barsize: 30 }, Presets.shades_classic);
        bar.start(total ?? 1, done, { detail });
        return;
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(done, { detail });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
