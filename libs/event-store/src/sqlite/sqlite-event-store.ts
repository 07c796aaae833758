import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, eventLeafJson, eventLeafJsonFromParts, leafHash } from '@kansli/tlog';

// Bound once: a call through the module namespace runs a getter each time, in the append's hot path.
const leafJson = eventLeafJsonFromParts;
const hashLeaf = leafHash;
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  JsonObject,
  EventSubscription,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeToAllOptions,
} from '../event';
import { EventStore, type EventStoreCapabilities } from '../event-store';
import {
  ConcurrencyError,
  DuplicateEventError,
  EventStoreClosedError,
  ProjectionFailedError,
  StorageUnavailableError,
} from '../event-store.errors';
import {
  assertFilter,
  assertPosition,
  canonicalMetadata,
  PLAIN_JSON,
  type JsonSerializer,
  normalizeReadAll,
  normalizeReadStream,
  prepareAppend,
  prepareMultiAppend,
  type PreparedPart,
  type SerializedEvent,
} from '../validation';
import { LogTreeError, SqliteLogTree, type LogTree } from './log-tree';
import { EVENTS_SCHEMA, pragmas, SCHEMA_VERSION } from './schema';
import { asStorageError, storageFailure } from './storage-failure';
import { WalCheckpointer } from './wal-checkpointer';

/**
 * A projection that runs inside the transaction of the append that produced its events, with its checkpoint.
 * It writes its rows through `db` and must not read the clock.
 */
export interface InlineProjection {
  readonly name: string;
  /** The event types it handles; every event when omitted. */
  readonly eventTypes?: readonly string[];
  /** Creates its tables; must be idempotent. */
  setup?(db: Database.Database): void;
  apply(db: Database.Database, event: RecordedEvent): void;
}

export interface SqliteEventStoreOptions {
  /** Database file, or `:memory:`. */
  filename: string;
  /**
   * `full` (default): an acknowledged append survives a power cut: it is acknowledged only once the WAL is
   * synced. The sync runs on libuv's thread pool, off the event loop, for every group commit; SQLite itself runs
   * with `synchronous=NORMAL` (see libs/event-store/README.md).
   * `normal`: survives a crash of the process; the last commits may be lost on power loss.
   */
  durability?: 'full' | 'normal';
  /** Stamps `recordedAt`. */
  clock?: () => Date;
  /** Most appends written in one group commit. */
  maxBatchSize?: number;
  /** How often live subscriptions look for events written by another process. */
  pollIntervalMs?: number;
  /**
   * Keep the log's Merkle tree (RFC 9162) in the database, grown inside each append's transaction (default
   * true). Off only to measure what it costs.
   */
  logTree?: boolean;
}

/** One queued append: one stream's part, or several written as one. */
interface PendingAppend {
  parts: PreparedPart[];
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}


const MAX_REVISION = 9_223_372_036_854_775_807n;
/** In the order of EventTuple. */
const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

/**
 * The embedded engine: one SQLite file in WAL mode. Appends that arrive while a commit is being prepared are
 * written together (group commit): one transaction and one sync, each append under its own savepoint so that
 * a conflict fails only that append.
 */
