import type { Decider } from '@kansli/event-store';
import { Conflict, InvalidInput, RuleViolation } from '@kansli/kernel';
import { fills, isPersonId, namedPersonIds } from './designation';
import type { AttestInvoice, ChangeAttestRule } from './delegation.commands';
import { assertCitedDecision, assertDate } from './delegation.decider';
import type { AttestKind, AttestOrderEvent, AttestRuleChanged, InvoiceAttested, InvoiceEvent } from './delegation.events';

export type AttestRuleVersion = AttestRuleChanged['data'];

/** Scopes (kinds of invoice) compare without case or extra spaces. */
export const scopeKey = (scope: string) => scope.trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv-SE');

/** The rules in force on a day: per scope and kind, the last version that applies by then. */
export function rulesOn(versions: ReadonlyArray<AttestRuleVersion>, date: string): AttestRuleVersion[] {
  const inForce = new Map<string, AttestRuleVersion>();
  for (const version of versions) if (version.validFrom <= date) inForce.set(`${scopeKey(version.scope)}\n${version.kind}`, version);
  return [...inForce.values()];
}

const ATTEST_NAMES: Record<AttestKind, string> = { MOTTAGNING: 'mottagningsattest', BESLUT: 'beslutsattest' };

export interface AttestOrderState {
  versions: AttestRuleVersion[];
}

// The attestordning: each rule cites a decision of the same body; a rule's versions follow each other in time.
export const attestOrderDecider: Decider<ChangeAttestRule, AttestOrderEvent, AttestOrderState> = {
  initialState: () => ({ versions: [] }),

  evolve: (state, event) => ({ versions: [...state.versions, event.data] }),

  decide(command, state) {
    const { bodyId, attestRuleId, kind, validFrom, decisionId } = command;
    assertDate(validFrom, 'validFrom');
    const scope = command.scope.trim().replace(/\s+/g, ' ');
    const attestant = command.attestant.trim();
    const substitute = command.substitute?.trim() || null;
    if (!scope) throw new InvalidInput('Give the scope: the kind of invoice the rule is for ("Fakturor", "Resor"…)');
    if (!attestant) throw new InvalidInput('Give the attestant: a person\'s id or a role name');
    if (substitute === attestant) throw new InvalidInput('The substitute must be someone other than the attestant');
    assertCitedDecision(command.cited, bodyId, decisionId);
    const previous = state.versions.filter((version) => scopeKey(version.scope) === scopeKey(scope) && version.kind === kind).at(-1);
    if (previous && validFrom < previous.validFrom) {
      throw new InvalidInput(`The ${ATTEST_NAMES[kind]} of "${previous.scope}" last changed from ${previous.validFrom}: a change applies from then or later`);
    }
    return [
      {
        type: 'AttestRuleChanged',
        data: { bodyId, attestRuleId, scope, kind, attestant, substitute, validFrom, decisionId, namedPersonIds: namedPersonIds([attestant, substitute]) },
      },
    ];
  },
};

export interface InvoiceState {
  attests: Array<InvoiceAttested['data']>;
}

const describe = (designation: string | null) => (designation === null ? 'none' : isPersonId(designation) ? `person ${designation}` : designation);

// R14: a mottagningsattest and a beslutsattest per invoice, each by a person the attest order names (attestant or
// substitute, a role filled by whoever holds it that day), by two different people, never by whoever incurred
// the cost (the chair's own costs go to the substitute, the vice chair).
export const invoiceDecider: Decider<AttestInvoice, InvoiceEvent, InvoiceState> = {
  initialState: () => ({ attests: [] }),

  evolve: (state, event) => ({ attests: [...state.attests, event.data] }),

  decide(command, state) {
    const { bodyId, invoiceId, invoiceAttestId, amount, kind, attestedByPersonId, at } = command;
    const invoiceRef = command.invoiceRef.trim();
    assertDate(at, 'at');
    if (!invoiceRef) throw new InvalidInput('Give the invoice\'s reference (its number or OCR)');
    if (!Number.isInteger(amount) || amount <= 0) throw new InvalidInput(`The amount must be whole kronor above zero; got ${amount}`);
    const inForce = rulesOn(command.rules, at);
    if (command.scope !== null) {
      const scopes = [...new Set(inForce.map((rule) => rule.scope))];
      if (!scopes.some((scope) => scopeKey(scope) === scopeKey(command.scope!))) {
        throw new InvalidInput(
          `"${command.scope}" is an unknown kind of invoice on ${at}: the attest order then knows ${scopes.length ? scopes.map((s) => `"${s}"`).join(', ') : 'no kinds at all'}; give one of them or leave scope out`,
        );
      }
    }
    const earlier = state.attests.find((attest) => attest.kind === kind);
    if (earlier) {
      throw new Conflict(`Invoice ${invoiceRef} already has its ${ATTEST_NAMES[kind]} (by person ${earlier.attestedByPersonId} on ${earlier.at}): an invoice is attested once of each kind`);
    }
    const first = state.attests[0];
    if (first && first.amount !== amount) {
      throw new InvalidInput(`Invoice ${invoiceRef} was attested for ${first.amount} kr: attest the same amount, or give a credit note its own reference`);
    }
    const known = state.attests.find((attest) => attest.incurredByPersonId !== null)?.incurredByPersonId ?? null;
    if (known && command.incurredByPersonId && known !== command.incurredByPersonId) {
      throw new InvalidInput(`Invoice ${invoiceRef} was attested as a cost of person ${known}: give the same incurredBy or leave it out`);
    }
    const incurredBy = command.incurredByPersonId ?? known;
    if (incurredBy === attestedByPersonId) {
      throw new RuleViolation('R14', `Person ${attestedByPersonId} incurred this cost and cannot attest it: the rule's substitute attests it (the chair's own costs: the vice chair)`);
    }
    if (first && first.attestedByPersonId === attestedByPersonId) {
      throw new RuleViolation('R14', `Person ${attestedByPersonId} gave this invoice's ${ATTEST_NAMES[first.kind]}: its ${ATTEST_NAMES[kind]} is given by someone else`);
    }
    const candidates = inForce.filter((rule) => rule.kind === kind && (command.scope === null || scopeKey(rule.scope) === scopeKey(command.scope)));
    const rule = candidates.find((r) => fills(r.attestant, attestedByPersonId, command.holders) || fills(r.substitute, attestedByPersonId, command.holders));
    if (!rule) {
      const named = candidates.map((r) => `"${r.scope}": ${describe(r.attestant)}, substitute ${describe(r.substitute)}`).join('; ');
      throw new RuleViolation(
        'R14',
        `Person ${attestedByPersonId} may not give a ${ATTEST_NAMES[kind]} on ${at}: ${named ? `the attest order names ${named}` : `the attest order has no ${ATTEST_NAMES[kind]} rule then`}`,
      );
    }
    return [
      {
        type: 'InvoiceAttested',
        data: {
          bodyId,
          invoiceId,
          invoiceAttestId,
          invoiceRef,
          attestRuleId: rule.attestRuleId,
          scope: rule.scope,
          kind,
          amount,
          attestedByPersonId,
          incurredByPersonId: incurredBy,
          at,
        },
      },
    ];
  },
};
