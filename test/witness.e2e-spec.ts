import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { LogCheckpoints } from '@kansli/integrity';
import type { TestServer } from '@kansli/testing';
import {
  consistencyProof,
  generateSigner,
  inclusionProof,
  leafHash,
  MemorySubtreeSource,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  ProofError,
  rootOf,
  signCheckpoint,
  verifyCosignature,
  verifyInclusion,
  type NoteSigner,
} from '@kansli/tlog';
import { runWitness, type Io } from '../apps/kansli/src/cli/audit';
import { startKansli } from './support/kansli';

function capture(): Io & { text(): string } {
  const lines: string[] = [];
  return { out: (line) => lines.push(line), err: (line) => lines.push(line), text: () => lines.join('\n') };
}

/** A log in memory: its leaves, its key, its checkpoints and proofs, honest unless a test makes it lie. */
class MemoryLog {
  constructor(
    readonly signer: NoteSigner,
    readonly leaves: Buffer[] = [],
  ) {}

  grow(count: number, label = 'event'): this {
    for (let i = 0; i < count; i++) this.leaves.push(leafHash(`${label} ${this.leaves.length}`));
    return this;
  }

  checkpoint(size = this.leaves.length): string {
    return signCheckpoint({ origin: this.signer.name, size, root: rootOf(this.leaves.slice(0, size)) }, this.signer);
  }

  consistency(from: number, to = this.leaves.length): string[] {
    return consistencyProof(new MemorySubtreeSource(this.leaves.slice(0, to)), from, to).map((hash) => hash.toString('base64'));
  }
}

/** A GraphQL endpoint that answers what the test script says: the hostile server. */
async function hostileServer(answer: (query: string, variables: Record<string, unknown>) => unknown): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: answer(query, variables ?? {}) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, server };
}

