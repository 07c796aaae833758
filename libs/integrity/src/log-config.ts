import { basename } from 'node:path';

/** The file in the data folder that holds the log's signing key (mode 0600, created on first start). */
export const LOG_KEY_FILE = 'log-key';

/** How the log signs its checkpoints (from apps/kansli/src/config.ts). */
export interface LogConfig {
  /** The installation's name in every checkpoint: the origin line and the key's name. */
  origin: string;
  /** Whether the origin was configured (KANSLI_LOG_ORIGIN) rather than derived from the host and data folder. */
  originConfigured: boolean;
  /** A signer key given by configuration (`PRIVATE+KEY+<origin>+…`, KANSLI_LOG_KEY); otherwise `keyFile`. */
  key?: string;
  /** Where the key is kept when it is not configured. */
  keyFile: string;
  /** A checkpoint is issued when the tree has grown and this much time has passed since the last. */
  checkpointIntervalMs: number;
}

/**
 * The origin an installation gets when none is configured: `<host>/kansli/<data folder name>`, reduced to
 * characters an origin may hold. It is written into the key file on first start and kept from then on.
 */
export function defaultOrigin(hostname: string, dataDir: string): string {
  const clean = (text: string, fallback: string) => text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || fallback;
  return `${clean(hostname, 'localhost')}/kansli/${clean(basename(dataDir), 'data')}`;
}
