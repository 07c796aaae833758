import type { DomainEvent } from '@kansli/event-store';

export type DelegationAction = 'GRANT' | 'AMEND' | 'REVOKE';
export type MatterCategory =
  | 'EKONOMI'
  | 'PERSONAL'
  | 'UPPHANDLING'
  | 'AVTAL'
  | 'ATTEST'
  | 'YTTRANDE'
  | 'INSATSER'
  | 'BRADSKANDE'
  | 'OVRIGT'
  | 'MAL_OCH_RIKTLINJER'
  | 'VERKSAMHETENS_INRIKTNING'
  | 'BUDGET'
  | 'YTTRANDE_TILL_FULLMAKTIGE'
  | 'PRINCIPIELL';
export type AttestKind = 'MOTTAGNING' | 'BESLUT';

/** Matters the board can never delegate (KL 6:38, R10). */
export const UNDELEGABLE: ReadonlySet<MatterCategory> = new Set<MatterCategory>([
  'MAL_OCH_RIKTLINJER',
  'VERKSAMHETENS_INRIKTNING',
  'BUDGET',
  'YTTRANDE_TILL_FULLMAKTIGE',
  'PRINCIPIELL',
]);

/** A delegated decision still unreported at a meeting this many days after it or later is flagged (R11). */
export const REPORT_DAYS = 14;

/**
 * One version of a delegation: GRANT and AMEND carry the delegation as it stands from `validFrom` (an AMEND's
 * omitted fields keep their earlier values); REVOKE ends it from `validFrom` (its delegate, substitute and limit
 * are null). `delegate` and `substitute` are a person's id or a role name; `namedPersonIds` lists those that are
 * people, so that the auditors' timeline finds the delegation under them.
 */
export type DelegationChanged = DomainEvent<
  'DelegationChanged',
  {
    bodyId: string;
    delegationId: string;
    action: DelegationAction;
    matter: string;
    category: MatterCategory;
    delegate: string | null;
    substitute: string | null;
    limitAmount: number | null;
    validFrom: string;
    decisionId: string;
    namedPersonIds: string[];
  }
>;

export type DelegatedDecisionRecorded = DomainEvent<
  'DelegatedDecisionRecorded',
  {
    bodyId: string;
    delegatedDecisionId: string;
    delegationId: string;
    decidedByPersonId: string;
    decidedAt: string;
    title: string;
    dnr: string | null;
    amount: number | null;
  }
>;

/** The anmälan av delegationsbeslut: the paragraph where the board was told of these delegated decisions (R11). */
export type DelegatedDecisionsReported = DomainEvent<
  'DelegatedDecisionsReported',
  { bodyId: string; decisionId: string; meetingId: string; paragraph: number; delegatedDecisionIds: string[] }
>;

/** A rule of the attestordning for one scope (kind of invoice) and kind of attest, from `validFrom` until the next. */
export type AttestRuleChanged = DomainEvent<
  'AttestRuleChanged',
  {
    bodyId: string;
    attestRuleId: string;
    scope: string;
    kind: AttestKind;
    attestant: string;
    substitute: string | null;
    validFrom: string;
    decisionId: string;
    namedPersonIds: string[];
  }
>;

export type InvoiceAttested = DomainEvent<
  'InvoiceAttested',
  {
    bodyId: string;
    invoiceId: string;
    invoiceAttestId: string;
    invoiceRef: string;
    /** The rule the attest was given under. */
    attestRuleId: string;
    scope: string;
    kind: AttestKind;
    amount: number;
    attestedByPersonId: string;
    incurredByPersonId: string | null;
    at: string;
  }
>;

/** A role that is not a board position (Förbundschef, Ekonom…), held by a person from `from` to `to` (inclusive). */
export type RoleAssigned = DomainEvent<
  'RoleAssigned',
  { bodyId: string; roleAssignmentId: string; role: string; personId: string; from: string; to: string | null }
>;

export type DelegationEvent = DelegationChanged;
export type DelegatedDecisionEvent = DelegatedDecisionRecorded;
export type DelegationReportEvent = DelegatedDecisionsReported;
export type AttestOrderEvent = AttestRuleChanged;
export type InvoiceEvent = InvoiceAttested;
export type RoleRegisterEvent = RoleAssigned;

export const delegationStream = (delegationId: string) => `delegation-${delegationId}`;
export const delegatedDecisionStream = (delegatedDecisionId: string) => `delegated-decision-${delegatedDecisionId}`;
/** Every report of a body's delegated decisions: a handful a year, and where a double report meets its first. */
export const delegationReportsStream = (bodyId: string) => `delegation-reports-${bodyId}`;
export const attestOrderStream = (bodyId: string) => `attest-order-${bodyId}`;
/** `invoiceId`: the UUID v5 of the invoice's reference in the body's namespace (invoiceIdOf). */
export const invoiceStream = (bodyId: string, invoiceId: string) => `invoice-${bodyId}-${invoiceId}`;
export const roleRegisterStream = (bodyId: string) => `roles-${bodyId}`;
