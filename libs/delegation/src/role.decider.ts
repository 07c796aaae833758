import type { Decider } from '@kansli/event-store';
import { InvalidInput } from '@kansli/kernel';
import { isPersonId, positionOf, roleKey } from './designation';
import type { AssignRole } from './delegation.commands';
import { assertDate } from './delegation.decider';
import type { RoleAssigned, RoleRegisterEvent } from './delegation.events';

export interface RoleRegisterState {
  assignments: Array<RoleAssigned['data']>;
}

const overlaps = (a: { from: string; to: string | null }, b: { from: string; to: string | null }) =>
  a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');

// Roles that are not board positions (those come from the membership). A person holds a role once at a time;
// assigning it again from the same day sets that assignment's end.
export const roleRegisterDecider: Decider<AssignRole, RoleRegisterEvent, RoleRegisterState> = {
  initialState: () => ({ assignments: [] }),

  evolve(state, event) {
    const others = state.assignments.filter((assignment) => assignment.roleAssignmentId !== event.data.roleAssignmentId);
    return { assignments: [...others, event.data] };
  },

  decide(command, state) {
    const { bodyId, personId, from, to } = command;
    const role = command.role.trim().replace(/\s+/g, ' ');
    if (!role) throw new InvalidInput('Give the role\'s name ("Förbundschef")');
    if (isPersonId(role)) throw new InvalidInput('A role\'s name cannot be an id: give its name ("Förbundschef")');
    const position = positionOf(role);
    if (position) throw new InvalidInput(`${position} is a board position: appoint the member with that position (appointMember) instead`);
    assertDate(from, 'from');
    if (to !== null) assertDate(to, 'to');
    if (to !== null && to < from) throw new InvalidInput(`A role cannot end (${to}) before it begins (${from})`);
    const held = state.assignments.filter((assignment) => assignment.personId === personId && roleKey(assignment.role) === roleKey(role));
    const same = held.find((assignment) => assignment.from === from);
    const clash = held.find((assignment) => assignment !== same && overlaps(assignment, { from, to }));
    if (clash) {
      throw new InvalidInput(
        `This person already holds ${clash.role} from ${clash.from}${clash.to ? ` to ${clash.to}` : ''}: to change when it ends, assign it again from ${clash.from} with the new end`,
      );
    }
    return [{ type: 'RoleAssigned', data: { bodyId, roleAssignmentId: same?.roleAssignmentId ?? command.roleAssignmentId, role, personId, from, to } }];
  },
};
