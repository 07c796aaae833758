import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand } from '@kansli/event-store';
import { NotFound } from '@kansli/kernel';
import { CorrectProtocol } from '../meeting.commands';
import { meetingDecider } from '../meeting.decider';
import { meetingStream } from '../meeting.events';
import { MeetingFacts } from '../meeting.facts';
import { MeetingsReader } from '../meetings.reader';

/** A correction of justerade minutes, with the body of the decision that made it and the roster of the meeting's day. */
@CommandHandler(CorrectProtocol)
export class CorrectProtocolHandler implements ICommandHandler<CorrectProtocol> {
  constructor(
    private readonly events: EventStore,
    private readonly facts: MeetingFacts,
    private readonly meetings: MeetingsReader,
  ) {}

  async execute(command: CorrectProtocol) {
    this.facts.assertPeople(command.signatoryIds);
    let decisionBodyId: string | null = null;
    if (command.decisionId !== null) {
      const decision = this.meetings.decision(command.decisionId);
      if (!decision) throw new NotFound('Decision', command.decisionId);
      decisionBodyId = decision.bodyId;
    }
    const folded = await this.facts.folded(command.meetingId);
    const roster = this.facts.roster(folded.state);
    const { meetingId, paragraph, field, from, to, reason, correctedAt, decisionId, signatoryIds, context } = command;
    const resolved = new CorrectProtocol(meetingId, paragraph, field, from, to, reason, correctedAt, decisionId, signatoryIds, context, decisionBodyId, roster);
    return handleCommand(this.events, meetingStream(meetingId), meetingDecider, resolved, context, { folded, cache: this.facts.cache });
  }
}
