import type { Clock } from '@kansli/api';
import type { BodyKind } from '@kansli/bodies';
import { swedishDate } from '@kansli/kernel';
import type { Ballot, DecisionOutcome } from '@kansli/meetings';

/** The words of the minutes, as Swedish boards write them. */

const TIME = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit' });
const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** "09.00", the clock as the minutes print it, in Swedish time. */
export function clock(dateTime: string): string {
  return TIME.format(new Date(dateTime)).replace(':', '.');
}

/** "kl. 09.00–15.00" (or "kl. 09.00" without an end). */
export function timeSpan(start: string, end: string | null): string {
  return end ? `kl. ${clock(start)}–${clock(end)}` : `kl. ${clock(start)}`;
}

/** "14 juni 2018" from "2018-06-14". */
export function longDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** A date-time as the auditors read it: "2018-06-14 09.00.00" in Swedish time. */
const DATE_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
export function dateTime(value: string): string {
  return DATE_TIME.format(new Date(value)).replace(/:/g, '.');
}

/** Who decides: "Styrelsen beslutar:", "Nämnden beslutar:"… */
export const DECIDES: Record<BodyKind, string> = {
  STYRELSE: 'Styrelsen beslutar',
  NAMND: 'Nämnden beslutar',
  FULLMAKTIGE: 'Fullmäktige beslutar',
  UTSKOTT: 'Utskottet beslutar',
  BEREDNINGSGRUPP: 'Beredningsgruppen beslutar',
};

export const OUTCOME: Record<DecisionOutcome, string> = {
  BIFALL: 'Bifall',
  AVSLAG: 'Avslag',
  NOTERAD: 'Noterad',
  ATERREMISS: 'Återremiss',
  BORDLAGD: 'Bordlagd',
};

export const BALLOT: Record<Ballot, string> = { JA: 'Ja', NEJ: 'Nej', AVSTAR: 'Avstår' };

export const PROTOCOL_STATUS = {
  DRAFT: 'Utkast, ej justerat',
  JUSTERAD: 'Justerat',
  ANSLAGEN: 'Justerat och anslaget',
  LAGA_KRAFT: 'Justerat; överklagandetiden har gått ut',
} as const;

/** "§ 35", "§ 35–36" or "" when the whole meeting. */
export function paragraphSpan(from: number | null, to: number | null): string {
  if (from === null && to === null) return '';
  if (from !== null && to !== null) return from === to ? `§ ${from}` : `§ ${from}–${to}`;
  return from !== null ? `från § ${from}` : `till § ${to}`;
}

let lastSecond = NaN;
let lastDay = '';

/** Today in Swedish time, by the clock (worked out once a second: every page asks). */
export function todayBy(clock: Clock): string {
  const now = clock.now().getTime();
  const second = Math.floor(now / 1000);
  if (second !== lastSecond) {
    lastDay = swedishDate(new Date(second * 1000).toISOString());
    lastSecond = second;
  }
  return lastDay;
}
