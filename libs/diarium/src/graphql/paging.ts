import { InvalidInput } from '@kansli/kernel';

const MAX_PAGE = 100;

/** `first` of a connection: 20 when left out, 1 to 100. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new InvalidInput(`first must be from 1 to ${MAX_PAGE}`);
  return size;
}

/** A cursor of a list in the order rows were written (their `seq`). */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

export function decodeSeqCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || cursor.length > 40) throw new InvalidInput('after is not a cursor this list gave out');
  return Number(match[1]);
}
