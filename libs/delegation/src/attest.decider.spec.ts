import { deciderSpec } from '@kansli/testing';
import { attestOrderDecider, invoiceDecider } from './attest.decider';
import { AttestInvoice, ChangeAttestRule, type CitedDecision } from './delegation.commands';
import type { AttestKind, AttestRuleChanged, InvoiceAttested } from './delegation.events';
import type { RoleHolders } from './designation';

const context = { occurredAt: '2020-06-11T10:00:00+02:00' };
const bodyId = 'body-1';
const maria = '11111111-1111-4111-8111-111111111111'; // förbundschef
const bertil = '22222222-2222-4222-8222-222222222222'; // ordförande
const anders = '33333333-3333-4333-8333-333333333333'; // vice ordförande
const mikael = '44444444-4444-4444-8444-444444444444'; // ledamot
const holders: RoleHolders = { förbundschef: [maria], ORDFORANDE: [bertil], VICE_ORDFORANDE: [anders] };

const rule = (kind: AttestKind, attestant: string, substitute: string | null, data: Partial<AttestRuleChanged['data']> = {}): AttestRuleChanged['data'] => ({
  bodyId,
  attestRuleId: `rule-${kind}`,
  scope: 'Fakturor',
  kind,
  attestant,
  substitute,
  validFrom: '2020-06-11',
  decisionId: 'd-1',
  namedPersonIds: [],
  ...data,
});
const order = [rule('MOTTAGNING', 'Förbundschef', null), rule('BESLUT', 'ORDFORANDE', 'VICE_ORDFORANDE')];
const attest = (kind: AttestKind, by: string, options: { incurredBy?: string | null; at?: string; scope?: string | null; amount?: number; rules?: AttestRuleChanged['data'][] } = {}) =>
  new AttestInvoice(bodyId, 'inv-1', `att-${kind}`, 'F-2020-117', options.amount ?? 4200, kind, by, options.incurredBy ?? null, options.at ?? '2020-06-15', options.scope ?? null, context, options.rules ?? order, holders);
const attested = (kind: AttestKind, by: string, incurredBy: string | null = null): InvoiceAttested => ({
  type: 'InvoiceAttested',
  data: { bodyId, invoiceId: 'inv-1', invoiceAttestId: `att-${kind}`, invoiceRef: 'F-2020-117', attestRuleId: `rule-${kind}`, scope: 'Fakturor', kind, amount: 4200, attestedByPersonId: by, incurredByPersonId: incurredBy, at: '2020-06-15' },
});

