import type Database from 'better-sqlite3';
import type { EventStore, EventSubscription, SqliteEventStore } from '@kansli/event-store';
import { handles, type Projection } from './projection';

/**
 * Keeps read models up to date and lets a writer wait until its own events are in them (read-your-writes).
 */
export abstract class ProjectionRunner {
  /** The database the read models live in. */
  abstract readonly database: Database.Database;
  /** Registers a projection; call before `start`. */
  abstract register(projection: Projection): void;
  abstract start(): Promise<void>;
  /** Resolves once every registered projection has applied the event at `position` (and all before it). */
  abstract waitFor(position: bigint): Promise<void>;
  /**
   * How many events of the log, as it stands when asked, the read models have not applied yet (counted up to
   * `limit`): 0 is caught up. Rejects when the read models have stopped following the log.
   */
  abstract behind(limit?: number): Promise<number>;
  /**
   * Resolves once the read models hold the whole log as it stood when asked: what a command decides on from them
   * (a body's members on the day, a person's existence) is then no older than the command, whichever replica
   * wrote it. Rejects when the log cannot be read or the read models have stopped following it.
   */
  abstract caughtUp(): Promise<void>;
  /**
   * The position of the last event the read models have applied; undefined when they are written in the append
   * (embedded engine: they always hold the whole log) or have applied nothing yet.
   */
  abstract readonly appliedPosition: bigint | undefined;
  abstract stop(): Promise<void>;

  /** Waits until a command's events (if it appended any) are in the read models. */
  async settled(result: { appended?: { position: bigint } }): Promise<void> {
    if (result.appended) await this.waitFor(result.appended.position);
  }
}

/** Embedded engine: projections run inside the append's transaction, so there is never anything to wait for. */
export class InlineProjectionRunner extends ProjectionRunner {
  constructor(private readonly store: SqliteEventStore) {
    super();
  }

  get database(): Database.Database {
    return this.store.database;
  }

  register(projection: Projection): void {
    this.store.registerInlineProjection(projection);
  }

  async start(): Promise<void> {}

  async waitFor(): Promise<void> {}

  async behind(): Promise<number> {
    return 0;
  }

  async caughtUp(): Promise<void> {}

  readonly appliedPosition = undefined;

  async stop(): Promise<void> {}
}

/** Where the subscription runner keeps its checkpoints (scale-out mode). */
export const READ_MODEL_CHECKPOINTS_SCHEMA = `CREATE TABLE IF NOT EXISTS read_model_checkpoints (
  name     TEXT PRIMARY KEY,
  position TEXT NOT NULL
) WITHOUT ROWID`;

/**
 * Scale-out mode: this replica's read models, in its own SQLite file, follow a subscription to the log.
 * Each event is applied with the checkpoint in one transaction, so a restart resumes exactly where it stopped
 * and never applies an event twice. Positions are stored as decimal text: EventStoreDB positions exceed 64 bits.
 */
export class SubscriptionProjectionRunner extends ProjectionRunner {
  private readonly projections: Projection[] = [];
  private subscription?: EventSubscription;
  private running?: Promise<void>;
  private checkpoint = -1n;
  private failure?: unknown;
  private waiters: Array<{ position: bigint; resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(
    private readonly store: EventStore,
    readonly database: Database.Database,
  ) {
    super();
    database.exec(READ_MODEL_CHECKPOINTS_SCHEMA);
  }

  register(projection: Projection): void {
    if (this.subscription) throw new Error('Register projections before the runner starts');
    projection.setup?.(this.database);
    this.projections.push(projection);
  }

  async start(): Promise<void> {
    const saved = this.database.prepare('SELECT name, position FROM read_model_checkpoints').all() as Array<{ name: string; position: string }>;
    const byName = new Map(saved.map((row) => [row.name, BigInt(row.position)]));
    const positions = this.projections.map((projection) => byName.get(projection.name));
    // All projections move together; a new one (no checkpoint) makes the runner start from the beginning.
    const from = positions.some((position) => position === undefined) || positions.length === 0
      ? undefined
      : positions.reduce((min, position) => (position! < min! ? position : min));
    this.checkpoint = from ?? -1n;
    this.subscription = this.store.subscribeToAll({ fromPosition: from ?? 'start' });
    const save = this.database.prepare(
      'INSERT INTO read_model_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
    const applyOne = this.database.transaction((event: Parameters<Projection['apply']>[1]) => {
      for (const projection of this.projections) {
        const done = byName.get(projection.name);
        if (done !== undefined && event.position <= done) continue;
        if (handles(projection, event.type)) projection.apply(this.database, event);
        save.run(projection.name, event.position.toString());
      }
    });
    const subscription = this.subscription;
    this.running = (async () => {
      try {
        for await (const event of subscription) {
          applyOne(event);
          this.checkpoint = event.position;
          this.settleWaiters();
        }
      } catch (error) {
        this.failure = error;
        for (const waiter of this.waiters) waiter.reject(error);
        this.waiters = [];
      }
    })();
  }

  waitFor(position: bigint): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.checkpoint >= position) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ position, resolve, reject }));
  }

  async behind(limit = 1000): Promise<number> {
    if (this.failure) throw this.failure;
    const checkpoint = this.checkpoint;
    // fromPosition is inclusive: the checkpoint's own event comes back first and is not counted.
    const events = await this.store.readAll({ fromPosition: checkpoint < 0n ? 'start' : checkpoint, direction: 'forwards', maxCount: limit + 1 });
    return Math.min(limit, events.filter((event) => event.position > checkpoint).length);
  }

  get appliedPosition(): bigint | undefined {
    return this.checkpoint >= 0n ? this.checkpoint : undefined;
  }

  async caughtUp(): Promise<void> {
    if (this.failure) throw this.failure;
    const [head] = await this.store.readAll({ direction: 'backwards', maxCount: 1 });
    if (head) await this.waitFor(head.position);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.running;
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((waiter) => waiter.position <= this.checkpoint);
    this.waiters = this.waiters.filter((waiter) => waiter.position > this.checkpoint);
    for (const waiter of ready) waiter.resolve();
  }
}
