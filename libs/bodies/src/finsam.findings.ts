import { addDays } from '@kansli/kernel';
import type { MemberRole } from './body.events';

/** The four kinds of member organisation FINSAM (2003:1210) names: the state's two agencies, regions, kommuner. */
export type MemberOrganisationKind = 'FORSAKRINGSKASSAN' | 'ARBETSFORMEDLINGEN' | 'REGION' | 'KOMMUN';

/**
 * Which kind of FINSAM member an organisation is, from the name the records give it ("Region Västerbotten",
 * "Skellefteå kommun", "Norsjö Kommun", "Västerbottens läns landsting" before regions existed); null when the
 * name says none of them.
 */
export function memberOrganisationKind(name: string): MemberOrganisationKind | null {
  const lower = name.toLocaleLowerCase('sv');
  if (lower.includes('försäkringskassan')) return 'FORSAKRINGSKASSAN';
  if (lower.includes('arbetsförmedlingen')) return 'ARBETSFORMEDLINGEN';
  if (/^region\b/.test(lower) || lower.includes('landsting')) return 'REGION';
  if (lower.includes('kommun')) return 'KOMMUN';
  return null;
}

const KIND_NAMES: Record<MemberOrganisationKind, string> = {
  FORSAKRINGSKASSAN: 'Försäkringskassan',
  ARBETSFORMEDLINGEN: 'Arbetsförmedlingen',
  REGION: 'a region',
  KOMMUN: 'a kommun',
};

export interface SeatPeriod {
  role: MemberRole;
  representing: string | null;
  from: string;
  to: string | null;
}

export interface MemberFinding {
  rule: 'R13';
  message: string;
  expected: string;
  actual: string;
  /** The period the gap lasted, clipped to the period asked about; `to` null while it lasts. */
  from: string;
  to: string | null;
}

const LAST_DAY = '9999-12-31';

/**
 * R13, members: on every day from the board's first appointment, each member organisation it has ever had
 * (by `representing`) has at least one ledamot and one ersättare, and Försäkringskassan, Arbetsförmedlingen,
 * a region and a kommun are among the organisations then represented. A gap is one finding for as long as it
 * lasts. Only days within `period` count.
 */
export function finsamMemberFindings(seats: readonly SeatPeriod[], period: { from?: string; to?: string } = {}): MemberFinding[] {
  if (seats.length === 0) return [];
  const organisations = [...new Set(seats.map((seat) => seat.representing).filter((name): name is string => name !== null))].sort();
  // The composition changes only on a first day or on the day after a last day.
  const changes = [...new Set(seats.flatMap((seat) => (seat.to ? [seat.from, addDays(seat.to, 1)] : [seat.from])))].sort();
  const start = maxDate(changes[0], period.from);
  const end = period.to ?? LAST_DAY;
  if (start > end) return [];
  const open = new Map<string, MemberFinding>();
  const findings: MemberFinding[] = [];
  const boundaries = [start, ...changes.filter((day) => day > start && day <= end)];
  for (let i = 0; i < boundaries.length; i++) {
    const day = boundaries[i];
    const lastDay = i + 1 < boundaries.length ? addDays(boundaries[i + 1], -1) : period.to ?? null;
    const seated = seats.filter((seat) => seat.from <= day && (seat.to ?? LAST_DAY) >= day);
    const gaps = gapsOn(seated, organisations);
    for (const key of open.keys()) {
      if (!gaps.has(key)) open.delete(key);
    }
    for (const [key, gap] of gaps) {
      const running = open.get(key);
      if (running) {
        running.to = lastDay;
      } else {
        const finding: MemberFinding = { rule: 'R13', ...gap, from: day, to: lastDay };
        open.set(key, finding);
        findings.push(finding);
      }
    }
  }
  return findings.map((finding) => ({ ...finding, message: `${finding.message} ${during(finding)}` }));
}

function gapsOn(seated: readonly SeatPeriod[], organisations: readonly string[]): Map<string, { message: string; expected: string; actual: string }> {
  const gaps = new Map<string, { message: string; expected: string; actual: string }>();
  for (const organisation of organisations) {
    const roles = new Set(seated.filter((seat) => seat.representing === organisation).map((seat) => seat.role));
    const missing = [roles.has('LEDAMOT') ? null : 'ledamot', roles.has('ERSATTARE') ? null : 'ersättare'].filter((role) => role !== null);
    if (missing.length > 0) {
      gaps.set(`organisation:${organisation}:${missing.join('+')}`, {
        message: `${organisation} has no ${missing.join(' and no ')} on the board`,
        expected: 'at least one ledamot and one ersättare for each member organisation',
        actual: `no ${missing.join(' and no ')} for ${organisation}`,
      });
    }
  }
  const represented = new Set(seated.map((seat) => seat.representing && memberOrganisationKind(seat.representing)));
  for (const kind of Object.keys(KIND_NAMES) as MemberOrganisationKind[]) {
    if (!represented.has(kind)) {
      gaps.set(`kind:${kind}`, {
        message: `No member of the board represents ${KIND_NAMES[kind]}`,
        expected: 'members from Försäkringskassan, Arbetsförmedlingen, at least one region and at least one kommun',
        actual: `none from ${KIND_NAMES[kind]}`,
      });
    }
  }
  return gaps;
}

function maxDate(a: string, b: string | undefined): string {
  return b !== undefined && b > a ? b : a;
}

function during({ from, to }: { from: string; to: string | null }): string {
  if (to === null) return `from ${from}.`;
  return from === to ? `on ${from}.` : `from ${from} to ${to}.`;
}
