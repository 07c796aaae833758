import { statement } from '@kansli/projections';
import type { Projection } from '@kansli/projections';
import { scopeKey } from './attest.decider';
import { roleKey } from './designation';
import type { AttestOrderEvent, DelegatedDecisionEvent, DelegationEvent, DelegationReportEvent, InvoiceEvent, RoleRegisterEvent } from './delegation.events';

type Event = DelegationEvent | DelegatedDecisionEvent | DelegationReportEvent | AttestOrderEvent | InvoiceEvent | RoleRegisterEvent;

/**
 * The delegation order, delegated decisions, attest order, invoice attests and role assignments. Every version of
 * a delegation or an attest rule is a row with its validFrom and its recordedAt, so that `asOf` (business time)
 * and `knownAt` (record time) are answered by a select. Reads only the event: a rebuild gives the same rows.
 */
export const delegationProjection: Projection = {
  name: 'delegation',
  eventTypes: ['DelegationChanged', 'DelegatedDecisionRecorded', 'DelegatedDecisionsReported', 'AttestRuleChanged', 'InvoiceAttested', 'RoleAssigned'],
  setup(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS rm_delegation_versions (
        delegation_id TEXT NOT NULL, revision INTEGER NOT NULL, body_id TEXT NOT NULL, action TEXT NOT NULL,
        matter TEXT NOT NULL, category TEXT NOT NULL, delegate TEXT, substitute TEXT, limit_amount INTEGER,
        valid_from TEXT NOT NULL, decision_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (delegation_id, revision)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS rm_delegation_versions_body ON rm_delegation_versions (body_id, delegation_id, revision);
      CREATE INDEX IF NOT EXISTS rm_delegation_versions_decision ON rm_delegation_versions (decision_id);
      CREATE TABLE IF NOT EXISTS rm_delegated_decisions (
        id TEXT PRIMARY KEY, body_id TEXT NOT NULL, delegation_id TEXT NOT NULL, decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL, title TEXT NOT NULL, dnr TEXT, amount INTEGER,
        reported_decision_id TEXT, reported_meeting_id TEXT);
      CREATE INDEX IF NOT EXISTS rm_delegated_decisions_body ON rm_delegated_decisions (body_id, decided_at, id);
      CREATE INDEX IF NOT EXISTS rm_delegated_decisions_report ON rm_delegated_decisions (reported_decision_id);
      CREATE TABLE IF NOT EXISTS rm_attest_rules (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body_id TEXT NOT NULL, scope TEXT NOT NULL, scope_key TEXT NOT NULL,
        kind TEXT NOT NULL, attestant TEXT NOT NULL, substitute TEXT, valid_from TEXT NOT NULL, decision_id TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS rm_attest_rules_body ON rm_attest_rules (body_id, scope_key, kind, seq);
      CREATE TABLE IF NOT EXISTS rm_invoice_attests (
        id TEXT PRIMARY KEY, body_id TEXT NOT NULL, invoice_id TEXT NOT NULL, invoice_ref TEXT NOT NULL, attest_rule_id TEXT NOT NULL,
        scope TEXT NOT NULL, kind TEXT NOT NULL, amount INTEGER NOT NULL, attested_by TEXT NOT NULL, incurred_by TEXT, at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS rm_invoice_attests_invoice ON rm_invoice_attests (invoice_id);
      CREATE TABLE IF NOT EXISTS rm_role_assignments (
        id TEXT PRIMARY KEY, body_id TEXT NOT NULL, role TEXT NOT NULL, role_key TEXT NOT NULL, person_id TEXT NOT NULL,
        from_date TEXT NOT NULL, to_date TEXT);
      CREATE INDEX IF NOT EXISTS rm_role_assignments_role ON rm_role_assignments (body_id, role_key, from_date);
    `);
  },
  apply(db, recorded) {
    const event = recorded as unknown as Event;
    switch (event.type) {
      case 'DelegationChanged': {
        const e = event.data;
        statement(
          db,
          `INSERT INTO rm_delegation_versions (delegation_id, revision, body_id, action, matter, category, delegate, substitute, limit_amount, valid_from, decision_id, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.delegationId, Number(recorded.revision), e.bodyId, e.action, e.matter, e.category, e.delegate, e.substitute, e.limitAmount, e.validFrom, e.decisionId, recorded.recordedAt);
        return;
      }
      case 'DelegatedDecisionRecorded': {
        const e = event.data;
        statement(
          db,
          `INSERT INTO rm_delegated_decisions (id, body_id, delegation_id, decided_by, decided_at, title, dnr, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.delegatedDecisionId, e.bodyId, e.delegationId, e.decidedByPersonId, e.decidedAt, e.title, e.dnr, e.amount);
        return;
      }
      case 'DelegatedDecisionsReported': {
        const e = event.data;
        const report = statement(db, 'UPDATE rm_delegated_decisions SET reported_decision_id = ?, reported_meeting_id = ? WHERE id = ?');
        for (const id of e.delegatedDecisionIds) report.run(e.decisionId, e.meetingId, id);
        return;
      }
      case 'AttestRuleChanged': {
        const e = event.data;
        statement(
          db,
          `INSERT INTO rm_attest_rules (id, seq, body_id, scope, scope_key, kind, attestant, substitute, valid_from, decision_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.attestRuleId, Number(recorded.revision), e.bodyId, e.scope, scopeKey(e.scope), e.kind, e.attestant, e.substitute, e.validFrom, e.decisionId);
        return;
      }
      case 'InvoiceAttested': {
        const e = event.data;
        statement(
          db,
          `INSERT INTO rm_invoice_attests (id, body_id, invoice_id, invoice_ref, attest_rule_id, scope, kind, amount, attested_by, incurred_by, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(e.invoiceAttestId, e.bodyId, e.invoiceId, e.invoiceRef, e.attestRuleId, e.scope, e.kind, e.amount, e.attestedByPersonId, e.incurredByPersonId, e.at);
        return;
      }
      case 'RoleAssigned': {
        const e = event.data;
        statement(
          db,
          `INSERT INTO rm_role_assignments (id, body_id, role, role_key, person_id, from_date, to_date) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET role = excluded.role, role_key = excluded.role_key, to_date = excluded.to_date`,
        ).run(e.roleAssignmentId, e.bodyId, e.role, roleKey(e.role), e.personId, e.from, e.to);
        return;
      }
    }
  },
};
