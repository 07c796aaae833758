import { deciderSpec } from '@kansli/testing';
import { RecordDelegatedDecision, ReportDelegatedDecisions, type CitedDecision, type ReportedFact } from './delegation.commands';
import { delegatedDecisionDecider, delegationReportDecider } from './delegated-decision.decider';
import type { DelegatedDecisionRecorded, DelegatedDecisionsReported, DelegationChanged } from './delegation.events';
import type { RoleHolders } from './designation';

const context = { occurredAt: '2018-08-01T10:00:00+02:00' };
const bodyId = 'body-1';
const maria = '11111111-1111-4111-8111-111111111111';
const anders = '22222222-2222-4222-8222-222222222222';
const mikael = '33333333-3333-4333-8333-333333333333';
const version = (data: Partial<DelegationChanged['data']> = {}): DelegationChanged['data'] => ({
  bodyId,
  delegationId: 'del-1',
  action: 'GRANT',
  matter: 'Upphandling',
  category: 'UPPHANDLING',
  delegate: 'Förbundschef',
  substitute: 'VICE_ORDFORANDE',
  limitAmount: 100000,
  validFrom: '2018-07-01',
  decisionId: 'd-1',
  namedPersonIds: [],
  ...data,
});
const onTheDay: RoleHolders = { förbundschef: [maria], VICE_ORDFORANDE: [anders], ORDFORANDE: [mikael] };
const record = (by: string, decidedAt: string, amount: number | null, delegation = [version()], holders = onTheDay) =>
  new RecordDelegatedDecision('dd-1', 'del-1', by, decidedAt, 'Avrop från ramavtal', 'Dnr 12-2018', amount, context, delegation, holders);
const recorded = (by: string, decidedAt: string, amount: number | null): DelegatedDecisionRecorded => ({
  type: 'DelegatedDecisionRecorded',
  data: { bodyId, delegatedDecisionId: 'dd-1', delegationId: 'del-1', decidedByPersonId: by, decidedAt, title: 'Avrop från ramavtal', dnr: 'Dnr 12-2018', amount },
});

describe('delegated decision decider', () => {
  it('R15: a decision by the delegate, or by the substitute through the role they hold that day, is recorded', () => {
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-01', 50000)).then([recorded(maria, '2018-08-01', 50000)]);
    deciderSpec(delegatedDecisionDecider).given([]).when(record(anders, '2018-08-01', null)).then([recorded(anders, '2018-08-01', null)]);
    const byPerson = [version({ delegate: maria, substitute: null })];
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-01', 1, byPerson, {})).then([recorded(maria, '2018-08-01', 1)]);
  });

  it('R15: a decision by someone who is neither the delegate nor the substitute that day is refused', () => {
    deciderSpec(delegatedDecisionDecider).given([]).when(record(mikael, '2018-08-01', 1)).thenThrows(/neither the delegate \(Förbundschef\) nor the substitute \(VICE_ORDFORANDE\)/, { code: 'RULE_VIOLATION', rule: 'R15' });
    // Anders is vice chair on some other day, not on this one.
    deciderSpec(delegatedDecisionDecider).given([]).when(record(anders, '2018-08-01', 1, [version()], { förbundschef: [maria] })).thenThrows(/neither the delegate/, { rule: 'R15' });
  });

  it('R15: a decision outside the delegation\'s validity is refused; an AMEND applies from its validFrom', () => {
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-06-30', 1)).thenThrows(/applies from 2018-07-01/, { code: 'RULE_VIOLATION', rule: 'R15' });
    const revoked = [version(), version({ action: 'REVOKE', delegate: null, substitute: null, limitAmount: null, validFrom: '2019-01-01' })];
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-12-31', 1, revoked)).then([recorded(maria, '2018-12-31', 1)]);
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2019-01-01', 1, revoked)).thenThrows(/revoked from 2019-01-01/, { code: 'RULE_VIOLATION', rule: 'R15' });
    const handedOver = [version(), version({ action: 'AMEND', delegate: mikael, validFrom: '2018-10-01' })];
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-09-30', 1, handedOver)).then([recorded(maria, '2018-09-30', 1)]);
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-10-01', 1, handedOver)).thenThrows(/neither the delegate/, { rule: 'R15' });
  });

  it('R15: an amount above the limit valid that day is refused', () => {
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-01', 100000)).then([recorded(maria, '2018-08-01', 100000)]);
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-01', 100001)).thenThrows(/above the delegation's limit of 100000 kr/, { code: 'RULE_VIOLATION', rule: 'R15' });
    const raised = [version(), version({ action: 'AMEND', limitAmount: 200000, validFrom: '2018-10-01' })];
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-10-01', 150000, raised)).then([recorded(maria, '2018-10-01', 150000)]);
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-09-30', 150000, raised)).thenThrows(/limit of 100000 kr/, { rule: 'R15' });
    const unlimited = [version({ limitAmount: null })];
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-01', 10_000_000, unlimited)).then([recorded(maria, '2018-08-01', 10_000_000)]);
  });

  it('refuses an unknown delegation, a negative amount and an impossible date', () => {
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-01', 1, [])).thenThrows(/Delegation del-1 does not exist/, { code: 'NOT_FOUND' });
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-01', -5)).thenThrows(/amount must be whole kronor/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegatedDecisionDecider).given([]).when(record(maria, '2018-08-32', 5)).thenThrows(/decidedAt must be a date/, { code: 'BAD_USER_INPUT' });
  });
});

