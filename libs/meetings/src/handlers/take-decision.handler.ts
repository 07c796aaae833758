import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand, type Folded } from '@kansli/event-store';
import { TakeDecision } from '../meeting.commands';
import { meetingDecider } from '../meeting.decider';
import { meetingStream, type ParagraphRegisterEvent } from '../meeting.events';
import { MeetingFacts } from '../meeting.facts';
import { AssignParagraphNumber, paragraphRegisterDecider, type ParagraphRegister } from '../paragraph-register.decider';

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
    const folded = await this.facts.folded(command.meetingId);
    const meeting = folded.state;
    const roster = this.facts.roster(meeting);
    const register = this.facts.registerStream(meeting);
    const numbers = await this.registerState(register);
    meetingDecider.decide(command.resolved(Math.max(numbers.state.next, meeting.firstParagraph ?? 1), roster), meeting);
    const reserved = await handleCommand(
      this.events,
      register,
      paragraphRegisterDecider,
      new AssignParagraphNumber(meeting.bodyId, this.facts.year(meeting), command.meetingId, command.decisionId),
      command.context,
      { ...CONTENDED, folded: numbers },
    );
    const paragraph = reserved.state.next - 1;
    const decision = command.resolved(paragraph, roster);
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, decision, command.context, { ...CONTENDED, folded, cache: this.facts.cache });
  }

  /** The register's state comes from its last event alone: read that one, not the year's every paragraph. */
  private async registerState(stream: string): Promise<Folded<ParagraphRegister>> {
    const [last] = await this.events.readStream(stream, { direction: 'backwards', maxCount: 1 });
    if (!last) return { state: paragraphRegisterDecider.initialState(), revision: 'no_stream' };
    return { state: paragraphRegisterDecider.evolve(paragraphRegisterDecider.initialState(), last as unknown as ParagraphRegisterEvent), revision: last.revision };
  }
}
