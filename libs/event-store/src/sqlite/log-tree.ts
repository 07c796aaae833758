import type Database from 'better-sqlite3';
import { consistencyProof, EMPTY_ROOT, eventLeafHash, HASH_BYTES, inclusionProof, nodeHash, rangeHash, type LeafEvent, type SubtreeSource } from '@kansli/tlog';

/** Tree levels per tile: a tile holds the hashes of up to 16 nodes of one level (as C2SP tlog-tiles, height 4). */
const TILE_HEIGHT = 4;
const TILE_WIDTH = 2 ** TILE_HEIGHT;
const FULL_TILE_CACHE = 8192;

export const LOG_TREE_SCHEMA = `
CREATE TABLE IF NOT EXISTS log_tree_tiles (
  level  INTEGER NOT NULL,
  idx    INTEGER NOT NULL,
  hashes BLOB    NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
`;

const LEAF_INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS log_tree_leaves (
  event_id TEXT    PRIMARY KEY,
  leaf     INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * Tables of the log's tree beside the events, and of its signed checkpoints (`log_checkpoints`, kept by
 * @kansli/integrity): part of the log, never a read model, so a read-model rebuild leaves them alone.
 */
export const LOG_TREE_TABLES = ['log_tree_tiles', 'log_tree_leaves', 'log_checkpoints'] as const;

/** What the audit queries read of the log's Merkle tree. Hashes are raw SHA-256 bytes. */
export interface LogTree {
  /** Leaves in the tree: every event of the log, in log order. */
  readonly size: number;
  /** The root of the tree of the first `size` leaves (default: all). */
  root(size?: number): Buffer;
  leafHash(index: number): Buffer;
  inclusionProof(index: number, size: number): Buffer[];
  consistencyProof(fromSize: number, toSize: number): Buffer[];
  /** The leaf of an event, if it is in the tree. */
  leafIndexOf(eventId: string): number | undefined;
}

export interface SqliteLogTreeOptions {
  /**
   * Finds an event's leaf. Without it the tree keeps its own index of event ids (`log_tree_leaves`): what a
   * replica needs, whose events live elsewhere.
   */
  locate?: (eventId: string) => number | undefined;
}

/**
 * The log's Merkle tree (RFC 9162) in SQLite tables, grown leaf by leaf inside the writer's transaction.
 * Stored as tiles: tile (L, k) holds the hashes of the nodes k·16 … k·16+15 at tree level 4·L. Level-0 tiles
 * are the leaf hashes, the rightmost one partial and rewritten as it fills; a tile of a higher level is written
 * once it is full. The few nodes of higher partial tiles (at most 15 a level) are kept in memory and computed
 * again from the full tiles below when the tree is opened: a commit writes one or two pages of tree, not one per
 * level. The three levels between two tile levels are hashed on demand from the level below (at most 8 hashes).
 * Leaves are staged during a transaction and written when it ends, so a rolled-back savepoint or transaction
 * leaves the tree as it was (`mark`/`rewind`, `commitStaged`/`discardStaged`).
 */
export class SqliteLogTree implements LogTree, SubtreeSource {
  /** Hashes of the partial (rightmost) tile of each tile level, committed (only level 0's is stored). */
  private partial: Buffer[][] = [];
  private committedSize = 0;
  private staged: Buffer[] = [];
  private stagedIds: Array<string | undefined> = [];
  /** What `writeStaged` computed, adopted by `commitStaged`. */
  private next?: { partial: Buffer[][]; size: number };
  /** Full tiles never change: kept, split into their hashes, up to FULL_TILE_CACHE of them. */
  private readonly fullTiles = new Map<string, Buffer[]>();
  private readonly statements: {
    readTile: Database.Statement;
    writeTile: Database.Statement;
    lastTile: Database.Statement;
    writeLeaf?: Database.Statement;
    readLeaf?: Database.Statement;
  };
  private readonly locate?: (eventId: string) => number | undefined;

