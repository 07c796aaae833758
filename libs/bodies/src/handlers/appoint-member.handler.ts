import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, foldStream, handleCommand } from '@kansli/event-store';
import { InvalidInput, NotFound } from '@kansli/kernel';
import { AppointMember, RegisterPerson } from '../body.commands';
import { bodyDecider } from '../body.decider';
import { bodyStream, personStream } from '../body.events';
import { personDecider } from '../person.decider';

/** Appoints a known person, or registers a new one by name first — only once the appointment is known to be valid. */
@CommandHandler(AppointMember)
export class AppointMemberHandler implements ICommandHandler<AppointMember> {
  constructor(private readonly events: EventStore) {}

  async execute(command: AppointMember) {
    if (command.personId) {
      const person = await foldStream(this.events, personStream(command.personId), personDecider);
      if (!person.state.registered) throw new NotFound('Person', command.personId);
      return handleCommand(this.events, bodyStream(command.bodyId), bodyDecider, command.withPerson(command.personId), command.context);
    }
    if (!command.personName) throw new InvalidInput('Give either personId or personName');
    const personId = randomUUID();
    const appointment = command.withPerson(personId);
    const body = await foldStream(this.events, bodyStream(command.bodyId), bodyDecider);
    bodyDecider.decide(appointment, body.state);
    await handleCommand(this.events, personStream(personId), personDecider, new RegisterPerson(personId, command.personName, command.context), command.context);
    return handleCommand(this.events, bodyStream(command.bodyId), bodyDecider, appointment, command.context);
  }
}
