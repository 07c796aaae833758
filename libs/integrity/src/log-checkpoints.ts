import type { LogTree } from '@kansli/event-store';
import { openCheckpoint, signCheckpoint, verifyConsistency, type NoteSigner, type NoteVerifier } from '@kansli/tlog';
import type { CheckpointStore, StoredCheckpoint } from './checkpoint-store';

/** The tree no longer extends what the log signed before: signing now would sign a fork. */
export class LogForkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogForkError';
  }
}

/** What can be wrong between the latest checkpoint and the tree now (each reader words it in its own language). */
export type CheckpointProblem =
  | { kind: 'altered' }
  | { kind: 'shrunk'; signed: number; size: number }
  | { kind: 'inconsistent'; reason: string };

/** The tree now against its latest signed checkpoint (signed first if there is none yet and the log has events). */
export interface LatestCheck {
  size: number;
  root: Buffer;
  latest: StoredCheckpoint | undefined;
  problem: CheckpointProblem | null;
}

/**
 * Issues the log's signed checkpoints (C2SP tlog-checkpoint, Ed25519) over its Merkle tree, and finds the one that
 * holds a given leaf. Before it signs a larger tree it proves that tree consistent with the last checkpoint it
 * signed, so it never signs two views of the log (tlog-checkpoint: "a log MUST not sign any checkpoint which is
 * inconsistent with any checkpoint it previously signed").
 */
export class LogCheckpoints {
  constructor(
    readonly tree: LogTree,
    private readonly store: CheckpointStore,
    private readonly signer: NoteSigner,
    private readonly now: () => Date,
  ) {}

  get origin(): string {
    return this.signer.name;
  }

  /** The log's verifier key (C2SP vkey): what auditors pin. */
  get publicKey(): string {
    return this.signer.verifier.encoded;
  }

  get verifier(): NoteVerifier {
    return this.signer.verifier;
  }

  latest(): StoredCheckpoint | undefined {
    return this.store.latest();
  }

  /**
   * Whether the latest checkpoint still holds: its signed note says what was stored, and the tree now extends it
   * (the same size or larger, with a consistency proof). What `integrity` and the auditors' page report.
   */
  checkLatest(): LatestCheck {
    const size = this.tree.size;
    const root = Buffer.from(this.tree.root(size));
    const latest = this.latest() ?? this.issue();
    if (!latest) return { size, root, latest, problem: null };
    try {
      const signed = openCheckpoint(latest.note, this.verifier);
      if (signed.size !== latest.size || !Buffer.from(signed.root).equals(Buffer.from(latest.root))) return { size, root, latest, problem: { kind: 'altered' } };
      if (latest.size > size) return { size, root, latest, problem: { kind: 'shrunk', signed: latest.size, size } };
      verifyConsistency(latest.size, size, latest.root, this.tree.root(size), this.tree.consistencyProof(latest.size, size));
      return { size, root, latest, problem: null };
    } catch (error) {
      return { size, root, latest, problem: { kind: 'inconsistent', reason: (error as Error).message } };
    }
  }

  atSize(size: number): StoredCheckpoint | undefined {
    return this.store.atSize(size);
  }

  newestBefore(size: number, count: number): StoredCheckpoint[] {
    return this.store.newestBefore(size, count);
  }

  all(): Iterable<StoredCheckpoint> {
    return this.store.all();
  }

  count(): number {
    return this.store.count();
  }

  /** Signs the whole tree if it has grown since the last checkpoint; returns the new checkpoint, if any. */
  issue(): StoredCheckpoint | undefined {
    const size = this.tree.size;
    const last = this.store.latest();
    if (size === 0 || (last && last.size >= size)) return undefined;
    const root = this.tree.root(size);
    if (last) {
      try {
        verifyConsistency(last.size, size, last.root, root, this.tree.consistencyProof(last.size, size));
      } catch (error) {
        throw new LogForkError(`Refusing to sign the log at ${size} leaves: it does not extend the checkpoint of ${last.size} leaves signed before (${(error as Error).message})`);
      }
    }
    const checkpoint = { size, root, note: signCheckpoint({ origin: this.origin, size, root }, this.signer), issuedAt: this.now().toISOString() };
    this.store.add(checkpoint);
    return checkpoint;
  }

  /** The first checkpoint that holds leaf `leaf`, signed now if the tree holds it but no checkpoint does yet. */
  covering(leaf: number): StoredCheckpoint | undefined {
    const found = this.store.firstCovering(leaf);
    if (found || leaf >= this.tree.size) return found;
    return this.issue() ?? this.store.firstCovering(leaf);
  }
}
