import type { Decider } from '@kansli/event-store';
import { Conflict, InvalidInput, NotFound, RuleViolation } from '@kansli/kernel';
import { fills, isPersonId } from './designation';
import type { RecordDelegatedDecision, ReportDelegatedDecisions } from './delegation.commands';
import { assertAmount, assertDate, versionOn } from './delegation.decider';
import type { DelegatedDecisionEvent, DelegationReportEvent } from './delegation.events';

export interface DelegatedDecisionState {
  recorded: boolean;
}

const describe = (designation: string | null) => (designation === null ? 'nobody' : isPersonId(designation) ? `person ${designation}` : designation);

// A delegated decision counts as the board's own only within the delegation (R15): by its delegate or substitute
// (a person, or whoever holds the named role that day), under a version valid that day, within its limit.
export const delegatedDecisionDecider: Decider<RecordDelegatedDecision, DelegatedDecisionEvent, DelegatedDecisionState> = {
  initialState: () => ({ recorded: false }),

  evolve: () => ({ recorded: true }),

  decide(command, state) {
    const { delegatedDecisionId, delegationId, decidedByPersonId, decidedAt, title, dnr, amount } = command;
    if (state.recorded) throw new Conflict(`The delegated decision ${delegatedDecisionId} is already recorded`);
    assertDate(decidedAt, 'decidedAt');
    assertAmount(amount, 'amount');
    if (!title.trim()) throw new InvalidInput('Give the delegated decision a title');
    const versions = command.delegation;
    if (versions.length === 0) throw new NotFound('Delegation', delegationId);
    const version = versionOn(versions, decidedAt);
    if (!version) {
      throw new RuleViolation('R15', `The delegation applies from ${versions[0].validFrom}: a decision of ${decidedAt} was not taken under it; the board decides it itself`);
    }
    if (version.action === 'REVOKE') {
      throw new RuleViolation('R15', `The delegation was revoked from ${version.validFrom}: a decision of ${decidedAt} was not taken under it; the board decides it itself`);
    }
    if (!fills(version.delegate, decidedByPersonId, command.holders) && !fills(version.substitute, decidedByPersonId, command.holders)) {
      throw new RuleViolation(
        'R15',
        `Person ${decidedByPersonId} is neither the delegate (${describe(version.delegate)}) nor the substitute (${describe(version.substitute)}) of this delegation on ${decidedAt}: only they decide under it`,
      );
    }
    if (version.limitAmount !== null && amount !== null && amount > version.limitAmount) {
      throw new RuleViolation('R15', `${amount} kr is above the delegation's limit of ${version.limitAmount} kr on ${decidedAt}: the board decides it itself`);
    }
    return [
      {
        type: 'DelegatedDecisionRecorded',
        data: { bodyId: version.bodyId, delegatedDecisionId, delegationId, decidedByPersonId, decidedAt, title: title.trim(), dnr, amount },
      },
    ];
  },
};

export interface DelegationReportState {
  /** Delegated decision → the paragraph it was reported in. */
  reported: Record<string, { decisionId: string; paragraph: number }>;
}

// The anmälan av delegationsbeslut (R11): each delegated decision once, to the same body, at a meeting on or after it.
export const delegationReportDecider: Decider<ReportDelegatedDecisions, DelegationReportEvent, DelegationReportState> = {
  initialState: () => ({ reported: {} }),

  evolve(state, event) {
    const reported = { ...state.reported };
    for (const id of event.data.delegatedDecisionIds) reported[id] = { decisionId: event.data.decisionId, paragraph: event.data.paragraph };
    return { reported };
  },

  decide(command, state) {
    const { decisionId, delegatedDecisionIds } = command;
    if (delegatedDecisionIds.length === 0) throw new InvalidInput('Name at least one delegated decision to report');
    if (new Set(delegatedDecisionIds).size !== delegatedDecisionIds.length) throw new InvalidInput('A delegated decision is named twice: name each once');
    const cited = command.cited;
    if (!cited) throw new NotFound('Decision', decisionId);
    const bodyId = cited.bodyId;
    for (const id of delegatedDecisionIds) {
      const fact = command.reported.find((reported) => reported.delegatedDecisionId === id);
      if (!fact) throw new NotFound('Delegated decision', id);
      if (fact.bodyId !== bodyId) throw new InvalidInput(`The delegated decision ${id} was taken under another body's delegation: report it in a paragraph of that body`);
      if (fact.decidedAt > cited.date) {
        throw new InvalidInput(`"${fact.title}" was decided on ${fact.decidedAt}, after this paragraph (${cited.date}): report it at a later meeting`);
      }
      const earlier = state.reported[id];
      if (earlier) throw new InvalidInput(`"${fact.title}" was already reported to the board (§ ${earlier.paragraph}): leave it out of this report`);
    }
    return [
      {
        type: 'DelegatedDecisionsReported',
        data: { bodyId, decisionId, meetingId: cited.meetingId, paragraph: cited.paragraph, delegatedDecisionIds: [...delegatedDecisionIds] },
      },
    ];
  },
};
