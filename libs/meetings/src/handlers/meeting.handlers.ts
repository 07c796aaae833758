import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand, type CommandContext } from '@kansli/event-store';
import {
  AddAgendaItem,
  AppointJusterare,
  CancelMeeting,
  CloseMeeting,
  DeclareJav,
  JusteraProtocol,
  PostAnslag,
  RaiseMotion,
  RecordAttendance,
  RescheduleMeeting,
  ScheduleMeeting,
  SignProtocol,
  withRoster,
  type MeetingCommand,
} from '../meeting.commands';
import { meetingDecider } from '../meeting.decider';
import { meetingStream } from '../meeting.events';
import { MeetingFacts } from '../meeting.facts';

@CommandHandler(ScheduleMeeting)
export class ScheduleMeetingHandler implements ICommandHandler<ScheduleMeeting> {
  constructor(private readonly events: EventStore, private readonly facts: MeetingFacts) {}
  execute(command: ScheduleMeeting) {
    this.facts.assertBody(command.bodyId);
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command, command.context);
  }
}

type StreamCommand = { meetingId: string; context: CommandContext };

/**
 * A handler that appends to the meeting's stream after checking that the people the command names exist, and,
 * where the decider needs it, giving the command the roster of the meeting's day.
 */
function meetingStreamHandler<C extends StreamCommand>(
  type: new (...args: never[]) => C,
  facts: { people?: (command: C) => Array<string | null>; roster?: boolean } = {},
) {
  @CommandHandler(type)
  class MeetingStreamHandler {
    constructor(
      readonly events: EventStore,
      readonly meetingFacts: MeetingFacts,
    ) {}
    async execute(command: C) {
      if (facts.people) this.meetingFacts.assertPeople(facts.people(command));
      const resolved = facts.roster
        ? withRoster(command as unknown as RecordAttendance, this.meetingFacts.roster(await this.meetingFacts.meeting(command.meetingId)))
        : command;
      return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, resolved as unknown as MeetingCommand, command.context);
    }
  }
  Object.defineProperty(MeetingStreamHandler, 'name', { value: `${type.name}Handler` });
  return MeetingStreamHandler;
}

export const CancelMeetingHandler = meetingStreamHandler(CancelMeeting);
export const RescheduleMeetingHandler = meetingStreamHandler(RescheduleMeeting);
export const AddAgendaItemHandler = meetingStreamHandler(AddAgendaItem);
export const CloseMeetingHandler = meetingStreamHandler(CloseMeeting);
export const RaiseMotionHandler = meetingStreamHandler(RaiseMotion);
export const PostAnslagHandler = meetingStreamHandler(PostAnslag);
export const AppointJusterareHandler = meetingStreamHandler(AppointJusterare, { people: (command) => command.personIds });
export const DeclareJavHandler = meetingStreamHandler(DeclareJav, { people: (command) => [command.personId] });
export const RecordAttendanceHandler = meetingStreamHandler(RecordAttendance, {
  people: (command) => [command.personId, command.replacingPersonId],
  roster: true,
});
export const SignProtocolHandler = meetingStreamHandler(SignProtocol, { roster: true });
export const JusteraProtocolHandler = meetingStreamHandler(JusteraProtocol, { people: (command) => command.signatoryIds, roster: true });
