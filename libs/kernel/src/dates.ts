/** Calendar dates (`YYYY-MM-DD`) as the minutes write them; compared as strings, which sorts correctly. */
export type IsoDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

// Building an Intl formatter costs far more than formatting with one: build it once.
const SWEDISH_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

// A meeting's start is turned into its day on every command and read of it: remember the recent answers.
const swedishDays = new Map<string, IsoDate>();
const REMEMBERED_DAYS = 10_000;

/** The calendar date of a date-time in Swedish time (the minutes' own calendar). */
export function swedishDate(dateTime: string): IsoDate {
  let day = swedishDays.get(dateTime);
  if (day === undefined) {
    day = SWEDISH_DAY.format(new Date(dateTime));
    if (swedishDays.size >= REMEMBERED_DAYS) swedishDays.clear();
    swedishDays.set(dateTime, day);
  }
  return day;
}
