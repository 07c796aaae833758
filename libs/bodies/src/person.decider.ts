import type { Decider } from '@kansli/event-store';
import { Conflict } from '@kansli/kernel';
import { RegisterPerson } from './body.commands';
import type { PersonEvent } from './body.events';

export interface PersonState {
  registered: boolean;
}

// A person is registered once; people may share a name, so names are not unique.
export const personDecider: Decider<RegisterPerson, PersonEvent, PersonState> = {
  initialState: () => ({ registered: false }),
  evolve: () => ({ registered: true }),
  decide(command, state) {
    if (state.registered) throw new Conflict(`The person ${command.personId} is already registered`);
    return [{ type: 'PersonRegistered', data: { personId: command.personId, name: command.name } }];
  },
};
