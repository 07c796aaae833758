import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { EventStore } from '@kansli/event-store';
import { meetingStream, ProtocolType } from '@kansli/meetings';
import { LogCheckpoints } from '../log-checkpoints';

/**
 * Protocol.checkpoint: the first signed checkpoint whose tree holds the protocol's ProtocolJusterad, so that a
 * printed protocol names a root anyone can check later. Signed on the spot when the justering is newer than the
 * latest checkpoint (the scheduler also signs one right after every justering).
 */
@Resolver(() => ProtocolType)
export class ProtocolCheckpointResolver {
  constructor(
    @Inject(EventStore) private readonly events: EventStore,
    @Inject(LogCheckpoints) private readonly checkpoints: LogCheckpoints,
  ) {}

  @ResolveField(() => String, {
    nullable: true,
    description:
      'The signed checkpoint (C2SP tlog-checkpoint, as text) of the first tree that holds the justering (ProtocolJusterad); null before the ' +
      'justering, or while this replica has not yet taken it into its tree.',
  })
  async checkpoint(@Parent() protocol: ProtocolType): Promise<string | null> {
    if (!protocol.meeting.justeradAt) return null;
    const stream = await this.events.readStream(meetingStream(protocol.meeting.id), { direction: 'backwards' });
    const justering = stream.find((event) => event.type === 'ProtocolJusterad');
    if (!justering) return null;
    const leaf = this.checkpoints.tree.leafIndexOf(justering.id);
    return leaf === undefined ? null : (this.checkpoints.covering(leaf)?.note ?? null);
  }
}
