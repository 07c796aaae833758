import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand, type CommandContext } from '@kansli/event-store';
import {
  AddAgendaItem,
  AppointJusterare,
  CloseMeeting,
  DeclareJav,
  JusteraProtocol,
  PostAnslag,
  RaiseMotion,
  RecordAttendance,
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

/** A handler for a command that needs nothing beyond the meeting's own stream. */
function meetingStreamHandler<C extends { meetingId: string; context: CommandContext }>(type: new (...args: never[]) => C) {
  @CommandHandler(type)
  class MeetingStreamHandler {
    constructor(readonly events: EventStore) {}
    execute(command: C) {
      return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command as unknown as MeetingCommand, command.context);
    }
  }
  Object.defineProperty(MeetingStreamHandler, 'name', { value: `${type.name}Handler` });
  return MeetingStreamHandler;
}

export const AddAgendaItemHandler = meetingStreamHandler(AddAgendaItem);
export const CloseMeetingHandler = meetingStreamHandler(CloseMeeting);
export const RaiseMotionHandler = meetingStreamHandler(RaiseMotion);
export const PostAnslagHandler = meetingStreamHandler(PostAnslag);

@CommandHandler(RecordAttendance)
export class RecordAttendanceHandler implements ICommandHandler<RecordAttendance> {
  constructor(private readonly events: EventStore, private readonly facts: MeetingFacts) {}
  async execute(command: RecordAttendance) {
    this.facts.assertPeople([command.personId, command.replacingPersonId]);
    const roster = this.facts.roster(await this.facts.meeting(command.meetingId));
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, withRoster(command, roster), command.context);
  }
}

@CommandHandler(AppointJusterare)
export class AppointJusterareHandler implements ICommandHandler<AppointJusterare> {
  constructor(private readonly events: EventStore, private readonly facts: MeetingFacts) {}
  execute(command: AppointJusterare) {
    this.facts.assertPeople(command.personIds);
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command, command.context);
  }
}

@CommandHandler(DeclareJav)
export class DeclareJavHandler implements ICommandHandler<DeclareJav> {
  constructor(private readonly events: EventStore, private readonly facts: MeetingFacts) {}
  execute(command: DeclareJav) {
    this.facts.assertPeople([command.personId]);
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command, command.context);
  }
}

@CommandHandler(SignProtocol)
export class SignProtocolHandler implements ICommandHandler<SignProtocol> {
  constructor(private readonly events: EventStore, private readonly facts: MeetingFacts) {}
  async execute(command: SignProtocol) {
    const roster = this.facts.roster(await this.facts.meeting(command.meetingId));
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, withRoster(command, roster), command.context);
  }
}

@CommandHandler(JusteraProtocol)
export class JusteraProtocolHandler implements ICommandHandler<JusteraProtocol> {
  constructor(private readonly events: EventStore, private readonly facts: MeetingFacts) {}
  async execute(command: JusteraProtocol) {
    this.facts.assertPeople(command.signatoryIds);
    const roster = this.facts.roster(await this.facts.meeting(command.meetingId));
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, withRoster(command, roster), command.context);
  }
}
