import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real file system of a few megabytes (a tmpfs), for tests of a full disk. */
export interface SmallFileSystem {
  readonly dir: string;
  /** Writes a file until the file system is full (ENOSPC), as a runaway log file would. */
  fill(): void;
  /** Removes that file: the space returns. */
  free(): void;
  /** Unmounts lazily (files still open keep working until closed) and removes the mount point. */
  unmount(): void;
}

let mountable: boolean | undefined;

/** Whether this process may mount a tmpfs (root on Linux, outside a container that forbids it). */
export function canMountSmallFileSystem(): boolean {
  if (mountable === undefined) {
    mountable = false;
    if (process.platform === 'linux' && process.getuid?.() === 0) {
      try {
        mountSmallFileSystem(1).unmount();
        mountable = true;
      } catch {
        // not permitted here
      }
    }
  }
  return mountable;
}

export function mountSmallFileSystem(megabytes: number): SmallFileSystem {
  const dir = mkdtempSync(join(tmpdir(), 'kansli-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) if (writeSync(fd, chunk) < chunk.length) break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