  constructor(db: Database.Database, options: SqliteLogTreeOptions = {}) {
    db.exec(LOG_TREE_SCHEMA);
    this.locate = options.locate;
    if (!this.locate) db.exec(LEAF_INDEX_SCHEMA);
    this.statements = {
      readTile: db.prepare('SELECT hashes FROM log_tree_tiles WHERE level = ? AND idx = ?').pluck(),
      writeTile: db.prepare('INSERT INTO log_tree_tiles (level, idx, hashes) VALUES (?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes'),
      lastTile: db.prepare('SELECT idx, hashes FROM log_tree_tiles WHERE level = ? ORDER BY idx DESC LIMIT 1'),
      writeLeaf: this.locate ? undefined : db.prepare('INSERT INTO log_tree_leaves (event_id, leaf) VALUES (?, ?)'),
      readLeaf: this.locate ? undefined : db.prepare('SELECT leaf FROM log_tree_leaves WHERE event_id = ?').pluck(),
    };
    this.load();
  }

  /** Leaves committed. */
  get size(): number {
    return this.committedSize;
  }

  /** Leaves committed and staged: the index the next staged leaf gets. */
  get nextIndex(): number {
    return this.committedSize + this.staged.length;
  }

  /** Stages a leaf (its index is returned); written by `writeStaged`. */
  stage(leaf: Buffer, eventId?: string): number {
    if (leaf.length !== HASH_BYTES) throw new Error(`a leaf hash is ${HASH_BYTES} bytes`);
    this.staged.push(leaf);
    if (!this.locate) this.stagedIds.push(eventId);
    return this.nextIndex - 1;
  }

  /** Where the staged leaves stand now: `rewind` to it undoes what a failed savepoint staged. */
  mark(): number {
    return this.staged.length;
  }

  rewind(mark: number): void {
    this.staged.length = mark;
    this.stagedIds.length = Math.min(this.stagedIds.length, mark);
  }

  /** Writes the staged leaves and the nodes they complete, inside the caller's transaction. */
  writeStaged(): void {
    if (this.staged.length === 0) return;
    const partial = this.partial.map((tile) => tile.slice());
    let size = this.committedSize;
    const dirty = new Map<string, { level: number; index: number; hashes: Buffer[] }>();
    for (const leaf of this.staged) {
      let hash = leaf;
      let nodesBelow = size; // nodes at this tile level before this leaf's, i.e. size / 16^level
      for (let level = 0; ; level++) {
        const tile = (partial[level] ??= []);
        tile.push(hash);
        const index = Math.floor(nodesBelow / TILE_WIDTH);
        if (level === 0 || tile.length === TILE_WIDTH) dirty.set(`${level}/${index}`, { level, index, hashes: tile });
        if (tile.length < TILE_WIDTH) break;
        hash = subtreeOfTile(tile, 0, TILE_WIDTH);
        partial[level] = [];
        nodesBelow = Math.floor(nodesBelow / TILE_WIDTH);
      }
      size += 1;
    }
    for (const { level, index, hashes } of dirty.values()) this.statements.writeTile.run(level, index, Buffer.concat(hashes));
    if (this.statements.writeLeaf) {
      this.stagedIds.forEach((id, offset) => {
        if (id !== undefined) this.statements.writeLeaf!.run(id, this.committedSize + offset);
      });
    }
    this.next = { partial, size };
  }

  /** The transaction committed: what `writeStaged` wrote is the tree now. */
  commitStaged(): void {
    if (this.next) {
      this.partial = this.next.partial;
      this.committedSize = this.next.size;
    }
    this.clearStaged();
  }

  /** The transaction was rolled back: forget what was staged. */
  discardStaged(): void {
    this.clearStaged();
  }

  root(size = this.committedSize): Buffer {
    this.assertSize(size);
    return size === 0 ? EMPTY_ROOT : rangeHash(this, 0, size);
  }

  leafHash(index: number): Buffer {
    this.assertSize(index + 1);
    return this.subtree(0, index);
  }

  inclusionProof(index: number, size: number): Buffer[] {
    this.assertSize(size);
    return inclusionProof(this, index, size);
  }

  consistencyProof(fromSize: number, toSize: number): Buffer[] {
    this.assertSize(toSize);
    return consistencyProof(this, fromSize, toSize);
  }

