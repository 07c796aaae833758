import type Database from 'better-sqlite3';
import { addDays } from '@kansli/kernel';
import { statement } from '@kansli/projections';
import type { DelegatedDecisionFacts } from './delegated-decision.findings';
import { roleKey, type RoleHolders } from './designation';
import type { AttestKind, DelegationAction, MatterCategory } from './delegation.events';

/** One version of a delegation as recorded: what it said from validFrom, and when the system learnt it. */
export interface DelegationVersionView {
  delegationId: string;
  bodyId: string;
  action: DelegationAction;
  matter: string;
  category: MatterCategory;
  delegate: string | null;
  substitute: string | null;
  limitAmount: number | null;
  validFrom: string;
  recordedAt: string;
  decisionId: string;
}

/** A delegation as it stood on a day (or as it last stood), with every version known then. */
export interface DelegationView {
  id: string;
  bodyId: string;
  matter: string;
  category: MatterCategory;
  delegate: string;
  substitute: string | null;
  limitAmount: number | null;
  /** The day it began (its GRANT). */
  validFrom: string;
  /** Its last valid day: the day before its REVOKE applies; null while not revoked. */
  validTo: string | null;
  /** The decision of the version shown. */
  decisionId: string;
  /** Every version known, oldest first. */
  history: DelegationVersionView[];
}

export interface DelegatedDecisionView {
  id: string;
  bodyId: string;
  delegationId: string;
  decidedBy: string;
  decidedAt: string;
  title: string;
  dnr: string | null;
  amount: number | null;
  reportedDecisionId: string | null;
  reportedMeetingId: string | null;
}

export interface AttestRuleView {
  id: string;
  bodyId: string;
  scope: string;
  kind: AttestKind;
  attestant: string;
  substitute: string | null;
  validFrom: string;
  /** The day before the next version of the same scope and kind applies; null while none follows. */
  validTo: string | null;
  decisionId: string;
}

export interface InvoiceAttestView {
  id: string;
  bodyId: string;
  invoiceId: string;
  invoiceRef: string;
  scope: string;
  kind: AttestKind;
  amount: number;
  attestedBy: string;
  incurredBy: string | null;
  at: string;
}

export interface RoleAssignmentView {
  id: string;
  bodyId: string;
  role: string;
  personId: string;
  from: string;
  to: string | null;
}

interface VersionRow {
  delegation_id: string; revision: number; body_id: string; action: DelegationAction; matter: string; category: MatterCategory;
  delegate: string | null; substitute: string | null; limit_amount: number | null; valid_from: string; decision_id: string; recorded_at: string;
}
interface DelegatedDecisionRow {
  id: string; body_id: string; delegation_id: string; decided_by: string; decided_at: string; title: string; dnr: string | null;
  amount: number | null; reported_decision_id: string | null; reported_meeting_id: string | null;
}
interface AttestRuleRow {
  id: string; body_id: string; scope: string; kind: AttestKind; attestant: string; substitute: string | null; valid_from: string;
  decision_id: string; next_valid_from: string | null;
}

const toVersion = (r: VersionRow): DelegationVersionView => ({
  delegationId: r.delegation_id,
  bodyId: r.body_id,
  action: r.action,
  matter: r.matter,
  category: r.category,
  delegate: r.delegate,
  substitute: r.substitute,
  limitAmount: r.limit_amount,
  validFrom: r.valid_from,
  recordedAt: r.recorded_at,
  decisionId: r.decision_id,
});

/**
 * The delegation out of its versions (oldest first): as it stood on `asOf` (undefined if it had not begun or was
 * revoked by then), or without a day as it last stood before any REVOKE.
 */
function toDelegation(versions: DelegationVersionView[], asOf?: string): DelegationView | undefined {
  if (versions.length === 0) return undefined;
  const granted = versions.filter((version) => version.action !== 'REVOKE');
  const shown = asOf === undefined ? granted.at(-1) : versions.filter((version) => version.validFrom <= asOf).at(-1);
  if (!shown || shown.action === 'REVOKE') return undefined;
  const revoke = versions.find((version) => version.action === 'REVOKE');
  return {
    id: shown.delegationId,
    bodyId: shown.bodyId,
    matter: shown.matter,
    category: shown.category,
    delegate: shown.delegate!,
    substitute: shown.substitute,
    limitAmount: shown.limitAmount,
    validFrom: versions[0].validFrom,
    validTo: revoke ? addDays(revoke.validFrom, -1) : null,
    decisionId: shown.decisionId,
    history: versions,
  };
}

