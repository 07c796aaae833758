import { createHash } from 'node:crypto';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  MemorySubtreeSource,
  nodeHash,
  ProofError,
  rootOf,
  TreeBuilder,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const h = (hex: string) => Buffer.from(hex, 'hex');

// The RFC 6962 test tree (certificate-transparency's merkle_tree_test and Go's internal/tlog use the same).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h);

/** MTH straight from the definition in RFC 9162 2.1.1, to check the faster code against. */
function definitionRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256').update(Buffer.from([1])).update(definitionRoot(leaves.slice(0, k))).update(definitionRoot(leaves.slice(k))).digest();
}

describe('Merkle tree (RFC 9162 2.1)', () => {
  const hashes = LEAVES.map((leaf) => leafHash(leaf));

  it('hashes leaves and nodes with the 0x00 and 0x01 prefixes, and the empty tree as SHA-256 of nothing', () => {
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(createHash('sha256').update(Buffer.from([0])).digest('hex'));
    expect(leafHash('å')).toEqual(createHash('sha256').update(Buffer.from([0, 0xc3, 0xa5])).digest());
    expect(nodeHash(hashes[0], hashes[1])).toEqual(createHash('sha256').update(Buffer.from([1])).update(hashes[0]).update(hashes[1]).digest());
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives the published roots of the RFC 6962 test tree at every size', () => {
    for (let size = 1; size <= 8; size++) expect(rootOf(hashes.slice(0, size)).toString('hex')).toBe(ROOTS[size - 1].toString('hex'));
  });

  it('gives the published inclusion and consistency proofs, and they verify', () => {
    const source = new MemorySubtreeSource(hashes);
    const inclusion = inclusionProof(source, 5, 8);
    expect(inclusion.map((x) => x.toString('hex'))).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(() => verifyInclusion(5, 8, hashes[5], inclusion, ROOTS[7])).not.toThrow();
    expect(() => verifyInclusion(4, 8, hashes[5], inclusion, ROOTS[7])).toThrow(ProofError);
    expect(inclusionProof(source, 2, 3)).toEqual([ROOTS[1]]);

    const consistency = consistencyProof(source, 6, 8);
    expect(consistency.map((x) => x.toString('hex'))).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(() => verifyConsistency(6, 8, ROOTS[5], ROOTS[7], consistency)).not.toThrow();
    expect(() => verifyConsistency(6, 8, ROOTS[4], ROOTS[7], consistency)).toThrow(/rewritten/);
    expect(consistencyProof(source, 2, 5).map((x) => x.toString('hex'))).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  it('agrees with the definition, and every inclusion and consistency proof verifies, for every size up to 70', () => {
    const many = Array.from({ length: 70 }, (_, i) => leafHash(`leaf ${i}`));
    const source = new MemorySubtreeSource(many);
    const builder = new TreeBuilder();
    const roots: Buffer[] = [EMPTY_ROOT];
    for (const leaf of many) {
      builder.append(leaf);
      roots.push(builder.root());
      expect(builder.root()).toEqual(definitionRoot(many.slice(0, builder.size)));
    }
    for (let n = 1; n <= many.length; n++) {
      for (let i = 0; i < n; i++) verifyInclusion(i, n, many[i], inclusionProof(source, i, n), roots[n]);
      for (let m = 0; m <= n; m++) verifyConsistency(m, n, roots[m], roots[n], consistencyProof(source, m, n));
    }
  });

  it('refuses altered proofs: a changed hash, one hash too many or too few, another leaf, the wrong sizes', () => {
    const many = Array.from({ length: 21 }, (_, i) => leafHash(`leaf ${i}`));
    const source = new MemorySubtreeSource(many);
    const root21 = rootOf(many);
    const root13 = rootOf(many.slice(0, 13));
    const proof = inclusionProof(source, 9, 21);
    const flipped = proof.map((x, i) => (i === 1 ? Buffer.from(x.map((b, j) => (j === 0 ? b ^ 1 : b))) : x));
    expect(() => verifyInclusion(9, 21, many[9], flipped, root21)).toThrow(ProofError);
    expect(() => verifyInclusion(9, 21, many[9], [...proof, proof[0]], root21)).toThrow(/more than/);
    expect(() => verifyInclusion(9, 21, many[9], proof.slice(1), root21)).toThrow(ProofError);
    expect(() => verifyInclusion(9, 21, many[8], proof, root21)).toThrow(ProofError);
    expect(() => verifyInclusion(21, 21, many[9], proof, root21)).toThrow(/not in a tree/);
    const consistency = consistencyProof(source, 13, 21);
    expect(() => verifyConsistency(13, 21, root13, root21, consistency.slice(0, -1))).toThrow(ProofError);
    expect(() => verifyConsistency(13, 21, root13, root21, [...consistency, consistency[0]])).toThrow(ProofError);
    expect(() => verifyConsistency(12, 21, root13, root21, consistency)).toThrow(ProofError);
    expect(() => verifyConsistency(13, 21, root13, rootOf(many.slice(0, 20)), consistency)).toThrow(ProofError);
    expect(() => verifyConsistency(21, 13, root21, root13, [])).toThrow(/shrank/);
    expect(() => verifyConsistency(13, 13, root13, root21, [])).toThrow(/rewritten/);
    expect(() => verifyConsistency(13, 21, root13, root21, [Buffer.alloc(5)])).toThrow(/32 bytes/);
  });

  it('refuses to prove what is outside the tree', () => {
    const source = new MemorySubtreeSource(LEAVES.map((leaf) => leafHash(leaf)));
    expect(() => inclusionProof(source, 8, 8)).toThrow(RangeError);
    expect(() => inclusionProof(source, -1, 8)).toThrow(RangeError);
    expect(() => consistencyProof(source, 5, 4)).toThrow(RangeError);
  });
});
