import { hash as sha256Once } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 section 2.1 (as RFC 6962): SHA-256, leaf = H(0x00 || bytes),
 * node = H(0x01 || left || right), the empty tree's root = H(""). A tree of n > 1 leaves splits at the largest
 * power of two below n. Sizes and indexes are numbers (exact up to 2^53 leaves); no bit operators, which
 * would stop at 2^31.
 */
export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

function sha256(input: Buffer | string): Buffer {
  return sha256Once('sha256', input, 'buffer') as unknown as Buffer;
}

/** H(0x00 || bytes); a string is hashed as its UTF-8 bytes. */
export function leafHash(bytes: Buffer | string): Buffer {
  return typeof bytes === 'string' ? sha256(`\u0000${bytes}`) : sha256(Buffer.concat([LEAF_PREFIX, bytes]));
}

/** H(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return sha256(nodeInput);
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = sha256(Buffer.alloc(0));

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && splitPoint(n * 2) === n;
}

const half = (n: number) => Math.floor(n / 2);
const odd = (n: number) => n % 2 === 1;

/** The root of a whole list of leaf hashes (small trees, tests). */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  const builder = new TreeBuilder();
  for (const leaf of leaves) builder.append(leaf);
  return builder.root();
}

/**
 * A tree grown leaf by leaf, keeping only the roots of its complete subtrees (at most one per level): the root
 * at any size with O(log n) memory. What the verifier and the replicas run over the whole log.
 */
export class TreeBuilder {
  /** Roots of the complete subtrees, largest (leftmost) first, with their heights. */
  private readonly hashes: Buffer[] = [];
  private readonly heights: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    let hash = leaf;
    let height = 0;
    while (this.heights.length > 0 && this.heights[this.heights.length - 1] === height) {
      this.heights.pop();
      hash = nodeHash(this.hashes.pop()!, hash);
      height += 1;
    }
    this.hashes.push(hash);
    this.heights.push(height);
    this.count += 1;
  }

  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let root = this.hashes[this.hashes.length - 1];
    for (let index = this.hashes.length - 2; index >= 0; index--) root = nodeHash(this.hashes[index], root);
    return root;
  }
}

/**
 * Where a stored tree answers from: the hash of a complete subtree, `level` high (2^level leaves), the
 * `index`-th of its level (leaves index·2^level … (index+1)·2^level − 1). Only asked for subtrees inside the tree.
 */
export interface SubtreeSource {
  subtree(level: number, index: number): Buffer;
}

/** MTH of the leaves [start, end): complete aligned parts come from the source, the rest is hashed. */
export function rangeHash(source: SubtreeSource, start: number, end: number): Buffer {
  const n = end - start;
  if (n <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) return source.subtree(Math.log2(n), start / n);
  const k = n === 1 ? 1 : splitPoint(n);
  return nodeHash(rangeHash(source, start, start + k), rangeHash(source, start + k, end));
}

/** The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 2.1.3.1), leaf-side first. */
export function inclusionProof(source: SubtreeSource, index: number, size: number): Buffer[] {
  assertSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  const path: Buffer[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(rangeHash(source, start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(rangeHash(source, start, start + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** The proof that the tree of `m` leaves is a prefix of the tree of `n` (RFC 9162 2.1.4.1); empty for m = 0 or m = n. */
export function consistencyProof(source: SubtreeSource, m: number, n: number): Buffer[] {
  assertSize(m);
  assertSize(n);
  if (m > n) throw new RangeError(`a tree of ${m} leaves cannot be a prefix of one of ${n}`);
  if (m === 0 || m === n) return [];
  const proof: Buffer[] = [];
  const sub = (size: number, start: number, end: number, whole: boolean): void => {
    const count = end - start;
    if (size === count) {
      if (!whole) proof.push(rangeHash(source, start, end));
      return;
    }
    const k = splitPoint(count);
    if (size <= k) {
      sub(size, start, start + k, whole);
      proof.push(rangeHash(source, start + k, end));
    } else {
      sub(size - k, start + k, end, false);
      proof.push(rangeHash(source, start, start + k));
    }
  };
  sub(m, 0, n, true);
  return proof;
}

/** Why a proof does not hold. */
export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofError';
  }
}

/** Checks an inclusion proof (RFC 9162 2.1.3.2); throws ProofError saying what does not hold. */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  assertSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new ProofError(`leaf ${index} is not in a tree of ${size} leaves`);
  assertHashes([leaf, root, ...proof]);
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) throw new ProofError(`the inclusion proof has ${proof.length} hashes, more than a tree of ${size} leaves needs`);
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError(`the inclusion proof has ${proof.length} hashes, fewer than a tree of ${size} leaves needs`);
  if (!r.equals(root)) throw new ProofError(`the inclusion proof of leaf ${index} does not lead to the root of the tree of ${size} leaves`);
}

/** Checks a consistency proof (RFC 9162 2.1.4.2); throws ProofError saying what does not hold. */
export function verifyConsistency(m: number, n: number, rootM: Uint8Array, rootN: Uint8Array, proof: readonly Uint8Array[]): void {
  assertSize(m);
  assertSize(n);
  assertHashes([rootM, rootN, ...proof]);
  if (m > n) throw new ProofError(`a tree of ${m} leaves cannot be a prefix of one of ${n}: the log shrank`);
  if (m === n) {
    if (proof.length > 0) throw new ProofError('a consistency proof between equal sizes is empty');
    if (!Buffer.from(rootM).equals(rootN)) throw new ProofError(`two different roots for the same size ${n}: the log was rewritten`);
    return;
  }
  if (m === 0) {
    if (proof.length > 0) throw new ProofError('a consistency proof from the empty tree is empty');
    return;
  }
  if (proof.length === 0) throw new ProofError(`the consistency proof from ${m} to ${n} leaves is empty`);
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0) throw new ProofError(`the consistency proof from ${m} to ${n} leaves has too many hashes`);
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofError(`the consistency proof from ${m} to ${n} leaves has too few hashes`);
  if (!fr.equals(rootM)) throw new ProofError(`the consistency proof does not lead to the root of the tree of ${m} leaves: the log was rewritten (a fork)`);
  if (!sr.equals(rootN)) throw new ProofError(`the consistency proof does not lead to the root of the tree of ${n} leaves`);
}

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`a tree size is a whole number ≥ 0, got ${size}`);
}

function assertHashes(hashes: readonly Uint8Array[]): void {
  for (const hash of hashes) if (hash.length !== HASH_BYTES) throw new ProofError(`a hash is ${HASH_BYTES} bytes, got ${hash.length}`);
}

/** A source over leaf hashes held in memory (tests, small trees). */
export class MemorySubtreeSource implements SubtreeSource {
  constructor(private readonly leaves: readonly Buffer[]) {}

  subtree(level: number, index: number): Buffer {
    const width = 2 ** level;
    const start = index * width;
    if (start + width > this.leaves.length) throw new RangeError(`no complete subtree ${level}/${index} in ${this.leaves.length} leaves`);
    if (level === 0) return this.leaves[start];
    return nodeHash(this.subtree(level - 1, index * 2), this.subtree(level - 1, index * 2 + 1));
  }
}