  leafIndexOf(eventId: string): number | undefined {
    const leaf = this.locate ? this.locate(eventId) : (this.statements.readLeaf!.get(eventId) as number | undefined);
    return leaf !== undefined && leaf < this.committedSize ? leaf : undefined;
  }

  /** The hash of the complete subtree `level` high, `index`-th of its level (SubtreeSource). */
  subtree(level: number, index: number): Buffer {
    const base = level - (level % TILE_HEIGHT);
    const width = 2 ** (level - base);
    const first = index * width; // first node at level `base`
    const tileLevel = base / TILE_HEIGHT;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const hashes = this.tile(tileLevel, tileIndex);
    const offset = first - tileIndex * TILE_WIDTH;
    if (hashes.length < offset + width) throw new RangeError(`no complete subtree ${level}/${index} in a tree of ${this.committedSize} leaves`);
    return subtreeOfTile(hashes, offset, width);
  }

  private tile(level: number, index: number): Buffer[] {
    const key = `${level}/${index}`;
    const cached = this.fullTiles.get(key);
    if (cached) return cached;
    const blob = this.statements.readTile.get(level, index) as Buffer | undefined;
    if (!blob) return level > 0 && index === Math.floor(this.committedSize / TILE_WIDTH ** (level + 1)) ? (this.partial[level] ?? []) : [];
    const hashes = splitHashes(blob);
    if (blob.length === TILE_WIDTH * HASH_BYTES) {
      if (this.fullTiles.size >= FULL_TILE_CACHE) this.fullTiles.delete(this.fullTiles.keys().next().value!);
      this.fullTiles.set(key, hashes);
    }
    return hashes;
  }

  /**
   * Reads the size back from the tables, and the partial tiles: level 0's as stored, those above computed from
   * the full tiles of the level below.
   */
  private load(): void {
    this.partial = [];
    this.fullTiles.clear();
    let size = 0;
    // The size is the number of nodes at level 0: full tiles × 16 + the last tile's width. Tile level L then
    // holds floor(size / 16^L) nodes.
    const last = this.statements.lastTile.get(0) as { idx: number; hashes: Buffer } | undefined;
    if (last) size = last.idx * TILE_WIDTH + last.hashes.length / HASH_BYTES;
    this.committedSize = size;
    let nodes = size;
    for (let level = 0; nodes > 0; level++) {
      const full = Math.floor(nodes / TILE_WIDTH);
      const width = nodes % TILE_WIDTH;
      if (level === 0) {
        this.partial[0] = width > 0 ? splitHashes(last!.hashes) : [];
      } else {
        this.partial[level] = Array.from({ length: width }, (_, offset) => {
          const below = this.tile(level - 1, full * TILE_WIDTH + offset);
          if (below.length !== TILE_WIDTH) throw new LogTreeError(`the tree's tile ${level - 1}/${full * TILE_WIDTH + offset} is missing or not full, for ${size} leaves`);
          return subtreeOfTile(below, 0, TILE_WIDTH);
        });
      }
      nodes = full;
    }
  }

  private clearStaged(): void {
    this.staged = [];
    this.stagedIds = [];
    this.next = undefined;
  }

  private assertSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.committedSize) {
      throw new RangeError(`the tree has ${this.committedSize} leaves; ${size} is beyond it`);
    }
  }
}

/** The root of the `width` (a power of two) hashes of `tile` from `offset`. */
function subtreeOfTile(tile: readonly Buffer[], offset: number, width: number): Buffer {
  if (width === 1) return tile[offset];
  let level = tile.slice(offset, offset + width);
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
    level = up;
  }
  return level[0];
}

function splitHashes(blob: Buffer): Buffer[] {
  const hashes: Buffer[] = [];
  for (let offset = 0; offset < blob.length; offset += HASH_BYTES) hashes.push(blob.subarray(offset, offset + HASH_BYTES));
  return hashes;
}

/** The stored tree does not fit the log (a damaged or altered database). */
export class LogTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogTreeError';
  }
}

/** Adds an event as the tree's next leaf (staged): what a replica's checkpointed subscription does for each event. */
export function stageEvent(tree: SqliteLogTree, event: LeafEvent): number {
  return tree.stage(eventLeafHash(event), event.id);
}
