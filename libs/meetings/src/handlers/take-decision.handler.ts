import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore, FoldCache, handleCommand, handleMultiStreamCommand, OneAtATime, type CommandResult, type Folded } from '@kansli/event-store';
import { TakeDecision } from '../meeting.commands';
import { meetingDecider, type MeetingState } from '../meeting.decider';
import { meetingStream, type MeetingEvent, type ParagraphRegisterEvent } from '../meeting.events';
import { MeetingFacts } from '../meeting.facts';
import { AssignParagraphNumber, paragraphRegisterDecider, type ParagraphRegister } from '../paragraph-register.decider';

/** Every decision of a body's year meets in one register: under load each round of conflicts lets one through. */
const CONTENDED = { maxRetries: 64 };

/**
 * Reserves the decision's paragraph number in the body's register for the year and records the decision in
 * the meeting. Two decisions at the same moment meet in the register's expected revision: one gets the number,
 * the other decides again with the next. Where the engine can, both are one atomic append (one durable commit),
 * so a crash can never leave a number reserved without its decision.
 */
@CommandHandler(TakeDecision)
export class TakeDecisionHandler implements ICommandHandler<TakeDecision> {
  /** Where each body's register stood after this process's last decision in it. */
  private readonly registers = new FoldCache();
  /** Two-step engines: this process's decisions in one register, one at a time. */
  private readonly lanes = new OneAtATime();

  constructor(
    private readonly events: EventStore,
    private readonly facts: MeetingFacts,
  ) {}

  async execute(command: TakeDecision) {
    if (!this.events.capabilities.atomicMultiStreamAppend) return this.inTwoSteps(command);
    const stream = meetingStream(command.meetingId);
    const { folded, register, numbers, decided, assigned, appended } = await handleMultiStreamCommand(
      this.events,
      async (attempt) => {
        // A first attempt decides on what this process last saw of the meeting and the register, unread: the
        // appends carry the revisions decided on, so anything written since makes them conflict and the retry
        // reads afresh. A refusal on what may be stale is not trusted either: it is decided again on a fresh read.
        const known = attempt === 0 ? this.facts.lastKnown(command.meetingId) : undefined;
        if (known) {
          const register = this.facts.registerStream(known.state);
          const numbers = this.registers.get<ParagraphRegister>(register, paragraphRegisterDecider);
          if (numbers) {
            try {
              return this.decide(command, known, register, numbers);
            } catch {
              // decided again below, on a fresh read
            }
          }
        }
        const folded = await this.facts.folded(command.meetingId);
        const register = this.facts.registerStream(folded.state);
        return this.decide(command, folded, register, await this.registerState(register));
      },
      command.context,
      CONTENDED,
    );
    const state = decided.reduce(meetingDecider.evolve, folded.state);
    const [registerAppend, meetingAppend] = appended;
    this.facts.cache.set(stream, meetingDecider, { state, revision: meetingAppend.nextExpectedRevision });
    this.registers.set(register, paragraphRegisterDecider, { state: assigned.reduce(paragraphRegisterDecider.evolve, numbers.state), revision: registerAppend.nextExpectedRevision });
    return { events: decided, state, appended: meetingAppend };
  }

  /** The next number from the register and the decision that takes it, as one append to both streams. */
  private decide(command: TakeDecision, folded: Folded<MeetingState>, register: string, numbers: Folded<ParagraphRegister>) {
    const assigned = paragraphRegisterDecider.decide(this.assignment(command, folded), numbers.state);
    const paragraph = assigned.reduce(paragraphRegisterDecider.evolve, numbers.state).next - 1;
    const decided = meetingDecider.decide(command.resolved(paragraph, this.facts.roster(folded.state)), folded.state);
    const parts = [
      { stream: register, events: assigned, revision: numbers.revision },
      { stream: meetingStream(command.meetingId), events: decided, revision: folded.revision },
    ];
    return { folded, register, numbers, decided, assigned, parts };
  }

  /**
   * Engines without an atomic append to several streams: check the decision with the next free number, reserve
   * it, then record the decision. This process's decisions in one register go one at a time, so that only other
   * replicas contend for it, each round of them letting one through. A reserved number is never given up on a
   * conflict: the decision is decided again with that number until it is recorded (each conflict means another
   * append to the meeting went through). Only a refusal after the reservation (the meeting closed in between), or
   * the process or server going away between the two appends, can leave the number without its decision.
   */
  private async inTwoSteps(command: TakeDecision): Promise<CommandResult<MeetingEvent, MeetingState>> {
    // The register's name (body and year) from the meeting as last seen here, else as read now; the fold in the
    // lane reads what is new, and if the meeting has moved to another year since, it queues in that year's lane.
    const seen = this.facts.lastKnown(command.meetingId) ?? (await this.facts.folded(command.meetingId));
    const register = this.facts.registerStream(seen.state);
    return this.lanes.run(register, async () => {
      const folded = await this.facts.folded(command.meetingId);
      if (this.facts.registerStream(folded.state) !== register) return this.inTwoSteps(command);
      const meeting = folded.state;
      const roster = this.facts.roster(meeting);
      const numbers = this.registers.get<ParagraphRegister>(register, paragraphRegisterDecider) ?? (await this.registerState(register));
      // Checked before a number is reserved, with one free in the meeting as just read: this replica's view of
      // the register may be behind another replica's, which the reservation below finds out.
      const free = Math.max(numbers.state.next, meeting.firstParagraph ?? 1, ...meeting.paragraphs.map((paragraph) => paragraph + 1));
      meetingDecider.decide(command.resolved(free, roster), meeting);
      const reserved = await handleCommand(this.events, register, paragraphRegisterDecider, this.assignment(command, folded), command.context, {
        ...CONTENDED,
        folded: numbers,
        cache: this.registers,
      });
      const decision = command.resolved(reserved.state.next - 1, roster);
      return handleCommand(this.events, meetingStream(command.meetingId), meetingDecider, decision, command.context, {
        maxRetries: Number.POSITIVE_INFINITY,
        folded,
        cache: this.facts.cache,
      });
    });
  }

  private assignment(command: TakeDecision, { state }: Folded<MeetingState>): AssignParagraphNumber {
    return new AssignParagraphNumber(state.bodyId, this.facts.year(state), command.meetingId, command.decisionId);
  }

  /** The register's state comes from its last event alone: read that one, not the year's every paragraph. */
  private async registerState(stream: string): Promise<Folded<ParagraphRegister>> {
    const [last] = await this.events.readStream(stream, { direction: 'backwards', maxCount: 1 });
    if (!last) return { state: paragraphRegisterDecider.initialState(), revision: 'no_stream' };
    return { state: paragraphRegisterDecider.evolve(paragraphRegisterDecider.initialState(), last as unknown as ParagraphRegisterEvent), revision: last.revision };
  }
}