const toDelegatedDecision = (r: DelegatedDecisionRow): DelegatedDecisionView => ({
  id: r.id,
  bodyId: r.body_id,
  delegationId: r.delegation_id,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  title: r.title,
  dnr: r.dnr,
  amount: r.amount,
  reportedDecisionId: r.reported_decision_id,
  reportedMeetingId: r.reported_meeting_id,
});

const toAttestRule = (r: AttestRuleRow): AttestRuleView => ({
  id: r.id,
  bodyId: r.body_id,
  scope: r.scope,
  kind: r.kind,
  attestant: r.attestant,
  substitute: r.substitute,
  validFrom: r.valid_from,
  validTo: r.next_valid_from === null ? null : addDays(r.next_valid_from, -1),
  decisionId: r.decision_id,
});

/** The first valid_from of a later version of the same rule. */
const NEXT_VALID_FROM = `(SELECT min(n.valid_from) FROM rm_attest_rules n
  WHERE n.body_id = r.body_id AND n.scope_key = r.scope_key AND n.kind = r.kind AND n.seq > r.seq) AS next_valid_from`;

/** Matters sort in Swedish order (å, ä, ö last); one collator, built once: building one per comparison is slow. */
const SWEDISH = new Intl.Collator('sv-SE');

/** A record time compares as the store writes it (ISO 8601 in UTC, with milliseconds). */
const recordTime = (knownAt: string | undefined) => (knownAt === undefined ? '9999-12-31T23:59:59.999Z' : new Date(knownAt).toISOString());

/** Queries over the delegation read model. */
export class DelegationReader {
  constructor(private readonly db: Database.Database) {}