const paragraph = (decisionId: string, date: string, body = bodyId): CitedDecision => ({ decisionId, bodyId: body, meetingId: `meeting-${decisionId}`, paragraph: 41, date });
const fact = (id: string, decidedAt: string, body = bodyId): ReportedFact => ({ delegatedDecisionId: id, bodyId: body, decidedAt, title: `Beslut ${id}` });
const report = (ids: string[], cited: CitedDecision | null = paragraph('d-5', '2018-09-20'), facts = [fact('dd-1', '2018-08-01'), fact('dd-2', '2018-08-20')]) =>
  new ReportDelegatedDecisions(cited?.decisionId ?? 'd-x', ids, context, cited, facts);
const reported = (ids: string[]): DelegatedDecisionsReported => ({
  type: 'DelegatedDecisionsReported',
  data: { bodyId, decisionId: 'd-5', meetingId: 'meeting-d-5', paragraph: 41, delegatedDecisionIds: ids },
});

describe('delegation report decider', () => {
  it('R11: ties delegated decisions to the paragraph where the board was told of them', () => {
    deciderSpec(delegationReportDecider).given([]).when(report(['dd-1', 'dd-2'])).then([reported(['dd-1', 'dd-2'])]);
  });

  it('R11: a delegated decision is reported once, at a meeting on or after its day, to its own body', () => {
    deciderSpec(delegationReportDecider).given([reported(['dd-1'])]).when(report(['dd-2', 'dd-1'])).thenThrows(/already reported to the board \(§ 41\)/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationReportDecider).given([]).when(report(['dd-2'], paragraph('d-4', '2018-08-19'))).thenThrows(/decided on 2018-08-20, after this paragraph \(2018-08-19\)/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationReportDecider).given([]).when(report(['dd-1'], paragraph('d-4', '2018-08-01'))).then([{ ...reported(['dd-1']), data: { ...reported(['dd-1']).data, decisionId: 'd-4', meetingId: 'meeting-d-4' } }]);
    deciderSpec(delegationReportDecider).given([]).when(report(['dd-1'], undefined, [fact('dd-1', '2018-08-01', 'body-2')])).thenThrows(/another body's delegation/, { code: 'BAD_USER_INPUT' });
  });

  it('refuses an empty report, a decision named twice and unknown ones', () => {
    deciderSpec(delegationReportDecider).given([]).when(report([])).thenThrows(/at least one/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationReportDecider).given([]).when(report(['dd-1', 'dd-1'])).thenThrows(/named twice/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationReportDecider).given([]).when(report(['dd-7'])).thenThrows(/Delegated decision dd-7 does not exist/, { code: 'NOT_FOUND' });
    deciderSpec(delegationReportDecider).given([]).when(report(['dd-1'], null)).thenThrows(/Decision d-x does not exist/, { code: 'NOT_FOUND' });
  });
});
