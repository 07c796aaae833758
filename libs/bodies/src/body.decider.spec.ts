import { deciderSpec } from '@kansli/testing';
import { AppointMember, EndMembership, EstablishBody } from './body.commands';
import { bodyDecider } from './body.decider';
import type { BodyEvent, MemberAppointed } from './body.events';

const context = { occurredAt: '2018-01-01T10:00:00+01:00' };
const bodyId = 'b1';
const established: BodyEvent = { type: 'BodyEstablished', data: { bodyId, name: 'Styrelsen', kind: 'STYRELSE', seats: 2, finsam: false } };
const appoint = (personId: string, overrides: Partial<AppointMember> = {}) =>
  Object.assign(
    new AppointMember(bodyId, `m-${personId}`, personId, null, 'LEDAMOT', null, null, null, null, '2018-01-01', null, context),
    overrides,
  ).withPerson(personId);
const appointed = (personId: string, overrides: Partial<MemberAppointed['data']> = {}): MemberAppointed => ({
  type: 'MemberAppointed',
  data: { bodyId, membershipId: `m-${personId}`, personId, role: 'LEDAMOT', position: null, representing: null, party: null, substituteOrder: null, from: '2018-01-01', to: null, ...overrides },
});

describe('body decider', () => {
  it('establishes a body once', () => {
    deciderSpec(bodyDecider).given([]).when(new EstablishBody(bodyId, 'Styrelsen', 'STYRELSE', 2, context)).then([established]);
    deciderSpec(bodyDecider).given([established]).when(new EstablishBody(bodyId, 'Styrelsen', 'STYRELSE', 2, context)).thenThrows(/already exists/);
  });

  it('appoints a member of an established body', () => {
    deciderSpec(bodyDecider).given([established]).when(appoint('p1')).then([appointed('p1')]);
    deciderSpec(bodyDecider).given([]).when(appoint('p1')).thenThrows(/Body b1 does not exist/, { code: 'NOT_FOUND' });
  });

  it('never seats more ledamöter than the body has seats, but lets a member follow one who left', () => {
    const full = [established, appointed('p1'), appointed('p2', { to: '2018-06-30' })];
    deciderSpec(bodyDecider).given(full).when(appoint('p3')).thenThrows(/has 2 seats and they are all taken/, { code: 'BAD_USER_INPUT' });
    deciderSpec(bodyDecider).given(full).when(appoint('p3', { from: '2018-07-01' })).then([appointed('p3', { from: '2018-07-01' })]);
    deciderSpec(bodyDecider).given(full).when(appoint('p3', { role: 'ERSATTARE' })).then([appointed('p3', { role: 'ERSATTARE' })]);
  });

  it('seats a person once at a time and has one ordförande at a time', () => {
    deciderSpec(bodyDecider).given([established, appointed('p1')]).when(appoint('p1', { role: 'ERSATTARE' })).thenThrows(/already sits/);
    deciderSpec(bodyDecider)
      .given([established, appointed('p1', { position: 'ORDFORANDE' })])
      .when(appoint('p2', { position: 'ORDFORANDE' }))
      .thenThrows(/already has an ordförande/);
  });

  it('refuses impossible periods and ends memberships no earlier than they began', () => {
    deciderSpec(bodyDecider).given([established]).when(appoint('p1', { from: '2018-02-30' })).thenThrows(/from must be a date/);
    deciderSpec(bodyDecider).given([established]).when(appoint('p1', { to: '2017-12-31' })).thenThrows(/cannot end \(2017-12-31\) before it begins/);
    deciderSpec(bodyDecider)
      .given([established, appointed('p1')])
      .when(new EndMembership('m-p1', '2018-12-31', context))
      .then([{ type: 'MembershipEnded', data: { bodyId, membershipId: 'm-p1', to: '2018-12-31' } }]);
    deciderSpec(bodyDecider).given([established, appointed('p1')]).when(new EndMembership('m-p1', '2017-12-31', context)).thenThrows(/cannot end/);
    deciderSpec(bodyDecider).given([established]).when(new EndMembership('m-x', '2018-12-31', context)).thenThrows(/Membership m-x does not exist/);
  });
});
