import type { Decider } from '@kansli/event-store';
import { InvalidInput, isIsoDate, NotFound, RuleViolation } from '@kansli/kernel';
import { namedPersonIds } from './designation';
import type { ChangeDelegation, CitedDecision } from './delegation.commands';
import { UNDELEGABLE, type DelegationChanged, type DelegationEvent, type MatterCategory } from './delegation.events';

export type DelegationVersion = DelegationChanged['data'];

export interface DelegationState {
  delegationId: string | null;
  bodyId: string;
  /** Every version, in the order recorded; their validFrom never decreases. */
  versions: DelegationVersion[];
}

/**
 * The version in force on a day: the last one that applies by then (AMENDs apply from their validFrom). Undefined
 * before the delegation began; a REVOKE version when it was revoked by then.
 */
export function versionOn(versions: ReadonlyArray<DelegationVersion>, date: string): DelegationVersion | undefined {
  let found: DelegationVersion | undefined;
  for (const version of versions) if (version.validFrom <= date) found = version;
  return found;
}

export function assertDate(value: string, name: string): void {
  if (!isIsoDate(value)) throw new InvalidInput(`${name} must be a date (YYYY-MM-DD), got ${JSON.stringify(value)}`);
}

/** The decision a register change cites must be one of the same body's. */
export function assertCitedDecision(cited: CitedDecision | null, bodyId: string, decisionId: string): CitedDecision {
  if (!cited) throw new NotFound('Decision', decisionId);
  if (cited.bodyId !== bodyId) {
    throw new InvalidInput(`Decision ${decisionId} is a decision of another body: cite the paragraph where this body decided it`);
  }
  return cited;
}

export function assertAmount(amount: number | null | undefined, name: string): void {
  if (amount !== null && amount !== undefined && (!Number.isInteger(amount) || amount < 0)) {
    throw new InvalidInput(`${name} must be whole kronor, zero or more; got ${amount}`);
  }
}

function assertDelegable(category: MatterCategory): void {
  if (UNDELEGABLE.has(category)) {
    throw new RuleViolation(
      'R10',
      `Matters of the category ${category} can never be delegated (KL 6:38): the board decides them itself; choose another category or leave the matter with the board`,
    );
  }
}

const text = (value: string | null | undefined) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

// The delegation order: R10 (never into a category KL 6:38 reserves for the board), every change citing a decision
// of the same body, versions in business-time order, nothing after a REVOKE.
export const delegationDecider: Decider<ChangeDelegation, DelegationEvent, DelegationState> = {
  initialState: () => ({ delegationId: null, bodyId: '', versions: [] }),

  evolve(state, event) {
    return { delegationId: event.data.delegationId, bodyId: event.data.bodyId, versions: [...state.versions, event.data] };
  },

  decide(command, state) {
    const { bodyId, delegationId, action, terms, validFrom, decisionId } = command;
    assertDate(validFrom, 'validFrom');
    assertAmount(terms.limitAmount, 'limitAmount');
    if (action === 'GRANT') {
      if (state.delegationId) throw new InvalidInput(`Delegation ${delegationId} already exists: AMEND or REVOKE it`);
      const matter = text(terms.matter);
      const delegate = text(terms.delegate);
      if (!matter || !terms.category || !delegate) {
        throw new InvalidInput('A GRANT needs the matter, its category and the delegate (a person\'s id or a role name)');
      }
      assertDelegable(terms.category);
      assertCitedDecision(command.cited, bodyId, decisionId);
      const substitute = text(terms.substitute);
      if (substitute === delegate) throw new InvalidInput('The substitute must be someone other than the delegate');
      const limitAmount = terms.limitAmount ?? null;
      return [changed(command, { matter, category: terms.category, delegate, substitute, limitAmount })];
    }

    if (!state.delegationId) throw new NotFound('Delegation', delegationId);
    if (state.bodyId !== bodyId) throw new InvalidInput(`Delegation ${delegationId} belongs to another body: give its own bodyId`);
    const first = state.versions[0];
    const last = state.versions[state.versions.length - 1];
    if (last.action === 'REVOKE') {
      throw new InvalidInput(`Delegation ${delegationId} was revoked from ${last.validFrom}: GRANT a new delegation instead`);
    }
    if (validFrom < first.validFrom) {
      throw new InvalidInput(`validFrom ${validFrom} is before the delegation began (${first.validFrom}): a change applies from ${first.validFrom} or later`);
    }
    if (validFrom < last.validFrom) {
      throw new InvalidInput(`validFrom ${validFrom} is before the delegation's last change (from ${last.validFrom}): a change applies from ${last.validFrom} or later`);
    }
    assertCitedDecision(command.cited, bodyId, decisionId);

    if (action === 'REVOKE') {
      return [changed(command, { matter: last.matter, category: last.category, delegate: null, substitute: null, limitAmount: null })];
    }
    const given = Object.values(terms).some((value) => value !== undefined);
    if (!given) throw new InvalidInput('An AMEND changes something: give the new matter, category, delegate, substitute or limitAmount');
    if (terms.matter !== undefined && !text(terms.matter)) throw new InvalidInput('The matter cannot be empty');
    if (terms.delegate !== undefined && !text(terms.delegate)) throw new InvalidInput('The delegate cannot be empty: REVOKE the delegation instead');
    if (terms.category === null) throw new InvalidInput('The category cannot be cleared');
    const category = terms.category ?? last.category;
    assertDelegable(category);
    const delegate = text(terms.delegate) ?? last.delegate;
    const substitute = terms.substitute === undefined ? last.substitute : text(terms.substitute);
    if (substitute === delegate) throw new InvalidInput('The substitute must be someone other than the delegate');
    return [
      changed(command, {
        matter: text(terms.matter) ?? last.matter,
        category,
        delegate,
        substitute,
        limitAmount: terms.limitAmount === undefined ? last.limitAmount : terms.limitAmount,
      }),
    ];
  },
};

function changed(
  command: ChangeDelegation,
  version: Pick<DelegationVersion, 'matter' | 'category' | 'delegate' | 'substitute' | 'limitAmount'>,
): DelegationChanged {
  const { bodyId, delegationId, action, validFrom, decisionId } = command;
  return {
    type: 'DelegationChanged',
    data: { bodyId, delegationId, action, ...version, validFrom, decisionId, namedPersonIds: namedPersonIds([version.delegate, version.substitute]) },
  };
}
