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

export interface ParagraphRegister {
  next: number;
  assigned: Record<string, number>;
}

// Paragraph numbers run per body per calendar year across meetings: each is handed out once, in order,
// and a decision that asks again gets the number it already has.
export const paragraphRegisterDecider: Decider<AssignParagraphNumber | ContinueParagraphSeries, ParagraphRegisterEvent, ParagraphRegister> = {
  initialState: () => ({ next: 1, assigned: {} }),
  evolve(state, event) {
    if (event.type === 'ParagraphSeriesContinued') return { ...state, next: event.data.next };
    return { next: event.data.number + 1, assigned: { ...state.assigned, [event.data.decisionId]: event.data.number } };
  },
  decide(command, state) {
    const { bodyId, year, meetingId } = command;
    if (command instanceof ContinueParagraphSeries) {
      if (command.next < state.next) {
        throw new InvalidInput(`§ ${command.next} of ${year} is already used (the series has reached § ${state.next - 1}): paragraph numbers never repeat`);
      }
      return command.next === state.next ? [] : [{ type: 'ParagraphSeriesContinued', data: { bodyId, year, meetingId, next: command.next } }];
    }
    if (state.assigned[command.decisionId] !== undefined) return [];
    return [{ type: 'ParagraphNumberAssigned', data: { bodyId, year, meetingId, decisionId: command.decisionId, number: state.next } }];
  },
};