describe('the witness against the real server', () => {
  let server: TestServer;
  let state: string;
  beforeAll(async () => {
    server = await startKansli({ KANSLI_LOG_ORIGIN: 'kansli.test/witnessed' });
    state = mkdtempSync(join(tmpdir(), 'kansli-witness-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(state, { recursive: true, force: true });
  });

  it('takes the first checkpoint, then each larger one with a consistency proof, and cosigns each', async () => {
    const address = server.app.getHttpServer().address() as AddressInfo;
    const url = `http://127.0.0.1:${address.port}/graphql`;
    const token = await server.token(['REVISOR'], { sub: 'revisor' });
    const register = (name: string) => server.admin.ok('mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', { input: { name } });
    await register('Första');
    const { integrity } = await server.admin.ok<{ integrity: { publicKey: string; checkpointSize: number } }>('{ integrity { publicKey checkpointSize } }');
    expect(integrity.checkpointSize).toBe(1);
    const first = capture();
    expect(await runWitness({ stateDir: state, url, key: integrity.publicKey, token, name: 'revisorerna.example/witness' }, first)).toBe(0);
    expect(first.text()).toMatch(/^OK: first checkpoint of kansli\.test\/witnessed seen, 1 leaves; cosigned by revisorerna\.example\/witness/);

    for (let i = 0; i < 5; i++) await register(`Person ${i}`);
    server.app.get(LogCheckpoints).issue();
    const second = capture();
    expect(await runWitness({ stateDir: state, url, key: integrity.publicKey, token, name: 'revisorerna.example/witness' }, second)).toBe(0);
    expect(second.text()).toMatch(/^OK: kansli\.test\/witnessed grew from 1 to 6 leaves, consistently; cosigned by revisorerna\.example\/witness/);
    const witnessKey = parseSignerKey(readFileSync(join(state, 'witness-key'), 'utf8'));
    const cosigned = readFileSync(join(state, 'checkpoint.cosigned'), 'utf8');
    expect(verifyCosignature(cosigned, witnessKey.verifier)).toBeGreaterThan(1_600_000_000);
    expect(openCheckpoint(cosigned, parseVerifierKey(integrity.publicKey)).size).toBe(6);

    // Without a REVISOR token the server refuses, and the witness says so in one line.
    await expect(runWitness({ stateDir: state, url, key: integrity.publicKey }, capture())).rejects.toThrow(/UNAUTHENTICATED/);
  });
});

describe('the witness and the verifier against a hostile server', () => {
  const log = new MemoryLog(generateSigner('kansli.test/hostile'));
  let state: string;
  const servers: Server[] = [];
  const witness = async (answer: Parameters<typeof hostileServer>[0]) => {
    const hostile = await hostileServer(answer);
    servers.push(hostile.server);
    const io = capture();
    const code = await runWitness({ stateDir: state, url: hostile.url, key: log.signer.verifier.encoded, name: 'revisorerna.example/witness' }, io);
    return { code, text: io.text() };
  };
  const seen = () => openCheckpoint(readFileSync(join(state, 'checkpoint'), 'utf8'), log.signer.verifier).size;

  beforeEach(() => {
    state = mkdtempSync(join(tmpdir(), 'kansli-witness-'));
    log.leaves.length = 0;
    log.grow(13);
  });
  afterEach(() => {
    rmSync(state, { recursive: true, force: true });
    for (const server of servers.splice(0)) server.close();
  });

  const honest = (query: string, variables: Record<string, unknown>) =>
    query.includes('integrity') ? { integrity: { checkpoint: log.checkpoint(), publicKey: log.signer.verifier.encoded } } : { consistencyProof: log.consistency(Number(variables.from), Number(variables.to)) };

  it('refuses a rewritten history that carries a valid-looking signature from a different key', async () => {
    expect((await witness(honest)).code).toBe(0);
    const impostor = new MemoryLog(generateSigner('kansli.test/hostile')).grow(20, 'rewritten');
    const result = await witness((query, variables) =>
      query.includes('integrity')
        ? { integrity: { checkpoint: impostor.checkpoint(), publicKey: impostor.signer.verifier.encoded } }
        : { consistencyProof: impostor.consistency(Number(variables.from), Number(variables.to)) },
    );
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/^witness: the server now names the key kansli\.test\/hostile\+[0-9a-f]{8}\+\S+, not the one you trust/);
    expect(result.text).toMatch(/^REFUSED \(signature\): The log's latest checkpoint is not signed by the key you trust.*signed by kansli\.test\/hostile \(key ID [0-9a-f]{8}\)/m);
    expect(seen()).toBe(13);
  });

  it('refuses a fork served after a good checkpoint: a different history, signed with the log\'s own key', async () => {
    expect((await witness(honest)).code).toBe(0);
    const fork = new MemoryLog(log.signer, log.leaves.slice(0, 12)).grow(9, 'forked');
    const result = await witness((query, variables) =>
      query.includes('integrity') ? { integrity: { checkpoint: fork.checkpoint(), publicKey: log.signer.verifier.encoded } } : { consistencyProof: fork.consistency(Number(variables.from), Number(variables.to)) },
    );
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/^REFUSED \(fork\): FORK: the log's checkpoint of 21 leaves does not extend the one of 13 leaves/);
    expect(seen()).toBe(13);
    // The same size with another root is a fork too, with no proof to hide behind.
    const sameSize = new MemoryLog(log.signer, log.leaves.slice(0, 12)).grow(1, 'other');
    const again = await witness(() => ({ integrity: { checkpoint: sameSize.checkpoint(), publicKey: log.signer.verifier.encoded } }));
    expect(again.text).toMatch(/^REFUSED \(fork\)/);
  });

  it('refuses wrong consistency proofs (a hash changed, dropped or added, another size\'s) and a shrunken log', async () => {
    expect((await witness(honest)).code).toBe(0);
    log.grow(30);
    const lies: Array<(proof: string[]) => string[]> = [
      (proof) => proof.map((hash, i) => (i === 0 ? Buffer.from(Buffer.from(hash, 'base64').map((b, j) => (j === 5 ? b ^ 0x40 : b))).toString('base64') : hash)),
      (proof) => proof.slice(1),
      (proof) => [...proof, proof[0]],
      () => log.consistency(12),
      () => ['bm90IGEgaGFzaA=='],
      () => [],
    ];
    for (const lie of lies) {
      const result = await witness((query, variables) => (query.includes('integrity') ? honest(query, variables) : { consistencyProof: lie(log.consistency(Number(variables.from), Number(variables.to))) }));
      expect({ lie: lie.toString(), code: result.code }).toEqual({ lie: lie.toString(), code: 1 });
      expect(result.text).toMatch(/^REFUSED \((proof|fork)\)/);
      expect(seen()).toBe(13);
    }
    const shrunk = await witness(() => ({ integrity: { checkpoint: log.checkpoint(10), publicKey: log.signer.verifier.encoded } }));
    expect(shrunk.text).toMatch(/^REFUSED \(rollback\): The log shrank: it showed 13 leaves before and shows 10 now/);
    expect((await witness(honest)).text).toMatch(/^OK: kansli\.test\/hostile grew from 13 to 43 leaves/);
  });

  it('lets a verifier refuse wrong inclusion proofs: another leaf, a changed path, a root the log never signed', () => {
    const signed = openCheckpoint(log.checkpoint(), log.signer.verifier);
    const source = new MemorySubtreeSource(log.leaves);
    const honestPath = inclusionProof(source, 7, 13);
    verifyInclusion(7, 13, log.leaves[7], honestPath, signed.root);
    const lies: Array<[number, Buffer, Buffer[]]> = [
      [7, log.leaves[8], honestPath],
      [7, log.leaves[7], [honestPath[1], honestPath[0], ...honestPath.slice(2)]],
      [7, log.leaves[7], honestPath.slice(0, -1)],
      [6, log.leaves[7], honestPath],
      [7, leafHash('forged'), inclusionProof(new MemorySubtreeSource([...log.leaves.slice(0, 7), leafHash('forged'), ...log.leaves.slice(8)]), 7, 13)],
    ];
    for (const [index, leaf, path] of lies) expect(() => verifyInclusion(index, 13, leaf, path, signed.root)).toThrow(ProofError);
  });

  it('keeps no state when the server is unreachable, and says so', async () => {
    const io = capture();
    await expect(runWitness({ stateDir: state, url: 'http://127.0.0.1:9/graphql', key: log.signer.verifier.encoded }, io)).rejects.toThrow(/^Cannot reach http:\/\/127\.0\.0\.1:9\/graphql/);
    expect(existsSync(join(state, 'checkpoint'))).toBe(false);
    await expect(runWitness({ stateDir: state, url: 'http://127.0.0.1:9/graphql', key: 'not a key' }, io)).rejects.toThrow(/^--key: a verifier key is/);
  });
});