export class SqliteEventStore extends EventStore {
  readonly capabilities: EventStoreCapabilities = { inlineProjections: true, deterministicIdempotency: true, atomicMultiStreamAppend: true };
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly maxBatchSize: number;
  private readonly pollIntervalMs: number;
  private readonly projections: InlineProjection[] = [];
  private queue: PendingAppend[] = [];
  /** The WAL file, synced before a commit is acknowledged (`full` durability on a file); undefined otherwise. */
  private readonly walFile?: string;
  private walFd?: number;
  private syncing = false;
  private awaitingSync: Array<(error: Error | null) => void> = [];
  /**
   * Set once a WAL sync has failed. After a failed fsync the kernel may drop the unwritten pages and report a
   * later fsync as successful, so a later commit could be acknowledged behind a hole that a power cut turns into
   * lost acknowledged writes (WAL recovery stops at the hole). The store therefore refuses every later append
   * until it is opened again, as PostgreSQL does.
   */
  private syncFailure?: StorageUnavailableError;
  /** Checkpoints of a database file, on a worker thread; undefined in memory. */
  private readonly checkpointer?: WalCheckpointer;
  private flushScheduled = false;
  private closed = false;
  private waiters = new Set<() => void>();
  private readonly statements: ReturnType<SqliteEventStore['prepareStatements']>;
  private readonly readAllStatements = new Map<string, Database.Statement>();
  private readonly appendInSavepoint: (pending: PendingAppend, recordedAt: string) => AppendResult[];
  /** The log's Merkle tree, in this database; undefined when turned off. */
  private readonly tree?: SqliteLogTree;
  /** Set when the stored tree does not fit the events (an altered database): appends are refused. */
  private treeFault?: LogTreeError;
  /** How data and metadata are written: as their canonical JSON when the tree is kept (its leaves hash that text). */
  private readonly serialize: JsonSerializer;
  private readonly commitBatch: (batch: PendingAppend[], recordedAt: string) => Array<AppendResult[] | Error>;
  /** Told how many appends each group commit wrote, once it is committed (the operator's metrics). */
  onGroupCommit?: (appends: number) => void;

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.clock = options.clock ?? (() => new Date());
    this.maxBatchSize = options.maxBatchSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.db = new Database(options.filename);
    const durability = options.durability ?? 'full';
    const onDisk = options.filename !== ':memory:' && options.filename !== '';
    // `full` on a file: SQLite commits without syncing (NORMAL), and the store syncs the WAL off the event loop
    // before it acknowledges. In WAL mode NORMAL is still consistent after a power cut (it loses a suffix of
    // commits, never a middle one), and no commit is acknowledged before its sync.
    for (const pragma of pragmas(onDisk ? 'normal' : durability)) this.db.pragma(pragma);
    if (onDisk && durability === 'full') this.walFile = `${resolve(options.filename)}-wal`;
    if (onDisk) {
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new WalCheckpointer(resolve(options.filename));
    }
    this.migrate();
    this.statements = this.prepareStatements();
    this.serialize = (options.logTree ?? true) ? { data: canonicalJson, metadata: canonicalMetadata } : PLAIN_JSON;
    if (options.logTree ?? true) {
      this.tree = new SqliteLogTree(this.db, { locate: (eventId) => this.leafOfEvent(eventId) });
      this.catchUpTree();
    }
    this.appendInSavepoint = this.db.transaction((pending: PendingAppend, recordedAt: string) =>
      this.appendNow(pending, recordedAt),
    );
    this.commitBatch = this.db.transaction((batch: PendingAppend[], recordedAt: string) => {
      const outcomes = batch.map((pending) => {
        const mark = this.tree?.mark();
        try {
          return this.appendInSavepoint(pending, recordedAt);
        } catch (error) {
          // SQLite may end the whole transaction at a full disk or an I/O error: the appends before are gone and
          // those after would each commit on their own. A storage failure therefore fails the whole batch.
          if (!this.db.inTransaction || storageFailure(error)) throw error;
          if (mark !== undefined) this.tree!.rewind(mark);
          return error instanceof Error ? error : new Error(String(error));
        }
      });
      const last = outcomes.reduce<bigint>((max, outcome) => (outcome instanceof Error ? max : outcome.reduce((m, part) => (part.position > m ? part.position : m), max)), 0n);
      if (last > 0n) for (const projection of this.projections) this.statements.saveCheckpoint.run(projection.name, last);
      this.tree?.writeStaged();
      return outcomes;
    });
  }

  /**
   * The log's Merkle tree: every acknowledged event is a leaf, at index position − 1 (positions are the rowids
   * 1, 2, 3, …). Undefined when the store was opened with `logTree: false`.
   */
  get logTree(): LogTree | undefined {
    return this.tree;
  }

  /** The database, for read models that live beside the events (embedded mode). */
  get database(): Database.Database {
    return this.db;
  }

  appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    const expected = options.expectedRevision === undefined ? 'any' : options.expectedRevision;
    let serialized: SerializedEvent[];
    try {
      serialized = prepareAppend(stream, events, expected, this.serialize);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue([{ stream, events: serialized, expected }]).then(([result]) => result);
  }

  /** Every part in one savepoint of one group commit: all of them or none, one sync. */
  override appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    let parts: PreparedPart[];
    try {
      parts = prepareMultiAppend(appends, this.serialize);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(parts);
  }

  private enqueue(parts: PreparedPart[]): Promise<AppendResult[]> {
    if (this.syncFailure) return Promise.reject(this.syncFailure);
    if (this.treeFault) return Promise.reject(this.treeFault);
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.queue.push({ parts, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { from, direction, maxCount } = normalizeReadStream(options);
    if (direction === 'forwards') {
      if (from === 'end') return [];
      const rows = this.statements.readStreamForwards.all(stream, from === 'start' ? 0n : from, maxCount) as EventTuple[];
      return rows.map(toRecordedEvent);
    }
    const start = from === 'end' ? MAX_REVISION : from === 'start' ? 0n : from;
    return (this.statements.readStreamBackwards.all(stream, start, maxCount) as EventTuple[]).map(toRecordedEvent);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { fromPosition, direction, maxCount, filter } = normalizeReadAll(options);
    if (direction === 'forwards' && fromPosition === 'end') return [];
    const from = fromPosition === 'start' ? 0n : fromPosition === 'end' ? MAX_REVISION : fromPosition;
    const [low, high] = direction === 'forwards' ? [from, MAX_REVISION] : [0n, from];
    const statement = this.readAllStatement(direction, filter);
    const rows = statement.all(low, high, ...filterParameters(filter), maxCount) as EventTuple[];
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    this.assertOpen();
    const from = options.fromPosition ?? 'start';
    assertPosition(from);
    assertFilter(options.filter);
    const filter = options.filter;
    let after = from === 'start' ? 0n : from === 'end' ? this.headPosition() : from;
    let closed = false;
    let wake: (() => void) | undefined;
    const pageSize = 1000;
    const isOpen = () => !closed && !this.closed;
    const head = () => this.headPosition();
    const readAfter = (position: bigint, upTo: bigint) =>
      this.readAllStatement('forwards', filter).all(position + 1n, upTo, ...filterParameters(filter), pageSize) as EventTuple[];
    const nextAppend = () => this.nextAppend((resume) => (wake = resume));

    async function* events(): AsyncGenerator<RecordedEvent> {
      while (isOpen()) {
        const last = head();
        const rows = last > after ? readAfter(after, last) : [];
        for (const row of rows) {
          after = row[0];
          yield toRecordedEvent(row);
          if (closed) return;
        }
        if (rows.length < pageSize && last > after) after = last;
        if (rows.length === 0) await nextAppend();
      }
    }

    const iterator = events();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        closed = true;
        wake?.();
        await iterator.return(undefined);
      },
    };
  }

  /**
   * Runs `projection` inline with every later append. It first catches up from its checkpoint, in
   * transactions of 1000 events, so a projection added to an existing store sees the whole log.
   */
  registerInlineProjection(projection: InlineProjection): void {
    this.assertOpen();
    if (this.projections.some((registered) => registered.name === projection.name)) {
      throw new Error(`A projection named ${projection.name} is already registered`);
    }
    projection.setup?.(this.db);
    const stored = this.statements.readCheckpoint.get(projection.name) as { position: bigint } | undefined;
    let checkpoint = stored?.position ?? 0n;
    const catchUp = this.db.transaction((rows: EventTuple[]) => {
      for (const row of rows) if (handles(projection, row[4])) projection.apply(this.db, toRecordedEvent(row));
      this.statements.saveCheckpoint.run(projection.name, rows[rows.length - 1][0]);
    });
    for (;;) {
      const rows = this.readAllStatement('forwards', undefined).all(checkpoint + 1n, MAX_REVISION, 1000) as EventTuple[];
      if (rows.length === 0) break;
      catchUp(rows);
      checkpoint = rows[rows.length - 1][0];
    }
    if (!stored) this.statements.saveCheckpoint.run(projection.name, checkpoint);
    this.projections.push(projection);
  }

  /** The checkpoint of a projection: the position of the last event it has seen. */
  projectionCheckpoint(name: string): bigint | undefined {
    return (this.statements.readCheckpoint.get(name) as { position: bigint } | undefined)?.position;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    while (this.syncing) await new Promise<void>((resolve) => this.awaitingSync.push(() => resolve()));
    await this.checkpointer?.close();
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.db.close();
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      if (this.syncFailure) {
        for (const pending of batch) pending.reject(this.syncFailure);
        continue;
      }
      let outcomes: Array<AppendResult[] | Error>;
      try {
        outcomes = this.commitBatch(batch, this.clock().toISOString());
        this.tree?.commitStaged();
      } catch (error) {
        this.tree?.discardStaged();
        // The transaction was rolled back: nothing of the batch is written. A full or read-only disk, an I/O
        // error or a lock held elsewhere become StorageUnavailableError; the connection stays usable.
        const failure = asStorageError(error);
        for (const pending of batch) pending.reject(failure);
        continue;
      }
      const settle = (syncFailure: Error | null) =>
        outcomes.forEach((outcome, index) =>
          outcome instanceof Error ? batch[index].reject(outcome) : syncFailure ? batch[index].reject(syncFailure) : batch[index].resolve(outcome),
        );
      if (!outcomes.some((outcome) => !(outcome instanceof Error))) {
        settle(null);
        continue;
      }
      this.notify();
      this.checkpointer?.committed();
      this.onGroupCommit?.(outcomes.filter((outcome) => !(outcome instanceof Error)).length);
      if (this.walFile) this.afterSync(settle);
      else settle(null);
    }
  }

  /**
   * Calls `done` once the WAL holds everything committed so far on disk. Syncs are coalesced: while one runs on
   * the thread pool, the commits made meanwhile wait for the next one, which covers them all.
   */
  private afterSync(done: (error: Error | null) => void): void {
    this.awaitingSync.push(done);
    if (!this.syncing) this.syncWal();
  }

  private syncWal(): void {
    const waiting = this.awaitingSync;
    this.awaitingSync = [];
    this.syncing = true;
    let fd: number;
    try {
      fd = this.walDescriptor();
    } catch (error) {
      this.syncDone(waiting, error);
      return;
    }
    fdatasync(fd, (error) => this.syncDone(waiting, error));
  }

  private syncDone(waiting: Array<(error: Error | null) => void>, error: unknown): void {
    this.syncing = false;
    // The commit is in the database but could not be made durable: the client must not take it as recorded.
    const failure = error ? (this.syncFailure ??= new StorageUnavailableError('io-error', error)) : null;
    for (const done of waiting) done(failure);
    if (this.awaitingSync.length > 0) this.syncWal();
  }

  /** The WAL file, opened once; its folder is synced once too, so that the file's own entry survives a power cut. */
  private walDescriptor(): number {
    if (this.walFd === undefined) {
      this.walFd = openSync(this.walFile!, 'r+');
      const folder = openSync(dirname(this.walFile!), 'r');
      try {
        fsyncSync(folder);
      } finally {
        closeSync(folder);
      }
    }
    return this.walFd;
  }

  /**
   * Writes one queued append inside its savepoint. Every part is checked against its stream first; a repeat of
   * a stored append (every part's first id known) returns the first results, a partial repeat is refused.
   */
  private appendNow({ parts }: PendingAppend, recordedAt: string): AppendResult[] {
    const checked = parts.map((part) => ({
      part,
      known: this.statements.findEvent.get(part.events[0].id) as { stream_id: string; revision: bigint } | undefined,
      current: (this.statements.lastRevision.get(part.stream) as { revision: bigint } | undefined)?.revision,
    }));
    const repeats = checked.filter((check) => check.known);
    if (repeats.length === checked.length) {
      return checked.map(({ part, known, current }) => this.repeatedAppend(part.stream, part.events, part.expected, known!, current));
    }
    if (repeats.length > 0) throw new DuplicateEventError(repeats[0].part.events[0].id, 'but the append does not repeat the one that stored it');
    for (const { part, current } of checked) {
      if (!revisionMatches(part.expected, current)) throw new ConcurrencyError(part.stream, part.expected, current ?? 'no_stream');
    }
    const recorded: RecordedEvent[] = [];
    const results = checked.map(({ part, current }) => this.insertPart(part, current, recordedAt, recorded));
    for (const projection of this.projections) {
      for (const event of recorded) {
        if (!handles(projection, event.type)) continue;
        try {
          projection.apply(this.db, event);
        } catch (error) {
          throw new ProjectionFailedError(projection.name, error);
        }
      }
    }
    return results;
  }

  /** Inserts one part after the stream's `current` revision; collects what projections will need. */
  private insertPart({ stream, events }: PreparedPart, current: bigint | undefined, recordedAt: string, recorded: RecordedEvent[]): AppendResult {
    let revision = current === undefined ? 0n : current + 1n;
    let position = 0n;
    for (const event of events) {
      try {
        position = BigInt(
          this.statements.insert.run(stream, revision, event.id, event.type, event.data, event.metadata, recordedAt)
            .lastInsertRowid,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateEventError(event.id, 'under another append');
        throw error;
      }
      // With the tree, data and metadata were serialised as canonical JSON: the leaf is built from the text stored.
      if (this.tree) this.stageLeaf(position, hashLeaf(leafJson({ id: event.id, stream, revision, type: event.type, recordedAt }, event.data, event.metadata)));
      // What projections see is what a read would return: parsed only if they look, with the stored text.
      if (this.projections.length > 0) recorded.push(new StoredEvent([position, stream, revision, event.id, event.type, event.data, event.metadata, recordedAt]));
      revision += 1n;
    }
    return { nextExpectedRevision: revision - 1n, position };
  }

  /** The first event id is already stored: a repeat of the same append returns its result, anything else fails. */
  private repeatedAppend(
    stream: string,
    events: SerializedEvent[],
    expected: ExpectedRevision,
    known: { stream_id: string; revision: bigint },
    current: bigint | undefined,
  ): AppendResult {
    if (known.stream_id !== stream) throw new DuplicateEventError(events[0].id, `in stream ${known.stream_id}`);
    const rows = this.statements.readStreamForwards.all(stream, known.revision, events.length) as EventTuple[];
    const sameEvents = rows.length === events.length && rows.every((row, index) => row[3] === events[index].id);
    if (!sameEvents) throw new DuplicateEventError(events[0].id, 'but the append does not repeat the one that stored it');
    const before = known.revision === 0n ? undefined : known.revision - 1n;
    if (!revisionMatches(expected, before)) throw new ConcurrencyError(stream, expected, current ?? 'no_stream');
    const [position, , revision] = rows[rows.length - 1];
    return { nextExpectedRevision: revision, position };
  }

  /** Stages the leaf of the event just inserted at `position`: its leaf index must be position − 1. */
  private stageLeaf(position: bigint, leaf: Buffer): void {
    const index = this.tree!.nextIndex;
    if (position !== BigInt(index) + 1n) {
      throw new LogTreeError(`the log's tree holds ${index} leaves but the event just written is at position ${position}: the events table was altered`);
    }
    this.tree!.stage(leaf);
  }

  /** An event's leaf: position − 1. */
  private leafOfEvent(eventId: string): number | undefined {
    const found = this.statements.findEvent.get(eventId) as { position: bigint } | undefined;
    return found === undefined ? undefined : Number(found.position) - 1;
  }

  /**
   * Brings the tree up to the log when it is behind (a database written before the tree, or with it off), in
   * transactions of 10,000 events. A tree ahead of the log, or a gap in the positions, means the events table
   * was altered: appends are refused from then on (reads still work, so the log can be exported and verified).
   */
  private catchUpTree(): void {
    const tree = this.tree!;
    const head = Number(this.headPosition());
    if (tree.size > head) {
      this.treeFault = new LogTreeError(`the log's tree holds ${tree.size} leaves but the log only ${head} events: events were removed`);
      return;
    }
    const read = this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT 10000`).safeIntegers(true).raw(true);
    const addBatch = this.db.transaction((rows: EventTuple[]) => {
      for (const row of rows) {
        const event = new StoredEvent(row);
        this.stageLeaf(event.position, hashLeaf(eventLeafJson(event)));
      }
      tree.writeStaged();
    });
    while (tree.size < head) {
      const rows = read.all(BigInt(tree.size)) as EventTuple[];
      if (rows.length === 0) break;
      try {
        addBatch(rows);
        tree.commitStaged();
      } catch (error) {
        tree.discardStaged();
        if (!(error instanceof LogTreeError)) throw error;
        this.treeFault = error;
        return;
      }
    }
  }

  private headPosition(): bigint {
    return (this.statements.head.get() as { position: bigint | null }).position ?? 0n;
  }

  /** Resolves at the next commit of this process, or after the poll interval (writes of other processes). */
  private nextAppend(register: (resume: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.waiters.add(done);
      register(done);
    });
  }

  private notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  private readAllStatement(direction: 'forwards' | 'backwards', filter: EventFilter | undefined): Database.Statement {
    const kind = !filter ? 'all' : 'eventTypes' in filter ? 'types' : 'prefixes';
    const key = `${direction}:${kind}`;
    let statement = this.readAllStatements.get(key);
    if (!statement) {
      const where =
        kind === 'all'
          ? ''
          : kind === 'types'
            ? ' AND type IN (SELECT value FROM json_each(?))'
            : ' AND EXISTS (SELECT 1 FROM json_each(?) WHERE substr(stream_id, 1, length(value)) = value)';
      statement = this.db
        .prepare(
          `SELECT ${COLUMNS} FROM events WHERE position BETWEEN ? AND ?${where} ORDER BY position ${direction === 'forwards' ? 'ASC' : 'DESC'} LIMIT ?`,
        )
        .safeIntegers(true)
        .raw(true);
      this.readAllStatements.set(key, statement);
    }
    return statement;
  }

  private prepareStatements() {
    const db = this.db;
    return {
      insert: db.prepare(
        'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      lastRevision: db
        .prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1')
        .safeIntegers(true),
      findEvent: db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?').safeIntegers(true),
      readStreamForwards: db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`)
        .safeIntegers(true)
        .raw(true),
      readStreamBackwards: db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)
        .safeIntegers(true)
        .raw(true),
      head: db.prepare('SELECT max(position) AS position FROM events').safeIntegers(true),
      readCheckpoint: db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').safeIntegers(true),
      saveCheckpoint: db.prepare(
        'INSERT INTO projection_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`The database has schema version ${version}; this build knows up to ${SCHEMA_VERSION}. Upgrade Kansli.`);
    }
    this.db.exec(EVENTS_SCHEMA);
    if (version < SCHEMA_VERSION) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function revisionMatches(expected: ExpectedRevision, current: bigint | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
}

