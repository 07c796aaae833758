import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand } from '@kansli/event-store';
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
  withRoster,
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

@CommandHandler(AddAgendaItem)
export class AddAgendaItemHandler implements ICommandHandler<AddAgendaItem> {
  constructor(private readonly events: EventStore) {}
  execute(command: AddAgendaItem) {
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command, command.context);
  }
}

@CommandHandler(CloseMeeting)
export class CloseMeetingHandler implements ICommandHandler<CloseMeeting> {
  constructor(private readonly events: EventStore) {}
  execute(command: CloseMeeting) {
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command, command.context);
  }
}

@CommandHandler(RaiseMotion)
export class RaiseMotionHandler implements ICommandHandler<RaiseMotion> {
  constructor(private readonly events: EventStore) {}
  execute(command: RaiseMotion) {
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command, command.context);
  }
}

@CommandHandler(PostAnslag)
export class PostAnslagHandler implements ICommandHandler<PostAnslag> {
  constructor(private readonly events: EventStore) {}
  execute(command: PostAnslag) {
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, command, command.context);
  }
}

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

@CommandHandler(JusteraProtocol)
export class JusteraProtocolHandler implements ICommandHandler<JusteraProtocol> {
  constructor(private readonly events: EventStore, private readonly facts: MeetingFacts) {}
  async execute(command: JusteraProtocol) {
    this.facts.assertPeople(command.signatoryIds);
    const roster = this.facts.roster(await this.facts.meeting(command.meetingId));
    return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, withRoster(command, roster), command.context);
  }
}
