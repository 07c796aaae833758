import Database from 'better-sqlite3';
import { EMPTY_ROOT, leafHash, MemorySubtreeSource, rootOf, verifyConsistency, verifyInclusion, inclusionProof, consistencyProof } from '@kansli/tlog';
import { SqliteLogTree } from './log-tree';

const leaves = Array.from({ length: 4200 }, (_, i) => leafHash(`event ${i}`));

function grow(tree: SqliteLogTree, from: number, to: number, id = (i: number) => `e-${i}`): void {
  for (let i = from; i < to; i++) tree.stage(leaves[i], id(i));
  tree.writeStaged();
  tree.commitStaged();
}

describe('SqliteLogTree: the log tree in SQLite tiles', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => db.close());

  it('has the root of RFC 9162 at every size, grown in batches of uneven length across tile boundaries (16, 256, 4096)', () => {
    const tree = new SqliteLogTree(db);
    expect(tree.root()).toEqual(EMPTY_ROOT);
    let size = 0;
    for (const step of [1, 2, 13, 1, 15, 16, 17, 200, 7, 33, 3800, 95]) {
      grow(tree, size, size + step);
      size += step;
      expect(tree.size).toBe(size);
      expect(tree.root()).toEqual(rootOf(leaves.slice(0, size)));
    }
    for (const at of [1, 15, 16, 17, 255, 256, 257, 4095, 4096, 4097, size]) expect(tree.root(at)).toEqual(rootOf(leaves.slice(0, at)));
  });

  it('gives the same proofs as the definition, and they verify', () => {
    const tree = new SqliteLogTree(db);
    grow(tree, 0, 4200);
    const memory = new MemorySubtreeSource(leaves);
    for (const [index, size] of [[0, 1], [5, 8], [4099, 4200], [17, 300], [4095, 4096], [4199, 4200]]) {
      const proof = tree.inclusionProof(index, size);
      expect(proof).toEqual(inclusionProof(memory, index, size));
      verifyInclusion(index, size, leaves[index], proof, tree.root(size));
    }
    for (const [m, n] of [[0, 10], [1, 4200], [16, 17], [255, 4097], [1000, 4200], [4200, 4200]]) {
      const proof = tree.consistencyProof(m, n);
      expect(proof).toEqual(consistencyProof(memory, m, n));
      verifyConsistency(m, n, tree.root(m), tree.root(n), proof);
    }
    expect(tree.leafHash(4099)).toEqual(leaves[4099]);
    expect(tree.leafIndexOf('e-4099')).toBe(4099);
    expect(tree.leafIndexOf('no-such-event')).toBeUndefined();
  });

  it('reads its size and partial tiles back from the tables when opened again', () => {
    grow(new SqliteLogTree(db), 0, 4113);
    const reopened = new SqliteLogTree(db);
    expect(reopened.size).toBe(4113);
    expect(reopened.root()).toEqual(rootOf(leaves.slice(0, 4113)));
    grow(reopened, 4113, 4200);
    expect(reopened.root()).toEqual(rootOf(leaves));
    expect(new SqliteLogTree(db).root()).toEqual(rootOf(leaves));
  });

  it('writes one row per commit for the leaves and one per tile that fills: not one per level', () => {
    const tree = new SqliteLogTree(db);
    grow(tree, 0, 4096);
    const rows = () => db.prepare('SELECT level, count(*) AS n FROM log_tree_tiles GROUP BY level ORDER BY level').all();
    // 256 full leaf tiles, 16 full tiles of level-4 nodes, 1 of level-8 nodes; nothing partial above level 0.
    expect(rows()).toEqual([{ level: 0, n: 256 }, { level: 1, n: 16 }, { level: 2, n: 1 }]);
    grow(tree, 4096, 4100);
    expect(rows()).toEqual([{ level: 0, n: 257 }, { level: 1, n: 16 }, { level: 2, n: 1 }]);
  });

  it('forgets what a rolled-back savepoint or transaction staged', () => {
    const tree = new SqliteLogTree(db);
    grow(tree, 0, 10);
    const mark = tree.mark();
    tree.stage(leaves[10], 'e-10');
    tree.rewind(mark);
    tree.stage(leaves[11], 'e-11');
    const transaction = db.transaction(() => {
      tree.writeStaged();
      throw new Error('the commit fails');
    });
    expect(() => transaction()).toThrow('the commit fails');
    tree.discardStaged();
    expect(tree.size).toBe(10);
    expect(new SqliteLogTree(db).size).toBe(10);
    expect(tree.leafIndexOf('e-11')).toBeUndefined();
    grow(tree, 10, 20);
    expect(tree.root()).toEqual(rootOf(leaves.slice(0, 20)));
  });

  it('refuses sizes beyond the tree and leaves outside it', () => {
    const tree = new SqliteLogTree(db);
    grow(tree, 0, 5);
    expect(() => tree.root(6)).toThrow(/5 leaves; 6 is beyond it/);
    expect(() => tree.inclusionProof(5, 5)).toThrow(RangeError);
    expect(() => tree.consistencyProof(2, 6)).toThrow(RangeError);
    expect(() => tree.root(-1)).toThrow(RangeError);
  });
});