function handles(projection: InlineProjection, type: string): boolean {
  return !projection.eventTypes || projection.eventTypes.includes(type);
}

function filterParameters(filter: EventFilter | undefined): string[] {
  if (!filter) return [];
  return [JSON.stringify('eventTypes' in filter ? filter.eventTypes : filter.streamPrefixes)];
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

type EventTuple = [position: bigint, stream: string, revision: bigint, id: string, type: string, data: string, metadata: string, recordedAt: string];

/**
 * An event read from the database. `data` and `metadata` are parsed on first access: consumers that select
 * events by type or stream, as projections and catch-up do, skip the JSON cost. Immutable; `toJSON` gives the
 * plain event (spreading an instance copies only the eagerly read fields).
 */
class StoredEvent implements RecordedEvent {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: bigint;
  readonly id: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly #dataJson: string;
  #data?: JsonObject;
  #metadata: string | EventMetadata;

  constructor(row: EventTuple) {
    this.position = row[0];
    this.stream = row[1];
    this.revision = row[2];
    this.id = row[3];
    this.type = row[4];
    this.#dataJson = row[5];
    this.#metadata = row[6];
    this.recordedAt = row[7];
  }

  get data(): JsonObject {
    this.#data ??= JSON.parse(this.#dataJson) as JsonObject;
    return this.#data;
  }

  /** `data` as the text the database holds: a projection may want both. */
  get dataJson(): string {
    return this.#dataJson;
  }

  get metadata(): EventMetadata {
    if (typeof this.#metadata === 'string') this.#metadata = JSON.parse(this.#metadata) as EventMetadata;
    return this.#metadata;
  }

  toJSON(): RecordedEvent {
    const { id, type, data, metadata, stream, revision, position, recordedAt } = this;
    return { id, type, data, metadata, stream, revision, position, recordedAt };
  }
}

const toRecordedEvent = (row: EventTuple): RecordedEvent => new StoredEvent(row);

/**
 * An event's `data` as JSON text: for an event read from the SQLite engine, the text it stored (no parse and no
 * re-serialisation); otherwise `JSON.stringify(data)`. The two are equal for every event the engine wrote (it
 * stores `JSON.stringify(data)`, and stringifying what that parses to gives the same text).
 */
export function eventDataJson(event: RecordedEvent): string {
  return event instanceof StoredEvent ? event.dataJson : JSON.stringify(event.data);
}
