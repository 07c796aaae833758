import type { Decider } from '@kansli/event-store';
import { Conflict, InvalidInput, isIsoDate, RuleViolation } from '@kansli/kernel';
import { RegisterDocument, TakeDiarienummer } from './document.commands';
import { formatDiarienummer, type DiarienummerRegisterEvent, type DocumentEvent } from './document.events';

/** Documented limits of a document's texts (longer is BAD_USER_INPUT). */
export const DOCUMENT_LIMITS = { dnr: 50, description: 2000, counterpart: 200, secrecy: 100 } as const;

/** An OSL reference names a chapter and a section: "OSL 21:1", "21 kap. 1 § OSL". */
const OSL_REFERENCE = /\d+\s*(:|kap\.?)\s*\d+/;
// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface DocumentState {
  registered: boolean;
}

// R12 (OSL 5:1–2): an allmän handling is registered with its date, diarienummer, counterpart (the sender of an
// incoming document, the recipient of an outgoing one) and a short description. A document is registered once.
export const documentDecider: Decider<RegisterDocument, DocumentEvent, DocumentState> = {
  initialState: () => ({ registered: false }),
  evolve: () => ({ registered: true }),
  decide(command, state) {
    if (state.registered) throw new Conflict(`Document ${command.documentId} is already registered`);
    const { fields } = command;
    const dnr = command.dnr?.trim() ?? '';
    if (dnr === '') throw new RuleViolation('R12', 'A document is registered under a diarienummer');
    if (dnr.length > DOCUMENT_LIMITS.dnr) throw new InvalidInput(`dnr must be 1–${DOCUMENT_LIMITS.dnr} characters, got ${dnr.length}`);
    if (CONTROL.test(dnr)) throw new InvalidInput('dnr must not contain control characters or line breaks');
    if (!isIsoDate(fields.date) || fields.date < '1900-01-01') throw new InvalidInput(`date must be a date from 1900-01-01, got ${JSON.stringify(fields.date)}`);
    if (fields.date > command.today) {
      throw new InvalidInput(`The document's date ${fields.date} is in the future (today is ${command.today}): register a document once it exists`);
    }
    const description = fields.description.trim();
    if (description === '') throw new RuleViolation('R12', 'A document is registered with a short description of what it is');
    if (description.length > DOCUMENT_LIMITS.description) throw new InvalidInput(`description must be at most ${DOCUMENT_LIMITS.description} characters`);
    const counterpart = fields.counterpart?.trim() || null;
    if (counterpart === null && fields.direction !== 'UPPRATTAD') {
      const who = fields.direction === 'INKOMMANDE' ? 'its sender' : 'its recipient';
      throw new RuleViolation('R12', `An ${fields.direction === 'INKOMMANDE' ? 'incoming' : 'outgoing'} document is registered with ${who} (counterpart)`);
    }
    if (counterpart !== null && counterpart.length > DOCUMENT_LIMITS.counterpart) throw new InvalidInput(`counterpart must be at most ${DOCUMENT_LIMITS.counterpart} characters`);
    const secrecy = fields.secrecy?.trim() || null;
    if (secrecy !== null && (secrecy.length > DOCUMENT_LIMITS.secrecy || !OSL_REFERENCE.test(secrecy) || CONTROL.test(secrecy))) {
      throw new InvalidInput(`secrecy must be an OSL reference of at most ${DOCUMENT_LIMITS.secrecy} characters, such as "OSL 21:1"`);
    }
    return [
      {
        type: 'DocumentRegistered',
        data: {
          documentId: command.documentId,
          bodyId: command.bodyId,
          dnr,
          date: fields.date,
          direction: fields.direction,
          counterpart,
          description,
          secrecy,
          registeredAt: command.registeredAt,
        },
      },
    ];
  },
};

/** Where the body's series for the year stands. It depends on the register's last event only. */
export interface DiarienummerRegister {
  next: number;
}

// R12's diarienummer: the body's series `YYYY-NNNN` per year, each number handed out once; an imported dnr of the
// series' form moves the series past it, so the series never hands out a number that is already in use.
export const diarienummerRegisterDecider: Decider<TakeDiarienummer, DiarienummerRegisterEvent, DiarienummerRegister> = {
  initialState: () => ({ next: 1 }),
  evolve: (_state, event) => ({ next: event.type === 'DiarienummerSeriesContinued' ? event.data.next : event.data.number + 1 }),
  decide(command, state) {
    const { bodyId, year, documentId, imported } = command;
    if (imported) {
      return imported.number < state.next ? [] : [{ type: 'DiarienummerSeriesContinued', data: { bodyId, year, next: imported.number + 1, dnr: imported.dnr, documentId } }];
    }
    return [{ type: 'DiarienummerAssigned', data: { bodyId, year, number: state.next, dnr: formatDiarienummer(year, state.next), documentId } }];
  },
};
