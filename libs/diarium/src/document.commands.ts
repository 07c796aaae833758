import type { CommandContext } from '@kansli/event-store';
import type { DocumentDirection } from './document.events';

export interface DocumentFields {
  date: string;
  direction: DocumentDirection;
  counterpart: string | null;
  description: string;
  secrecy: string | null;
}

/**
 * R12: register a document. Without `dnr` the handler takes the next number of the body's series for the year of
 * `registeredAt` (Swedish time) and `resolved` carries it; `today` is the Swedish day of `registeredAt`.
 */
export class RegisterDocument {
  constructor(
    readonly documentId: string,
    readonly bodyId: string,
    readonly dnr: string | null,
    readonly fields: DocumentFields,
    readonly registeredAt: string,
    readonly today: string,
    readonly context: CommandContext,
  ) {}

  /** The command with the dnr it will carry (the given one, or the one the register handed out). */
  withDnr(dnr: string): RegisterDocument {
    return new RegisterDocument(this.documentId, this.bodyId, dnr, this.fields, this.registeredAt, this.today, this.context);
  }
}

/** The register's side of a registration: the next number, or an imported number of the series' form to go on after. */
export class TakeDiarienummer {
  constructor(
    readonly bodyId: string,
    readonly year: number,
    readonly documentId: string,
    /** A given dnr of the series' own form for this year; null: hand out the next number. */
    readonly imported: { dnr: string; number: number } | null,
  ) {}
}
