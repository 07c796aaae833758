import type { Decider } from '@kansli/event-store';
import { InvalidInput } from '@kansli/kernel';
import type { ParagraphRegisterEvent } from './meeting.events';

export class AssignParagraphNumber {
  constructor(
    readonly bodyId: string,
    readonly year: number,
    readonly meetingId: string,
    readonly decisionId: string,
  ) {}
}

export class ContinueParagraphSeries {
  constructor(
    readonly bodyId: string,
    readonly year: number,
    readonly meetingId: string,
    readonly next: number,
  ) {}
}

/** Where the series stands. It depends on the register's last event only, so it can be read from that alone. */
export interface ParagraphRegister {
  next: number;
}

// Paragraph numbers run per body per calendar year across meetings: each is handed out once, in order.
export const paragraphRegisterDecider: Decider<AssignParagraphNumber | ContinueParagraphSeries, ParagraphRegisterEvent, ParagraphRegister> = {
  initialState: () => ({ next: 1 }),
  evolve: (_state, event) => ({ next: event.type === 'ParagraphSeriesContinued' ? event.data.next : event.data.number + 1 }),
  decide(command, state) {
    const { bodyId, year, meetingId } = command;
    if (command instanceof ContinueParagraphSeries) {
      if (command.next < state.next) {
        throw new InvalidInput(`§ ${command.next} of ${year} is already used (the series has reached § ${state.next - 1}): paragraph numbers never repeat`);
      }
      return command.next === state.next ? [] : [{ type: 'ParagraphSeriesContinued', data: { bodyId, year, meetingId, next: command.next } }];
    }
    return [{ type: 'ParagraphNumberAssigned', data: { bodyId, year, meetingId, decisionId: command.decisionId, number: state.next } }];
  },
};
