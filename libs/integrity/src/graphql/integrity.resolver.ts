import { Inject } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { Access } from '@kansli/api';
import type { LogTree } from '@kansli/event-store';
import { InvalidInput, NotFound } from '@kansli/kernel';
import type { StoredCheckpoint } from '../checkpoint-store';
import { LogCheckpoints, type CheckpointProblem } from '../log-checkpoints';
import { CheckpointConnectionType, InclusionProofType, IntegrityReportType } from './integrity.types';

/** Who reads the audit queries (as the timeline). */
const AUDIT = ['SEKRETERARE', 'ADMIN', 'REVISOR'] as const;
const MAX_PAGE = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const b64 = (hash: Buffer) => hash.toString('base64');

@Resolver()
export class IntegrityResolver {
  constructor(@Inject(LogCheckpoints) private readonly checkpoints: LogCheckpoints) {}

  private get tree(): LogTree {
    return this.checkpoints.tree;
  }

  @Access(...AUDIT)
  @Query(() => IntegrityReportType, { description: "The log's tree now, its latest signed checkpoint and whether they agree." })
  integrity(): IntegrityReportType {
    const { size, root, latest, problem } = this.checkpoints.checkLatest();
    const report = { size, root: b64(root), origin: this.checkpoints.origin, publicKey: this.checkpoints.publicKey };
    if (!latest) return { ...report, verified: true, problem: null, checkpoint: '', checkpointSize: 0 };
    return { ...report, verified: problem === null, problem: problem && describe(problem), checkpoint: latest.note, checkpointSize: latest.size };
  }


  @Access(...AUDIT)
  @Query(() => CheckpointConnectionType, { name: 'checkpoints', description: 'The signed checkpoints, newest first.' })
  checkpointPage(
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): CheckpointConnectionType {
    const size = first ?? 20;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new InvalidInput(`first must be from 1 to ${MAX_PAGE}`);
    const before = after === undefined || after === null ? Number.MAX_SAFE_INTEGER : decodeCursor(after);
    const rows = this.checkpoints.newestBefore(before, size + 1);
    const edges = rows.slice(0, size).map((checkpoint) => ({ cursor: encodeCursor(checkpoint.size), node: view(checkpoint) }));
    return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Access(...AUDIT)
  @Query(() => InclusionProofType, {
    description: "Proves an event is in the log: its leaf in the tree of treeSize leaves (default: the latest checkpoint's), with the signed checkpoint to check the root against.",
  })
  inclusionProof(
    @Args('eventId', { type: () => ID }) eventId: string,
    @Args('treeSize', { type: () => Int, nullable: true }) treeSize?: number,
  ): InclusionProofType {
    if (typeof eventId !== 'string' || !UUID.test(eventId)) throw new InvalidInput(`eventId ${JSON.stringify(eventId)} is not an event id (a UUID)`);
    const leaf = this.tree.leafIndexOf(eventId.toLowerCase());
    if (leaf === undefined) throw new NotFound('Event', eventId);
    let size: number;
    if (treeSize === undefined || treeSize === null) {
      const covering = this.checkpoints.covering(leaf);
      if (!covering) throw new NotFound('Checkpoint holding event', eventId);
      size = Math.max(covering.size, this.checkpoints.latest()?.size ?? 0);
    } else {
      size = this.treeSize('treeSize', treeSize);
      if (size <= leaf) throw new InvalidInput(`treeSize ${size} does not hold the event: it is leaf ${leaf}, so the tree needs at least ${leaf + 1} leaves`);
    }
    const checkpoint = this.checkpoints.atSize(size) ?? this.checkpoints.covering(size - 1);
    if (!checkpoint) throw new NotFound('Checkpoint of tree size', String(size));
    return {
      leafIndex: leaf,
      treeSize: size,
      leafHash: b64(this.tree.leafHash(leaf)),
      hashes: this.tree.inclusionProof(leaf, size).map(b64),
      root: b64(this.tree.root(size)),
      checkpoint: checkpoint.note,
      checkpointSize: checkpoint.size,
    };
  }

  @Access(...AUDIT)
  @Query(() => [String], {
    description: "Proves the tree of fromSize leaves is a prefix of the tree of toSize leaves (default: the latest checkpoint's) (RFC 9162 2.1.4): the hashes, each base64.",
  })
  consistencyProof(
    @Args('fromSize', { type: () => Int }) fromSize: number,
    @Args('toSize', { type: () => Int, nullable: true }) toSize?: number,
  ): string[] {
    const from = this.treeSize('fromSize', fromSize, true);
    const to = toSize === undefined || toSize === null ? (this.checkpoints.latest() ?? this.checkpoints.issue())?.size ?? this.tree.size : this.treeSize('toSize', toSize);
    if (from > to) throw new InvalidInput(`fromSize ${from} is larger than toSize ${to}: a log only grows`);
    return this.tree.consistencyProof(from, to).map(b64);
  }

  /** A tree size the log has: 1 (0 where allowed) up to the tree's size. */
  private treeSize(name: string, value: number, zero = false): number {
    const least = zero ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least) throw new InvalidInput(`${name} must be a whole number from ${least}, got ${value}`);
    if (value > this.tree.size) throw new InvalidInput(`${name} ${value} is beyond the log: its tree has ${this.tree.size} leaves`);
    return value;
  }
}

function view(checkpoint: StoredCheckpoint) {
  return { size: checkpoint.size, root: b64(checkpoint.root), note: checkpoint.note, issuedAt: checkpoint.issuedAt };
}

function encodeCursor(size: number): string {
  return Buffer.from(`checkpoint:${size}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^checkpoint:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidInput('after is not a cursor this list gave out');
  return Number(match[1]);
}

function describe(problem: CheckpointProblem): string {
  switch (problem.kind) {
    case 'altered':
      return 'the stored checkpoint differs from its signed note';
    case 'shrunk':
      return `the latest checkpoint signed ${problem.signed} leaves, the tree holds ${problem.size}: events were removed`;
    case 'inconsistent':
      return problem.reason;
  }
}
