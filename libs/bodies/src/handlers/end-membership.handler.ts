import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handleCommand } from '@kansli/event-store';
import { NotFound } from '@kansli/kernel';
import { EndMembership } from '../body.commands';
import { bodyDecider } from '../body.decider';
import { bodyStream } from '../body.events';
import { BodiesReader } from '../bodies.reader';

@CommandHandler(EndMembership)
export class EndMembershipHandler implements ICommandHandler<EndMembership> {
  constructor(
    private readonly events: EventStore,
    private readonly bodies: BodiesReader,
  ) {}

  execute(command: EndMembership) {
    const membership = this.bodies.membership(command.membershipId);
    if (!membership) throw new NotFound('Membership', command.membershipId);
    return handleCommand(this.events, bodyStream(membership.bodyId), bodyDecider, command, command.context);
  }
}
