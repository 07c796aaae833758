import type { EventStore, EventSubscription } from '@kansli/event-store';
import type { ProjectionRunner } from '@kansli/projections';
import type { LogCheckpoints } from './log-checkpoints';

/** The event whose checkpoint a protocol names: a checkpoint is signed right after each. */
export const JUSTERING_EVENT = 'ProtocolJusterad';

/**
 * When the log signs: every `intervalMs` if the tree has grown (a timer in the server, not in a projection), and
 * right after every justering, so that the protocol's checkpoint exists as soon as the minutes do. The deciders
 * know nothing of it: the justering is seen on a subscription to the log.
 */
export class CheckpointScheduler {
  private timer?: NodeJS.Timeout;
  private subscription?: EventSubscription;
  private following?: Promise<void>;

  constructor(
    private readonly checkpoints: LogCheckpoints,
    private readonly events: EventStore,
    private readonly readModels: ProjectionRunner,
    private readonly intervalMs: number,
    private readonly report: (error: unknown) => void = (error) => console.error(`checkpoint: ${(error as Error)?.message ?? String(error)}`),
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    const subscription = this.events.subscribeToAll({ fromPosition: 'end', filter: { eventTypes: [JUSTERING_EVENT] } });
    this.subscription = subscription;
    this.following = (async () => {
      try {
        for await (const justering of subscription) {
          // A replica takes the event into its tree with the read models; the embedded engine already has.
          await this.readModels.waitFor(justering.position);
          const leaf = this.checkpoints.tree.leafIndexOf(justering.id);
          if (leaf !== undefined) this.guard(() => this.checkpoints.covering(leaf));
        }
      } catch (error) {
        this.report(error);
      }
    })();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.close();
    await this.following;
  }

  private tick(): void {
    this.guard(() => this.checkpoints.issue());
  }

  private guard(sign: () => unknown): void {
    try {
      sign();
    } catch (error) {
      this.report(error);
    }
  }
}
