import { deciderSpec } from '@kansli/testing';
import { ChangeDelegation, type CitedDecision, type DelegationTerms } from './delegation.commands';
import { delegationDecider } from './delegation.decider';
import type { DelegationChanged, DelegationAction, MatterCategory } from './delegation.events';

const context = { occurredAt: '2018-06-14T10:00:00+02:00' };
const bodyId = 'body-1';
const delegationId = 'delegation-1';
const kenneth = '7c0e9a57-3c3b-4c47-9d0e-1a2b3c4d5e6f';
const cited = (decisionId: string, date = '2018-06-14', body = bodyId): CitedDecision => ({ decisionId, bodyId: body, meetingId: 'meeting-1', paragraph: 34, date });
const change = (action: DelegationAction, terms: DelegationTerms, validFrom = '2018-07-01', decision = cited('d-1')) =>
  new ChangeDelegation(bodyId, delegationId, action, terms, validFrom, decision.decisionId, context, decision);
const grant = (terms: DelegationTerms = {}, validFrom?: string) =>
  change('GRANT', { matter: 'Upphandling under 100 000 kr', category: 'UPPHANDLING', delegate: 'Förbundschef', substitute: kenneth, limitAmount: 100000, ...terms }, validFrom);
const changed = (action: DelegationAction, data: Partial<DelegationChanged['data']> = {}): DelegationChanged => ({
  type: 'DelegationChanged',
  data: {
    bodyId,
    delegationId,
    action,
    matter: 'Upphandling under 100 000 kr',
    category: 'UPPHANDLING',
    delegate: 'Förbundschef',
    substitute: kenneth,
    limitAmount: 100000,
    validFrom: '2018-07-01',
    decisionId: 'd-1',
    namedPersonIds: [kenneth],
    ...data,
  },
});
const granted = changed('GRANT');

