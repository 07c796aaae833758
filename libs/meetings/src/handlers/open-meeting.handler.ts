import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, foldStream, handleCommand } from '@kansli/event-store';
import { OpenMeeting } from '../meeting.commands';
import { meetingDecider } from '../meeting.decider';
import { meetingStream } from '../meeting.events';
import { MeetingFacts } from '../meeting.facts';
import { ContinueParagraphSeries, paragraphRegisterDecider } from '../paragraph-register.decider';

/** Opens the meeting where the body's paragraph series stands, or continues an imported series at `firstParagraph`. */
@CommandHandler(OpenMeeting)
export class OpenMeetingHandler implements ICommandHandler<OpenMeeting> {
  constructor(
    private readonly events: EventStore,
    private readonly facts: MeetingFacts,
  ) {}

  async execute(command: OpenMeeting) {
    const meeting = await this.facts.meeting(command.meetingId);
    const register = this.facts.registerStream(meeting);
    let first = command.firstParagraph;
    if (first === null) {
      first = (await foldStream(this.events, register, paragraphRegisterDecider)).state.next;
    } else {
      meetingDecider.decide(command, meeting);
      const series = new ContinueParagraphSeries(meeting.bodyId, this.facts.year(meeting), command.meetingId, first);
      await handleCommand(this.events, register, paragraphRegisterDecider, series, command.context);
    }
    const opening = new OpenMeeting(command.meetingId, command.at, first, command.context);
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, opening, command.context);
  }
}
