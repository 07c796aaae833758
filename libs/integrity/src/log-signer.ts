import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateSigner, parseSignerKey, type NoteSigner } from '@kansli/tlog';
import type { LogConfig } from './log-config';

export class LogKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogKeyError';
  }
}

/**
 * The log's Ed25519 signing key: from configuration, or from the data folder (mode 0600), created there on
 * first start for the origin. The key's name is the origin and stays with it: a configured origin that differs
 * from the key's is refused, since a changed origin would start a new log identity behind the auditors' backs.
 * Whoever can read the file can sign checkpoints, as whoever can write the database can change events.
 */
export function loadOrCreateLogSigner(config: Pick<LogConfig, 'origin' | 'originConfigured' | 'key' | 'keyFile'>, options: { create?: boolean } = {}): NoteSigner {
  if (config.key !== undefined) return checked(parseSignerKey(config.key), config, 'KANSLI_LOG_KEY');
  if (!existsSync(config.keyFile)) {
    if (options.create === false) throw new LogKeyError(`There is no log key at ${config.keyFile} (the server creates it on first start) and KANSLI_LOG_KEY is not set`);
    const signer = generateSigner(config.origin);
    mkdirSync(dirname(config.keyFile), { recursive: true });
    const temporary = `${config.keyFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${signer.encoded}\n`, { mode: 0o600 });
    renameSync(temporary, config.keyFile);
  }
  chmodSync(config.keyFile, 0o600);
  let signer: NoteSigner;
  try {
    signer = parseSignerKey(readFileSync(config.keyFile, 'utf8'));
  } catch (error) {
    throw new LogKeyError(`The log's key in ${config.keyFile} cannot be read: ${(error as Error).message}`);
  }
  return checked(signer, config, config.keyFile);
}

function checked(signer: NoteSigner, config: Pick<LogConfig, 'origin' | 'originConfigured'>, from: string): NoteSigner {
  if (config.originConfigured && signer.name !== config.origin) {
    throw new LogKeyError(
      `The log's key (${from}) is for the origin ${signer.name}, but KANSLI_LOG_ORIGIN is ${config.origin}. A log keeps its origin: unset ` +
        'KANSLI_LOG_ORIGIN, or give the key of that origin',
    );
  }
  return signer;
}
