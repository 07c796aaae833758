import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand } from '@kansli/event-store';
import { RegisterPerson } from '../body.commands';
import { personStream } from '../body.events';
import { personDecider } from '../person.decider';

@CommandHandler(RegisterPerson)
export class RegisterPersonHandler implements ICommandHandler<RegisterPerson> {
  constructor(private readonly events: EventStore) {}

  execute(command: RegisterPerson) {
    return handleCommand(this.events, personStream(command.personId), personDecider, command, command.context);
  }
}
