import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The installed version, read from the package.json above its entry point ("exports" may hide package.json). */
export function packageVersion(name: string): string {
  try {
    let dir = path.dirname(require.resolve(name, { paths: [process.cwd()] }));
    for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    }
  } catch {
    // not installed
  }
  return 'unknown';
}

const FS_TYPES: Record<number, string> = {
  0xef53: 'ext4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
  0x2fc12fc1: 'zfs',
};

export interface DiskInfo {
  path: string;
  fsType: string;
  freeGiB: number;
  sameDeviceAsTmpdir: boolean;
  tmpdir: string;
}

export function diskInfo(dir: string): DiskInfo {
  const stat = fs.statfsSync(dir);
  const tmpdir = os.tmpdir();
  return {
    path: dir,
    fsType: FS_TYPES[stat.type] ?? `0x${stat.type.toString(16)}`,
    freeGiB: (stat.bavail * stat.bsize) / 2 ** 30,
    sameDeviceAsTmpdir: fs.statSync(dir).dev === fs.statSync(tmpdir).dev,
    tmpdir,
  };
}

export function cpuModel(): string {
  return os.cpus()[0]?.model.trim() ?? 'unknown';
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

/** Bytes this process has passed to write() (`wchar` of /proc/self/io): WAL frames and checkpoints. */
export function writtenBytes(): number | undefined {
  try {
    const match = /^wchar:\s+(\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** BENCH_QUICK=1: the benchmarks' short runs. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** A whole-number setting from the environment (`1_000_000` allowed), else `full`, or `quick` with BENCH_QUICK=1. */
export function envInt(name: string, full: number, quick: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return QUICK ? quick : full;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}
