import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { BodiesReader } from '@kansli/bodies';
import { EventStore, handleCommand, handleMultiStreamCommand, OneAtATime, type Folded } from '@kansli/event-store';
import { NotFound } from '@kansli/kernel';
import { RegisterDocument, TakeDiarienummer } from '../document.commands';
import { diarienummerRegisterDecider, documentDecider, type DiarienummerRegister } from '../document.decider';
import {
  diarienummerRegisterStream,
  documentStream,
  formatDiarienummer,
  parseDiarienummer,
  type DiarienummerRegisterEvent,
} from '../document.events';

/** Registrations of one body's year meet in one register: under load each round of conflicts lets one through. */
const CONTENDED = { maxRetries: 64 };

/**
 * R12: registers a document under its dnr. Without one, the next number of the body's series for the year is taken
 * from the register (a stream per body and year) and the document registered with it, in one atomic append where
 * the engine can, so a number is never handed out twice nor lost. A given dnr is kept as written; one of the
 * series' own form moves the series past it.
 */
@CommandHandler(RegisterDocument)
export class RegisterDocumentHandler implements ICommandHandler<RegisterDocument> {
  /** Two-step engines: this process's numbers from one register, one at a time (only replicas contend). */
  private readonly lanes = new OneAtATime();

  constructor(
    private readonly events: EventStore,
    private readonly bodies: BodiesReader,
  ) {}

  async execute(command: RegisterDocument) {
    if (!this.bodies.body(command.bodyId)) throw new NotFound('Body', command.bodyId);
    const given = command.dnr?.trim() || null;
    const series = given === null ? null : parseDiarienummer(given);
    const take = given === null || series !== null
      ? new TakeDiarienummer(command.bodyId, series?.year ?? Number(command.today.slice(0, 4)), command.documentId, series && { dnr: given!, number: series.number })
      : null;
    if (!this.events.capabilities.atomicMultiStreamAppend) return this.inTwoSteps(command, given, take);
    const stream = documentStream(command.documentId);
    const { decided, appended } = await handleMultiStreamCommand(
      this.events,
      async () => {
        if (!take) {
          const decided = documentDecider.decide(command.withDnr(given!), documentDecider.initialState());
          return { decided, parts: [{ stream, events: decided, revision: 'no_stream' as const }] };
        }
        const register = diarienummerRegisterStream(take.bodyId, take.year);
        const numbers = await this.registerState(register);
        const taken = diarienummerRegisterDecider.decide(take, numbers.state);
        const dnr = given ?? taken.map((event) => event.data.dnr)[0];
        const decided = documentDecider.decide(command.withDnr(dnr), documentDecider.initialState());
        return { decided, parts: [{ stream: register, events: taken, revision: numbers.revision }, { stream, events: decided, revision: 'no_stream' as const }] };
      },
      command.context,
      CONTENDED,
    );
    return { events: decided, state: { registered: true }, appended: appended[appended.length - 1] };
  }

  /** Engines without an atomic append to several streams: check the document, take the number, then register it. */
  private async inTwoSteps(command: RegisterDocument, given: string | null, take: TakeDiarienummer | null) {
    documentDecider.decide(command.withDnr(given ?? formatDiarienummer(take!.year, 1)), documentDecider.initialState());
    let dnr = given;
    if (take) {
      const register = diarienummerRegisterStream(take.bodyId, take.year);
      const taken = await this.lanes.run(register, async () =>
        handleCommand(this.events, register, diarienummerRegisterDecider, take, command.context, { ...CONTENDED, folded: await this.registerState(register) }),
      );
      dnr ??= formatDiarienummer(take.year, taken.state.next - 1);
    }
    return handleCommand(this.events, documentStream(command.documentId), documentDecider, command.withDnr(dnr!), command.context);
  }

  /** The register's state comes from its last event alone. */
  private async registerState(stream: string): Promise<Folded<DiarienummerRegister>> {
    const [last] = await this.events.readStream(stream, { direction: 'backwards', maxCount: 1 });
    if (!last) return { state: diarienummerRegisterDecider.initialState(), revision: 'no_stream' };
    return { state: diarienummerRegisterDecider.evolve(diarienummerRegisterDecider.initialState(), last as unknown as DiarienummerRegisterEvent), revision: last.revision };
  }
}

