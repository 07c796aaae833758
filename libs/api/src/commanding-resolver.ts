import type { CommandBus } from '@nestjs/cqrs';
import type { CommandResult, DomainEvent } from '@kansli/event-store';
import { swedishDate } from '@kansli/kernel';
import type { ProjectionRunner } from '@kansli/projections';
import type { Clock } from './clock';
import { commandContext, type RequestContext } from './request-context';

/**
 * The base of a context's resolvers that send commands: runs a command through the CommandBus and waits until its
 * events are in the read models, so that the mutation answers with its read model already updated
 * (read-your-writes). On EventStoreDB the command first waits until the replica has caught up with the log. The command's business time defaults to the server's clock, read here, never in a decider.
 */
export abstract class CommandingResolver {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly readModels: ProjectionRunner,
    protected readonly clock: Clock,
  ) {}

  /** The command context of this request, at `occurredAt` or now. */
  protected context(request: RequestContext, occurredAt?: string) {
    return commandContext(request, occurredAt ?? this.now());
  }

  protected now(): string {
    return this.clock.now().toISOString();
  }

  /** Today in Sweden. */
  protected today(): string {
    return swedishDate(this.now());
  }

  /**
   * Runs the command once this replica's read models hold the log as it stands (scale-out mode: another replica
   * may have written what the command's handler looks up in them), then waits for the command's own events.
   */
  protected async run(command: object): Promise<void> {
    await this.readModels.caughtUp();
    const result = await this.commands.execute<object, CommandResult<DomainEvent, unknown>>(command);
    await this.readModels.settled(result);
  }
}
