import Database from 'better-sqlite3';
import { SqliteLogTree } from '@kansli/event-store';
import { generateSigner, leafHash, openCheckpoint, rootOf } from '@kansli/tlog';
import { CheckpointStore } from './checkpoint-store';
import { LogCheckpoints, LogForkError } from './log-checkpoints';

describe('LogCheckpoints', () => {
  const signer = generateSigner('kansli.test/log');
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(`event ${i}`));
  let db: Database.Database;
  let tree: SqliteLogTree;
  let checkpoints: LogCheckpoints;
  const grow = (from: number, to: number) => {
    for (let i = from; i < to; i++) tree.stage(leaves[i], `e-${i}`);
    tree.writeStaged();
    tree.commitStaged();
  };
  beforeEach(() => {
    db = new Database(':memory:');
    tree = new SqliteLogTree(db);
    checkpoints = new LogCheckpoints(tree, new CheckpointStore(db), signer, () => new Date('2018-06-14T09:00:00Z'));
  });
  afterEach(() => db.close());

  it('signs the tree only when it has grown, and finds the first checkpoint that holds a leaf', () => {
    expect(checkpoints.issue()).toBeUndefined();
    grow(0, 10);
    const first = checkpoints.issue()!;
    expect(openCheckpoint(first.note, signer.verifier)).toEqual({ origin: 'kansli.test/log', size: 10, root: rootOf(leaves.slice(0, 10)) });
    expect(checkpoints.issue()).toBeUndefined();
    grow(10, 25);
    expect(checkpoints.covering(3)).toEqual(first);
    expect(checkpoints.covering(12)?.size).toBe(25);
    expect(checkpoints.covering(25)).toBeUndefined();
    expect([...checkpoints.all()].map((checkpoint) => checkpoint.size)).toEqual([10, 25]);
  });

  it('refuses to sign a tree that does not extend the last checkpoint (a rewritten log)', () => {
    grow(0, 10);
    checkpoints.issue();
    // The stored leaves rewritten behind the log's back: a fork of what it signed.
    const forged = new Database(':memory:');
    const other = new SqliteLogTree(forged);
    for (let i = 0; i < 20; i++) other.stage(leafHash(`forged ${i}`), `f-${i}`);
    other.writeStaged();
    other.commitStaged();
    const forking = new LogCheckpoints(other, new CheckpointStore(db), signer, () => new Date());
    expect(() => forking.issue()).toThrow(LogForkError);
    expect(checkpoints.latest()?.size).toBe(10);
    forged.close();
  });

  it('checks the latest checkpoint against the tree now: it holds, a log that shrank, a rewritten log, an altered stored checkpoint', () => {
    grow(0, 10);
    expect(checkpoints.checkLatest()).toMatchObject({ size: 10, problem: null, latest: { size: 10 } });
    grow(10, 15);
    expect(checkpoints.checkLatest()).toMatchObject({ size: 15, problem: null });

    const shorter = new Database(':memory:');
    const shrunk = new SqliteLogTree(shorter);
    for (let i = 0; i < 5; i++) shrunk.stage(leaves[i], `e-${i}`);
    shrunk.writeStaged();
    shrunk.commitStaged();
    expect(new LogCheckpoints(shrunk, new CheckpointStore(db), signer, () => new Date()).checkLatest().problem).toEqual({ kind: 'shrunk', signed: 10, size: 5 });

    const forged = new Database(':memory:');
    const other = new SqliteLogTree(forged);
    for (let i = 0; i < 20; i++) other.stage(leafHash(`forged ${i}`), `f-${i}`);
    other.writeStaged();
    other.commitStaged();
    expect(new LogCheckpoints(other, new CheckpointStore(db), signer, () => new Date()).checkLatest().problem).toMatchObject({ kind: 'inconsistent' });

    db.prepare('UPDATE log_checkpoints SET size = 9 WHERE size = 10').run();
    expect(checkpoints.checkLatest().problem).toEqual({ kind: 'altered' });
    shorter.close();
    forged.close();
  });
});