  /** The body's delegations valid on `asOf`, as the system knew them at `knownAt`, by matter. */
  delegationOrder(bodyId: string, asOf: string, knownAt?: string): DelegationView[] {
    const rows = statement(this.db, 'SELECT * FROM rm_delegation_versions WHERE body_id = ? AND recorded_at <= ? ORDER BY delegation_id, revision')
      .all(bodyId, recordTime(knownAt)) as VersionRow[];
    const byDelegation = new Map<string, DelegationVersionView[]>();
    for (const row of rows) {
      const versions = byDelegation.get(row.delegation_id) ?? [];
      versions.push(toVersion(row));
      byDelegation.set(row.delegation_id, versions);
    }
    return [...byDelegation.values()]
      .map((versions) => toDelegation(versions, asOf))
      .filter((delegation): delegation is DelegationView => delegation !== undefined)
      .sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0) || SWEDISH.compare(a.matter, b.matter) || (a.id < b.id ? -1 : 1));
  }

  /** One delegation as it stood on `asOf` (as it last stood if it was not valid that day), known at `knownAt`. */
  delegation(id: string, options: { asOf?: string; knownAt?: string } = {}): DelegationView | undefined {
    const rows = statement(this.db, 'SELECT * FROM rm_delegation_versions WHERE delegation_id = ? AND recorded_at <= ? ORDER BY revision')
      .all(id, recordTime(options.knownAt)) as VersionRow[];
    const versions = rows.map(toVersion);
    return (options.asOf === undefined ? undefined : toDelegation(versions, options.asOf)) ?? toDelegation(versions);
  }

  /** The delegation changes a decision made. */
  changesOfDecision(decisionId: string): DelegationVersionView[] {
    return (statement(this.db, 'SELECT * FROM rm_delegation_versions WHERE decision_id = ? ORDER BY delegation_id, revision').all(decisionId) as VersionRow[]).map(toVersion);
  }

  delegatedDecision(id: string): DelegatedDecisionView | undefined {
    const row = statement(this.db, 'SELECT * FROM rm_delegated_decisions WHERE id = ?').get(id) as DelegatedDecisionRow | undefined;
    return row && toDelegatedDecision(row);
  }

  delegatedDecisionsByIds(ids: readonly string[]): DelegatedDecisionView[] {
    const rows = statement(this.db, 'SELECT * FROM rm_delegated_decisions WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as DelegatedDecisionRow[];
    return rows.map(toDelegatedDecision);
  }

  /** A body's delegated decisions, oldest first, after a cursor (the last one's decidedAt and id). */
  delegatedDecisionsOfBody(bodyId: string, first: number, after?: { decidedAt: string; id: string }, unreportedOnly = false): DelegatedDecisionView[] {
    const unreported = unreportedOnly ? ' AND reported_decision_id IS NULL' : '';
    const rows = after
      ? statement(this.db, `SELECT * FROM rm_delegated_decisions WHERE body_id = ?${unreported} AND (decided_at, id) > (?, ?) ORDER BY decided_at, id LIMIT ?`).all(bodyId, after.decidedAt, after.id, first)
      : statement(this.db, `SELECT * FROM rm_delegated_decisions WHERE body_id = ?${unreported} ORDER BY decided_at, id LIMIT ?`).all(bodyId, first);
    return (rows as DelegatedDecisionRow[]).map(toDelegatedDecision);
  }

  reportedIn(decisionId: string): DelegatedDecisionView[] {
    return (statement(this.db, 'SELECT * FROM rm_delegated_decisions WHERE reported_decision_id = ? ORDER BY decided_at, id').all(decisionId) as DelegatedDecisionRow[]).map(toDelegatedDecision);
  }

  /** What R11 needs of each of the body's delegated decisions. */
  reportFacts(bodyId: string): DelegatedDecisionFacts[] {
    return statement(this.db, 'SELECT id, title, decided_at AS decidedAt, reported_meeting_id AS reportedAtMeetingId FROM rm_delegated_decisions WHERE body_id = ? ORDER BY decided_at, id')
      .all(bodyId) as DelegatedDecisionFacts[];
  }

  /** The body's attest rules in force on `asOf`: per scope and kind the version that applies then. */
  attestOrder(bodyId: string, asOf: string): AttestRuleView[] {
    const rows = statement(
      this.db,
      `SELECT r.*, ${NEXT_VALID_FROM} FROM rm_attest_rules r WHERE r.body_id = ? AND r.valid_from <= ?
        AND NOT EXISTS (SELECT 1 FROM rm_attest_rules l WHERE l.body_id = r.body_id AND l.scope_key = r.scope_key AND l.kind = r.kind AND l.valid_from <= ? AND l.seq > r.seq)
        ORDER BY r.scope_key, CASE r.kind WHEN 'MOTTAGNING' THEN 0 ELSE 1 END`,
    ).all(bodyId, asOf, asOf) as AttestRuleRow[];
    return rows.map(toAttestRule);
  }

  attestRule(id: string): AttestRuleView | undefined {
    const row = statement(this.db, `SELECT r.*, ${NEXT_VALID_FROM} FROM rm_attest_rules r WHERE r.id = ?`).get(id) as AttestRuleRow | undefined;
    return row && toAttestRule(row);
  }

  invoiceAttest(id: string): InvoiceAttestView | undefined {
    return statement(
      this.db,
      `SELECT id, body_id AS bodyId, invoice_id AS invoiceId, invoice_ref AS invoiceRef, scope, kind, amount, attested_by AS attestedBy,
        incurred_by AS incurredBy, at FROM rm_invoice_attests WHERE id = ?`,
    ).get(id) as InvoiceAttestView | undefined;
  }

  roleAssignment(id: string): RoleAssignmentView | undefined {
    return statement(this.db, 'SELECT id, body_id AS bodyId, role, person_id AS personId, from_date AS "from", to_date AS "to" FROM rm_role_assignments WHERE id = ?')
      .get(id) as RoleAssignmentView | undefined;
  }

  /** The assignment of a role to a person from a day. */
  roleAssignmentOf(bodyId: string, role: string, personId: string, from: string): RoleAssignmentView | undefined {
    return statement(
      this.db,
      `SELECT id, body_id AS bodyId, role, person_id AS personId, from_date AS "from", to_date AS "to" FROM rm_role_assignments
        WHERE body_id = ? AND role_key = ? AND person_id = ? AND from_date = ?`,
    ).get(bodyId, roleKey(role), personId, from) as RoleAssignmentView | undefined;
  }

  /** Who holds each of these roles (by roleKey) in the body on a day, through assignRole. */
  roleHolders(bodyId: string, keys: readonly string[], date: string): RoleHolders {
    if (keys.length === 0) return {};
    const rows = statement(
      this.db,
      `SELECT role_key AS roleKey, person_id AS personId FROM rm_role_assignments
        WHERE body_id = ? AND role_key IN (SELECT value FROM json_each(?)) AND from_date <= ? AND (to_date IS NULL OR to_date >= ?)`,
    ).all(bodyId, JSON.stringify(keys), date, date) as Array<{ roleKey: string; personId: string }>;
    const holders: Record<string, string[]> = {};
    for (const { roleKey, personId } of rows) (holders[roleKey] ??= []).push(personId);
    return holders;
  }

  /** The delegated decisions filed under a diarienummer (of one body, or of every body when `bodyId` is null), oldest first. */
  delegatedDecisionsFiledUnder(dnr: string, bodyId: string | null): DelegatedDecisionView[] {
    return (statement(this.db, 'SELECT * FROM rm_delegated_decisions WHERE dnr = ? AND (? IS NULL OR body_id = ?) ORDER BY decided_at, id')
      .all(dnr, bodyId, bodyId) as DelegatedDecisionRow[]).map(toDelegatedDecision);
  }
}
