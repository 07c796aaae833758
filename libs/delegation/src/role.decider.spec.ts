import { deciderSpec } from '@kansli/testing';
import { AssignRole } from './delegation.commands';
import type { RoleAssigned } from './delegation.events';
import { roleRegisterDecider } from './role.decider';

const context = { occurredAt: '2018-06-14T10:00:00+02:00' };
const maria = '11111111-1111-4111-8111-111111111111';
const assign = (role: string, from: string, to: string | null = null, id = 'ra-1') => new AssignRole('body-1', id, role, maria, from, to, context);
const assigned = (from: string, to: string | null = null, id = 'ra-1'): RoleAssigned => ({
  type: 'RoleAssigned',
  data: { bodyId: 'body-1', roleAssignmentId: id, role: 'Förbundschef', personId: maria, from, to },
});

describe('role register decider', () => {
  it('assigns a role that is not a board position to a person for a period', () => {
    deciderSpec(roleRegisterDecider).given([]).when(assign(' Förbundschef ', '2018-01-01')).then([assigned('2018-01-01')]);
  });

  it('refuses a board position, an end before the start and an impossible date', () => {
    deciderSpec(roleRegisterDecider).given([]).when(assign('ORDFORANDE', '2018-01-01')).thenThrows(/board position: appoint the member/, { code: 'BAD_USER_INPUT' });
    deciderSpec(roleRegisterDecider).given([]).when(assign('Vice ordförande', '2018-01-01')).thenThrows(/VICE_ORDFORANDE is a board position/, { code: 'BAD_USER_INPUT' });
    deciderSpec(roleRegisterDecider).given([]).when(assign('Förbundschef', '2018-06-14', '2018-01-01')).thenThrows(/cannot end \(2018-01-01\) before it begins/, { code: 'BAD_USER_INPUT' });
    deciderSpec(roleRegisterDecider).given([]).when(assign('Förbundschef', '2018-02-30')).thenThrows(/from must be a date/, { code: 'BAD_USER_INPUT' });
  });

  it('sets the end of an assignment given again from the same day; refuses a second overlapping one', () => {
    deciderSpec(roleRegisterDecider).given([assigned('2018-01-01')]).when(assign('förbundschef', '2018-01-01', '2020-12-31', 'ra-2')).then([
      { type: 'RoleAssigned', data: { ...assigned('2018-01-01', '2020-12-31').data, role: 'förbundschef' } },
    ]);
    deciderSpec(roleRegisterDecider).given([assigned('2018-01-01')]).when(assign('Förbundschef', '2019-01-01', null, 'ra-2')).thenThrows(/already holds Förbundschef from 2018-01-01/, { code: 'BAD_USER_INPUT' });
    deciderSpec(roleRegisterDecider).given([assigned('2018-01-01', '2018-12-31')]).when(assign('Förbundschef', '2019-01-01', null, 'ra-2')).then([assigned('2019-01-01', null, 'ra-2')]);
  });
});