describe('invoice decider', () => {
  it('records a mottagningsattest and a beslutsattest by the people the attest order names that day', () => {
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria)).then([attested('MOTTAGNING', maria)]);
    deciderSpec(invoiceDecider).given([attested('MOTTAGNING', maria)]).when(attest('BESLUT', bertil)).then([attested('BESLUT', bertil)]);
    deciderSpec(invoiceDecider).given([attested('MOTTAGNING', maria)]).when(attest('BESLUT', anders, { scope: 'fakturor' })).then([attested('BESLUT', anders)]);
  });

  it('R14: an attestant without a rule of that kind on that date is refused', () => {
    deciderSpec(invoiceDecider).given([]).when(attest('BESLUT', mikael)).thenThrows(/may not give a beslutsattest on 2020-06-15: the attest order names "Fakturor": ORDFORANDE, substitute VICE_ORDFORANDE/, { code: 'RULE_VIOLATION', rule: 'R14' });
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', bertil)).thenThrows(/may not give a mottagningsattest/, { rule: 'R14' });
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria, { at: '2020-06-10' })).thenThrows(/has no mottagningsattest rule then/, { rule: 'R14' });
  });

  it('R14: MOTTAGNING and BESLUT of one invoice by the same person is refused', () => {
    const both = [rule('MOTTAGNING', 'Förbundschef', null), rule('BESLUT', 'ORDFORANDE', 'Förbundschef')];
    deciderSpec(invoiceDecider).given([attested('MOTTAGNING', maria)]).when(attest('BESLUT', maria, { rules: both })).thenThrows(/gave this invoice's mottagningsattest: its beslutsattest is given by someone else/, { code: 'RULE_VIOLATION', rule: 'R14' });
  });

  it('R14: nobody attests a cost they incurred; the chair\'s own costs go to the vice chair', () => {
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria, { incurredBy: maria })).thenThrows(/incurred this cost and cannot attest it/, { code: 'RULE_VIOLATION', rule: 'R14' });
    const chairsCost = attested('MOTTAGNING', maria, bertil);
    deciderSpec(invoiceDecider).given([chairsCost]).when(attest('BESLUT', bertil)).thenThrows(/incurred this cost/, { rule: 'R14' });
    deciderSpec(invoiceDecider).given([chairsCost]).when(attest('BESLUT', anders)).then([attested('BESLUT', anders, bertil)]);
  });

  it('refuses an attest of an unknown kind of invoice, naming the known ones', () => {
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria, { scope: 'Resor' })).thenThrows(/"Resor" is an unknown kind of invoice on 2020-06-15: the attest order then knows "Fakturor"/, { code: 'BAD_USER_INPUT' });
  });

  it('refuses a second attest of the same kind, another amount, and an amount of zero or less', () => {
    deciderSpec(invoiceDecider).given([attested('MOTTAGNING', maria)]).when(attest('MOTTAGNING', maria)).thenThrows(/already has its mottagningsattest/, { code: 'CONFLICT' });
    deciderSpec(invoiceDecider).given([attested('MOTTAGNING', maria)]).when(attest('BESLUT', bertil, { amount: 4300 })).thenThrows(/attested for 4200 kr/, { code: 'BAD_USER_INPUT' });
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria, { amount: 0 })).thenThrows(/above zero/, { code: 'BAD_USER_INPUT' });
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria, { amount: -10 })).thenThrows(/above zero/, { code: 'BAD_USER_INPUT' });
  });

  it('follows the attest order\'s changes: a later version of a rule replaces the earlier from its validFrom', () => {
    const handedOver = [...order, rule('MOTTAGNING', mikael, null, { attestRuleId: 'rule-2021', validFrom: '2021-01-01' })];
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria, { rules: handedOver })).then([attested('MOTTAGNING', maria)]);
    deciderSpec(invoiceDecider).given([]).when(attest('MOTTAGNING', maria, { rules: handedOver, at: '2021-01-01' })).thenThrows(/may not give/, { rule: 'R14' });
  });
});

const cited = (body = bodyId): CitedDecision => ({ decisionId: 'd-1', bodyId: body, meetingId: 'm-1', paragraph: 12, date: '2020-06-11' });
const change = (kind: AttestKind, attestant: string, substitute: string | null, validFrom = '2020-06-11', decision = cited()) =>
  new ChangeAttestRule(bodyId, `rule-${kind}`, ' Fakturor ', kind, attestant, substitute, validFrom, 'd-1', context, decision);

describe('attest order decider', () => {
  it('records a rule citing a decision of the same body', () => {
    deciderSpec(attestOrderDecider).given([]).when(change('BESLUT', 'ORDFORANDE', 'VICE_ORDFORANDE')).then([{ type: 'AttestRuleChanged', data: rule('BESLUT', 'ORDFORANDE', 'VICE_ORDFORANDE') }]);
    deciderSpec(attestOrderDecider).given([]).when(change('MOTTAGNING', maria, null)).then([{ type: 'AttestRuleChanged', data: rule('MOTTAGNING', maria, null, { namedPersonIds: [maria] }) }]);
  });

  it('refuses another body\'s decision, a change applying before the rule\'s last one, and a substitute who is the attestant', () => {
    deciderSpec(attestOrderDecider).given([]).when(change('BESLUT', 'ORDFORANDE', null, '2020-06-11', cited('body-2'))).thenThrows(/decision of another body/, { code: 'BAD_USER_INPUT' });
    deciderSpec(attestOrderDecider)
      .given([{ type: 'AttestRuleChanged', data: rule('BESLUT', 'ORDFORANDE', null) }])
      .when(change('BESLUT', 'VICE_ORDFORANDE', null, '2020-01-01'))
      .thenThrows(/last changed from 2020-06-11/, { code: 'BAD_USER_INPUT' });
    deciderSpec(attestOrderDecider).given([]).when(change('BESLUT', 'ORDFORANDE', 'ORDFORANDE')).thenThrows(/someone other than the attestant/, { code: 'BAD_USER_INPUT' });
  });
});
