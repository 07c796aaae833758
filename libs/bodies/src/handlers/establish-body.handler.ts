import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand } from '@kansli/event-store';
import { EstablishBody } from '../body.commands';
import { bodyDecider } from '../body.decider';
import { bodyStream } from '../body.events';

@CommandHandler(EstablishBody)
export class EstablishBodyHandler implements ICommandHandler<EstablishBody> {
  constructor(private readonly events: EventStore) {}

  execute(command: EstablishBody) {
    return handleCommand(this.events, bodyStream(command.bodyId), bodyDecider, command, command.context);
  }
}
