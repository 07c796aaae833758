import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { LogCheckpoints, type CheckpointProblem } from '@kansli/integrity';

export interface IntegrityView {
  verified: boolean;
  problem: string | null;
  size: number;
  root: string;
  origin: string;
  publicKey: string;
  checkpoint: string | null;
  checkpointSize: number;
}

const REMEMBERED = 10_000;

/**
 * The tamper-evident log as the pages show it (@kansli/integrity, when the server runs it): the checkpoint that
 * first holds a protocol's justering, and the latest checkpoint with whether the tree still agrees with it (the
 * same check as the `integrity` query).
 */
@Injectable()
export class LogIntegrity {
  private log: LogCheckpoints | null | undefined;
  // The first checkpoint that holds a leaf never changes once signed: remember it.
  private readonly notes = new Map<number, string>();

  constructor(private readonly modules: ModuleRef) {}

  private checkpoints(): LogCheckpoints | null {
    if (this.log === undefined) {
      try {
        this.log = this.modules.get(LogCheckpoints, { strict: false });
      } catch {
        this.log = null;
      }
    }
    return this.log ?? null;
  }

  checkpointOf(leaf: number): string | null {
    const known = this.notes.get(leaf);
    if (known !== undefined) return known;
    const note = this.checkpoints()?.covering(leaf)?.note ?? null;
    if (note !== null) {
      if (this.notes.size >= REMEMBERED) this.notes.clear();
      this.notes.set(leaf, note);
    }
    return note;
  }

  report(): IntegrityView | null {
    const log = this.checkpoints();
    if (!log) return null;
    const { size, root, latest, problem } = log.checkLatest();
    const view = { size, root: root.toString('base64'), origin: log.origin, publicKey: log.publicKey };
    if (!latest) return { ...view, verified: true, problem: null, checkpoint: null, checkpointSize: 0 };
    return { ...view, verified: problem === null, problem: problem && describe(problem), checkpoint: latest.note, checkpointSize: latest.size };
  }

}

/** The problem in the auditors' page's Swedish. */
function describe(problem: CheckpointProblem): string {
  switch (problem.kind) {
    case 'altered':
      return 'den lagrade kontrollpunkten skiljer sig från sin signerade text';
    case 'shrunk':
      return `den senaste kontrollpunkten omfattar ${problem.signed} händelser men trädet har ${problem.size}: händelser har tagits bort`;
    case 'inconsistent':
      return problem.reason;
  }
}
