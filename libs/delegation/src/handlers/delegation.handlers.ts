import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, FoldCache, foldStream, handleCommand } from '@kansli/event-store';
import { NotFound } from '@kansli/kernel';
import { attestOrderDecider, invoiceDecider, rulesOn } from '../attest.decider';
import { delegatedDecisionDecider, delegationReportDecider } from '../delegated-decision.decider';
import { AssignRole, AttestInvoice, ChangeAttestRule, ChangeDelegation, RecordDelegatedDecision, ReportDelegatedDecisions, withFacts } from '../delegation.commands';
import { delegationDecider, versionOn } from '../delegation.decider';
import {
  attestOrderStream,
  delegatedDecisionStream,
  delegationReportsStream,
  delegationStream,
  invoiceStream,
  roleRegisterStream,
} from '../delegation.events';
import { DelegationFacts } from '../delegation.facts';
import { DelegationReader } from '../delegation.reader';
import { roleRegisterDecider } from '../role.decider';

/** A delegation's change, checked against the decision it cites. */
@CommandHandler(ChangeDelegation)
export class ChangeDelegationHandler implements ICommandHandler<ChangeDelegation> {
  constructor(private readonly events: EventStore, private readonly facts: DelegationFacts) {}
  execute(command: ChangeDelegation) {
    this.facts.assertBody(command.bodyId);
    this.facts.assertDesignations([command.terms.delegate, command.terms.substitute]);
    const cited = this.facts.decision(command.decisionId);
    return handleCommand(this.events, delegationStream(command.delegationId), delegationDecider, withFacts(command, { cited }), command.context);
  }
}

/** R15 is decided on the delegation's versions and on who holds the roles it names on the decision's day. */
@CommandHandler(RecordDelegatedDecision)
export class RecordDelegatedDecisionHandler implements ICommandHandler<RecordDelegatedDecision> {
  /** Delegations folded recently: read by every delegated decision, changed seldom. */
  private readonly delegations = new FoldCache(1_000);
  constructor(private readonly events: EventStore, private readonly facts: DelegationFacts) {}
  async execute(command: RecordDelegatedDecision) {
    this.facts.assertPerson(command.decidedByPersonId);
    const { state } = await foldStream(this.events, delegationStream(command.delegationId), delegationDecider, this.delegations);
    if (!state.delegationId) throw new NotFound('Delegation', command.delegationId);
    const version = versionOn(state.versions, command.decidedAt);
    const holders = this.facts.holders(state.bodyId, command.decidedAt, version ? [version.delegate, version.substitute] : []);
    const resolved = withFacts(command, { delegation: state.versions, holders });
    return handleCommand(this.events, delegatedDecisionStream(command.delegatedDecisionId), delegatedDecisionDecider, resolved, command.context);
  }
}

/** One append to the body's report stream, where a second report of the same delegated decision meets the first. */
@CommandHandler(ReportDelegatedDecisions)
export class ReportDelegatedDecisionsHandler implements ICommandHandler<ReportDelegatedDecisions> {
  constructor(private readonly events: EventStore, private readonly facts: DelegationFacts, private readonly reader: DelegationReader) {}
  execute(command: ReportDelegatedDecisions) {
    const cited = this.facts.decision(command.decisionId);
    if (!cited) throw new NotFound('Decision', command.decisionId);
    const reported = this.reader.delegatedDecisionsByIds(command.delegatedDecisionIds).map(({ id, bodyId, decidedAt, title }) => ({ delegatedDecisionId: id, bodyId, decidedAt, title }));
    return handleCommand(this.events, delegationReportsStream(cited.bodyId), delegationReportDecider, withFacts(command, { cited, reported }), command.context);
  }
}

@CommandHandler(ChangeAttestRule)
export class ChangeAttestRuleHandler implements ICommandHandler<ChangeAttestRule> {
  constructor(private readonly events: EventStore, private readonly facts: DelegationFacts) {}
  execute(command: ChangeAttestRule) {
    this.facts.assertBody(command.bodyId);
    this.facts.assertDesignations([command.attestant, command.substitute]);
    const cited = this.facts.decision(command.decisionId);
    return handleCommand(this.events, attestOrderStream(command.bodyId), attestOrderDecider, withFacts(command, { cited }), command.context);
  }
}

/** R14 is decided on the attest order's versions and on who holds the roles its rules name on the attest's day. */
@CommandHandler(AttestInvoice)
export class AttestInvoiceHandler implements ICommandHandler<AttestInvoice> {
  /** Attest orders folded recently: read by every attest, changed seldom. */
  private readonly orders = new FoldCache(1_000);
  constructor(private readonly events: EventStore, private readonly facts: DelegationFacts) {}
  async execute(command: AttestInvoice) {
    this.facts.assertBody(command.bodyId);
    this.facts.assertPerson(command.attestedByPersonId);
    this.facts.assertPerson(command.incurredByPersonId);
    const { state } = await foldStream(this.events, attestOrderStream(command.bodyId), attestOrderDecider, this.orders);
    const holders = this.facts.holders(command.bodyId, command.at, rulesOn(state.versions, command.at).flatMap((rule) => [rule.attestant, rule.substitute]));
    const resolved = withFacts(command, { rules: state.versions, holders });
    return handleCommand(this.events, invoiceStream(command.bodyId, command.invoiceId), invoiceDecider, resolved, command.context);
  }
}

@CommandHandler(AssignRole)
export class AssignRoleHandler implements ICommandHandler<AssignRole> {
  constructor(private readonly events: EventStore, private readonly facts: DelegationFacts) {}
  execute(command: AssignRole) {
    this.facts.assertBody(command.bodyId);
    this.facts.assertPerson(command.personId);
    return handleCommand(this.events, roleRegisterStream(command.bodyId), roleRegisterDecider, command, command.context);
  }
}