describe('delegation decider', () => {
  it('grants a delegation citing a decision of the same body, with the people it names for the timeline', () => {
    deciderSpec(delegationDecider).given([]).when(grant()).then([granted]);
  });

  it('R10: a GRANT or an AMEND into a category that can never be delegated is refused', () => {
    const forbidden: MatterCategory[] = ['MAL_OCH_RIKTLINJER', 'VERKSAMHETENS_INRIKTNING', 'BUDGET', 'YTTRANDE_TILL_FULLMAKTIGE', 'PRINCIPIELL'];
    for (const category of forbidden) {
      deciderSpec(delegationDecider).given([]).when(grant({ category })).thenThrows(/can never be delegated/, { code: 'RULE_VIOLATION', rule: 'R10' });
      deciderSpec(delegationDecider).given([granted]).when(change('AMEND', { category })).thenThrows(/can never be delegated/, { code: 'RULE_VIOLATION', rule: 'R10' });
    }
    for (const category of ['EKONOMI', 'PERSONAL', 'UPPHANDLING', 'AVTAL', 'ATTEST', 'YTTRANDE', 'INSATSER', 'BRADSKANDE', 'OVRIGT'] as const) {
      deciderSpec(delegationDecider).given([]).when(grant({ category })).then([changed('GRANT', { category })]);
    }
  });

  it('refuses a GRANT without matter, category or delegate, a negative limit, and a substitute who is the delegate', () => {
    deciderSpec(delegationDecider).given([]).when(grant({ matter: ' ' })).thenThrows(/needs the matter, its category and the delegate/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationDecider).given([]).when(grant({ category: undefined })).thenThrows(/needs the matter/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationDecider).given([]).when(grant({ delegate: null })).thenThrows(/needs the matter/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationDecider).given([]).when(grant({ limitAmount: -1 })).thenThrows(/limitAmount must be whole kronor, zero or more/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationDecider).given([]).when(grant({ substitute: 'Förbundschef' })).thenThrows(/someone other than the delegate/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationDecider).given([]).when(grant({}, '2018-02-30')).thenThrows(/validFrom must be a date/, { code: 'BAD_USER_INPUT' });
  });

  it('refuses a change citing a decision of another body, or one that does not exist', () => {
    const other = new ChangeDelegation(bodyId, delegationId, 'GRANT', { matter: 'M', category: 'EKONOMI', delegate: 'Förbundschef' }, '2018-07-01', 'd-x', context, cited('d-x', '2018-06-14', 'body-2'));
    deciderSpec(delegationDecider).given([]).when(other).thenThrows(/decision of another body/, { code: 'BAD_USER_INPUT' });
    const missing = new ChangeDelegation(bodyId, delegationId, 'GRANT', { matter: 'M', category: 'EKONOMI', delegate: 'Förbundschef' }, '2018-07-01', 'd-x', context, null);
    deciderSpec(delegationDecider).given([]).when(missing).thenThrows(/Decision d-x does not exist/, { code: 'NOT_FOUND' });
  });

  it('amends from a later date, keeping what the AMEND leaves out and clearing what it sets to null', () => {
    deciderSpec(delegationDecider)
      .given([granted])
      .when(change('AMEND', { limitAmount: 200000 }, '2018-10-01', cited('d-2', '2018-09-20')))
      .then([changed('AMEND', { limitAmount: 200000, validFrom: '2018-10-01', decisionId: 'd-2' })]);
    deciderSpec(delegationDecider)
      .given([granted])
      .when(change('AMEND', { substitute: null, limitAmount: null }, '2018-10-01'))
      .then([changed('AMEND', { substitute: null, limitAmount: null, validFrom: '2018-10-01', namedPersonIds: [] })]);
    deciderSpec(delegationDecider).given([granted]).when(change('AMEND', {}, '2018-10-01')).thenThrows(/changes something/, { code: 'BAD_USER_INPUT' });
  });

  it('revokes from a date; nothing changes a revoked delegation', () => {
    const revoked = changed('REVOKE', { delegate: null, substitute: null, limitAmount: null, validFrom: '2019-01-01', namedPersonIds: [] });
    deciderSpec(delegationDecider).given([granted]).when(change('REVOKE', {}, '2019-01-01')).then([revoked]);
    deciderSpec(delegationDecider).given([granted, revoked]).when(change('AMEND', { limitAmount: 5 }, '2019-02-01')).thenThrows(/was revoked from 2019-01-01/, { code: 'BAD_USER_INPUT' });
    deciderSpec(delegationDecider).given([granted, revoked]).when(change('REVOKE', {}, '2019-02-01')).thenThrows(/was revoked/, { code: 'BAD_USER_INPUT' });
  });

  it('refuses an AMEND or REVOKE of an unknown delegation, of another body, or applying before the delegation began or its last change', () => {
    deciderSpec(delegationDecider).given([]).when(change('AMEND', { limitAmount: 5 })).thenThrows(/Delegation delegation-1 does not exist/, { code: 'NOT_FOUND' });
    deciderSpec(delegationDecider).given([]).when(change('REVOKE', {})).thenThrows(/does not exist/, { code: 'NOT_FOUND' });
    deciderSpec(delegationDecider).given([granted]).when(change('REVOKE', {}, '2018-06-30')).thenThrows(/before the delegation began \(2018-07-01\)/, { code: 'BAD_USER_INPUT' });
    const amended = changed('AMEND', { limitAmount: 200000, validFrom: '2018-10-01' });
    deciderSpec(delegationDecider).given([granted, amended]).when(change('AMEND', { limitAmount: 5 }, '2018-09-01')).thenThrows(/before the delegation's last change/, { code: 'BAD_USER_INPUT' });
    const elsewhere = new ChangeDelegation('body-2', delegationId, 'REVOKE', {}, '2019-01-01', 'd-9', context, cited('d-9', '2018-12-01', 'body-2'));
    deciderSpec(delegationDecider).given([granted]).when(elsewhere).thenThrows(/belongs to another body/, { code: 'BAD_USER_INPUT' });
  });
});
