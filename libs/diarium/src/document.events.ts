import type { DomainEvent } from '@kansli/event-store';

export type DocumentDirection = 'INKOMMANDE' | 'UTGAENDE' | 'UPPRATTAD';
export const DOCUMENT_DIRECTIONS: readonly DocumentDirection[] = ['INKOMMANDE', 'UTGAENDE', 'UPPRATTAD'];

/**
 * An allmän handling registered in the diarium (R12, OSL 5:1–2): its date, diarienummer, counterpart (sender or
 * recipient) and a short description. `registeredAt` is when it was registered; `secrecy` an OSL reference when the
 * description must not be shown to the public.
 */
export type DocumentRegistered = DomainEvent<
  'DocumentRegistered',
  {
    documentId: string;
    bodyId: string;
    dnr: string;
    date: string;
    direction: DocumentDirection;
    counterpart: string | null;
    description: string;
    secrecy: string | null;
    registeredAt: string;
  }
>;

/** A number of the body's series for the year handed out, to the document that opened the case. */
export type DiarienummerAssigned = DomainEvent<'DiarienummerAssigned', { bodyId: string; year: number; number: number; dnr: string; documentId: string }>;
/** A dnr of the series' own form brought in from elsewhere (an import): the series goes on after it. */
export type DiarienummerSeriesContinued = DomainEvent<'DiarienummerSeriesContinued', { bodyId: string; year: number; next: number; dnr: string; documentId: string }>;

export type DocumentEvent = DocumentRegistered;
export type DiarienummerRegisterEvent = DiarienummerAssigned | DiarienummerSeriesContinued;

export const documentStream = (documentId: string) => `document-${documentId}`;
/** One register per body and year: a number is handed out once, like the paragraph register of the meetings. */
export const diarienummerRegisterStream = (bodyId: string, year: number) => `dnr-register-${bodyId}-${year}`;

/** The series' own form: `YYYY-NNNN` (four digits at least, more after 9999). */
const SERIES = /^(\d{4})-(\d{4,6})$/;

export function formatDiarienummer(year: number, number: number): string {
  return `${year}-${String(number).padStart(4, '0')}`;
}

/** The year and number of a dnr of the series' form, or null for any other (an opaque, imported dnr). */
export function parseDiarienummer(dnr: string): { year: number; number: number } | null {
  const match = SERIES.exec(dnr);
  if (!match) return null;
  const year = Number(match[1]);
  const number = Number(match[2]);
  return year >= 1900 && year <= 2100 && number >= 1 ? { year, number } : null;
}
