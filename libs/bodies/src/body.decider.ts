import type { Decider } from '@kansli/event-store';
import { Conflict, InvalidInput, isIsoDate, NotFound } from '@kansli/kernel';
import { AppointMember, EndMembership, EstablishBody } from './body.commands';
import type { BodyEvent, MemberRole } from './body.events';

/** A body's commands, with the person already resolved (a new person is registered first). */
export type BodyCommand = EstablishBody | (AppointMember & { personId: string }) | EndMembership;

interface Membership {
  personId: string;
  role: MemberRole;
  position: string | null;
  from: string;
  to: string | null;
}

export interface BodyState {
  bodyId: string | null;
  name: string;
  seats: number;
  memberships: Record<string, Membership>;
}

export const MAX_SEATS = 101;

const overlaps = (a: { from: string; to: string | null }, b: { from: string; to: string | null }) =>
  a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');

// Members of a body: a person sits once at a time, ledamöter never outnumber the seats, one chair at a time.
export const bodyDecider: Decider<BodyCommand, BodyEvent, BodyState> = {
  initialState: () => ({ bodyId: null, name: '', seats: 0, memberships: {} }),

  evolve(state, event) {
    switch (event.type) {
      case 'BodyEstablished':
        return { ...state, bodyId: event.data.bodyId, name: event.data.name, seats: event.data.seats };
      case 'MemberAppointed': {
        const { membershipId, personId, role, position, from, to } = event.data;
        return { ...state, memberships: { ...state.memberships, [membershipId]: { personId, role, position, from, to } } };
      }
      case 'MembershipEnded': {
        const membership = state.memberships[event.data.membershipId];
        if (!membership) return state;
        return { ...state, memberships: { ...state.memberships, [event.data.membershipId]: { ...membership, to: event.data.to } } };
      }
    }
  },

  decide(command, state) {
    if (command instanceof EstablishBody) {
      if (state.bodyId) throw new Conflict(`The body ${command.bodyId} already exists`);
      const { bodyId, name, kind, seats, finsam } = command;
      return [{ type: 'BodyEstablished', data: { bodyId, name, kind, seats, finsam } }];
    }
    if (command instanceof EndMembership) {
      const membership = state.memberships[command.membershipId];
      if (!state.bodyId || !membership) throw new NotFound('Membership', command.membershipId);
      assertPeriod(membership.from, command.to);
      if (membership.to !== null && membership.to < command.to) {
        throw new InvalidInput(`The membership already ended on ${membership.to}`);
      }
      return [{ type: 'MembershipEnded', data: { bodyId: state.bodyId, membershipId: command.membershipId, to: command.to } }];
    }
    if (!state.bodyId) throw new NotFound('Body', command.bodyId);
    const period = { from: command.from, to: command.to };
    assertPeriod(period.from, period.to);
    if (command.position && command.role !== 'LEDAMOT') {
      throw new InvalidInput('Only a ledamot can be ordförande or vice ordförande');
    }
    if (command.substituteOrder !== null && command.role !== 'ERSATTARE') {
      throw new InvalidInput('Only an ersättare has a substitute order');
    }
    const current = Object.values(state.memberships).filter((membership) => overlaps(membership, period));
    if (current.some((membership) => membership.personId === command.personId)) {
      throw new InvalidInput(`This person already sits on ${state.name} during ${describe(period)}`);
    }
    if (command.role === 'LEDAMOT' && current.filter((membership) => membership.role === 'LEDAMOT').length >= state.seats) {
      throw new InvalidInput(`${state.name} has ${state.seats} seats and they are all taken during ${describe(period)}`);
    }
    if (command.position && current.some((membership) => membership.position === command.position)) {
      const title = command.position === 'ORDFORANDE' ? 'an ordförande' : 'a vice ordförande';
      throw new InvalidInput(`${state.name} already has ${title} during ${describe(period)}`);
    }
    const { bodyId, membershipId, personId, role, position, representing, party, substituteOrder, from, to } = command;
    return [
      {
        type: 'MemberAppointed',
        data: { bodyId, membershipId, personId, role, position, representing, party, substituteOrder, from, to },
      },
    ];
  },
};

function assertPeriod(from: string, to: string | null): void {
  if (!isIsoDate(from)) throw new InvalidInput(`from must be a date (YYYY-MM-DD), got ${JSON.stringify(from)}`);
  if (to !== null && !isIsoDate(to)) throw new InvalidInput(`to must be a date (YYYY-MM-DD), got ${JSON.stringify(to)}`);
  if (to !== null && to < from) throw new InvalidInput(`A membership cannot end (${to}) before it begins (${from})`);
}

function describe(period: { from: string; to: string | null }): string {
  return period.to ? `${period.from} – ${period.to}` : `the period from ${period.from}`;
}
