import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, foldStream, handleCommand } from '@kansli/event-store';
import { TakeDecision } from '../meeting.commands';
import { meetingDecider } from '../meeting.decider';
import { meetingStream } from '../meeting.events';
import { MeetingFacts } from '../meeting.facts';
import { AssignParagraphNumber, paragraphRegisterDecider } from '../paragraph-register.decider';

/** Every decision of a body's year meets in one register: under load each round of conflicts lets one through. */
const CONTENDED = { maxRetries: 64 };

/**
 * Checks the decision against the meeting (with the next free number), reserves its paragraph number in the
 * body's register for the year, then records it. Two decisions at the same moment meet in the register's
 * expected revision: one gets the number, the other the next.
 */
@CommandHandler(TakeDecision)
export class TakeDecisionHandler implements ICommandHandler<TakeDecision> {
  constructor(
    private readonly events: EventStore,
    private readonly facts: MeetingFacts,
  ) {}

  async execute(command: TakeDecision) {
    const meeting = await this.facts.meeting(command.meetingId);
    const roster = this.facts.roster(meeting);
    const register = this.facts.registerStream(meeting);
    const next = (await foldStream(this.events, register, paragraphRegisterDecider)).state.next;
    meetingDecider.decide(command.resolved(Math.max(next, meeting.firstParagraph ?? 1), roster), meeting);
    const reserved = await handleCommand(
      this.events,
      register,
      paragraphRegisterDecider,
      new AssignParagraphNumber(meeting.bodyId, this.facts.year(meeting), command.meetingId, command.decisionId),
      command.context,
      CONTENDED,
    );
    const paragraph = reserved.state.assigned[command.decisionId];
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command.resolved(paragraph, roster), command.context, CONTENDED);
  }
}
