import type { CommandContext } from '@kansli/event-store';
import type { RoleHolders } from './designation';
import type { AttestKind, AttestRuleChanged, DelegationAction, DelegationChanged, MatterCategory } from './delegation.events';

/** A decision of the board that a command cites, as the meetings context records it: facts the handler looks up. */
export interface CitedDecision {
  decisionId: string;
  bodyId: string;
  meetingId: string;
  paragraph: number;
  /** The day it was decided (Swedish calendar). */
  date: string;
}

/** A delegated decision a report names, as it was recorded. */
export interface ReportedFact {
  delegatedDecisionId: string;
  bodyId: string;
  decidedAt: string;
  title: string;
}

/**
 * What a delegation change sets. Left out (undefined): an AMEND keeps the earlier value; null on an AMEND clears
 * `substitute` or `limitAmount`.
 */
export interface DelegationTerms {
  matter?: string | null;
  category?: MatterCategory | null;
  delegate?: string | null;
  substitute?: string | null;
  limitAmount?: number | null;
}

export class ChangeDelegation {
  constructor(
    readonly bodyId: string,
    readonly delegationId: string,
    readonly action: DelegationAction,
    readonly terms: DelegationTerms,
    readonly validFrom: string,
    readonly decisionId: string,
    readonly context: CommandContext,
    /** The cited decision (the handler looks it up). */
    readonly cited: CitedDecision | null = null,
  ) {}
}

export class RecordDelegatedDecision {
  constructor(
    readonly delegatedDecisionId: string,
    readonly delegationId: string,
    readonly decidedByPersonId: string,
    readonly decidedAt: string,
    readonly title: string,
    readonly dnr: string | null,
    readonly amount: number | null,
    readonly context: CommandContext,
    /** The delegation's versions as recorded, oldest first (the handler reads them). */
    readonly delegation: ReadonlyArray<DelegationChanged['data']> = [],
    /** Who holds the roles the delegation names, on decidedAt. */
    readonly holders: RoleHolders = {},
  ) {}
}

/** The body is the cited decision's. */
export class ReportDelegatedDecisions {
  constructor(
    readonly decisionId: string,
    readonly delegatedDecisionIds: readonly string[],
    readonly context: CommandContext,
    readonly cited: CitedDecision | null = null,
    readonly reported: readonly ReportedFact[] = [],
  ) {}
}

export class ChangeAttestRule {
  constructor(
    readonly bodyId: string,
    readonly attestRuleId: string,
    readonly scope: string,
    readonly kind: AttestKind,
    readonly attestant: string,
    readonly substitute: string | null,
    readonly validFrom: string,
    readonly decisionId: string,
    readonly context: CommandContext,
    readonly cited: CitedDecision | null = null,
  ) {}
}

export class AttestInvoice {
  constructor(
    readonly bodyId: string,
    readonly invoiceId: string,
    readonly invoiceAttestId: string,
    readonly invoiceRef: string,
    readonly amount: number,
    readonly kind: AttestKind,
    readonly attestedByPersonId: string,
    readonly incurredByPersonId: string | null,
    readonly at: string,
    /** The kind of invoice; null: any rule of the attest's kind valid that day counts. */
    readonly scope: string | null,
    readonly context: CommandContext,
    /** Every version of the body's attest rules, oldest first (the handler reads them). */
    readonly rules: ReadonlyArray<AttestRuleChanged['data']> = [],
    /** Who holds the roles the rules name, on `at`. */
    readonly holders: RoleHolders = {},
  ) {}
}

export class AssignRole {
  constructor(
    readonly bodyId: string,
    readonly roleAssignmentId: string,
    readonly role: string,
    readonly personId: string,
    readonly from: string,
    readonly to: string | null,
    readonly context: CommandContext,
  ) {}
}

/** A copy of a command with the facts its handler looked up. */
export function withFacts<C extends object>(command: C, facts: Partial<C>): C {
  return Object.assign(Object.create(Object.getPrototypeOf(command) as object) as C, command, facts);
}
