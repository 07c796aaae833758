import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigner } from '@kansli/tlog';
import { loadOrCreateLogSigner } from './log-signer';

describe("the log's signing key", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kansli-log-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created in the data folder on first start, readable by its owner only, and the same key after', () => {
    const keyFile = join(dir, 'data', 'log-key');
    const first = loadOrCreateLogSigner({ origin: 'host/kansli/data', originConfigured: false, keyFile });
    expect(first.name).toBe('host/kansli/data');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^PRIVATE\+KEY\+host\/kansli\/data\+[0-9a-f]{8}\+/);
    const again = loadOrCreateLogSigner({ origin: 'other-host/kansli/data', originConfigured: false, keyFile });
    expect(again.verifier.encoded).toBe(first.verifier.encoded);
  });

  it('keeps its origin: a configured origin that differs from the key is refused', () => {
    const keyFile = join(dir, 'log-key');
    loadOrCreateLogSigner({ origin: 'kansli.kommun.se/ks', originConfigured: true, keyFile });
    expect(() => loadOrCreateLogSigner({ origin: 'kansli.kommun.se/bun', originConfigured: true, keyFile })).toThrow(/for the origin kansli\.kommun\.se\/ks, but KANSLI_LOG_ORIGIN is kansli\.kommun\.se\/bun/);
  });

  it('comes from configuration when given, and a damaged key file is named', () => {
    const signer = generateSigner('kansli.kommun.se/ks');
    expect(loadOrCreateLogSigner({ origin: 'kansli.kommun.se/ks', originConfigured: true, key: signer.encoded, keyFile: join(dir, 'unused') }).verifier.encoded).toBe(signer.verifier.encoded);
    const keyFile = join(dir, 'log-key');
    writeFileSync(keyFile, 'PRIVATE+KEY+broken');
    expect(() => loadOrCreateLogSigner({ origin: 'x', originConfigured: false, keyFile })).toThrow(new RegExp(`The log's key in ${keyFile} cannot be read`));
  });
});
