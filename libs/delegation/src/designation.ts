/**
 * Who a delegation or an attest rule names: a person's id, or a role name that whoever holds the role on the day
 * fills. `ORDFORANDE` and `VICE_ORDFORANDE` (also written "ordförande", "vice ordförande") are the board positions
 * of the membership; any other role ("Förbundschef") is held through assignRole. Role names compare without case.
 */

/** The board positions a role name may stand for. */
export type Position = 'ORDFORANDE' | 'VICE_ORDFORANDE';

/** Who holds each role on one day: the role's key (roleKey) to the people holding it. */
export type RoleHolders = Readonly<Record<string, readonly string[]>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const POSITION_NAMES: Readonly<Record<string, Position>> = {
  ordforande: 'ORDFORANDE',
  'ordförande': 'ORDFORANDE',
  vice_ordforande: 'VICE_ORDFORANDE',
  'vice ordforande': 'VICE_ORDFORANDE',
  'vice ordförande': 'VICE_ORDFORANDE',
  'vice_ordförande': 'VICE_ORDFORANDE',
};

/** Person ids are UUIDs; a role name never is one. */
export function isPersonId(designation: string): boolean {
  return UUID.test(designation);
}

/** The key a role name is held under: a board position, or the name in lower case with single spaces. */
export function roleKey(name: string): string {
  const key = name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv-SE');
  return POSITION_NAMES[key] ?? key;
}

export function positionOf(name: string): Position | undefined {
  const key = roleKey(name);
  return key === 'ORDFORANDE' || key === 'VICE_ORDFORANDE' ? key : undefined;
}

/** Whether the person is the one named, or holds the named role on the day the holders are of. */
export function fills(designation: string | null, personId: string, holders: RoleHolders): boolean {
  if (designation === null) return false;
  if (isPersonId(designation)) return designation === personId;
  return (holders[roleKey(designation)] ?? []).includes(personId);
}

/** The role names among designations (what a handler must find the holders of). */
export function roleNames(designations: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(designations.filter((d): d is string => !!d && !isPersonId(d)))];
}

/** The designations that are people (for the timeline's person index). */
export function namedPersonIds(designations: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(designations.filter((d): d is string => !!d && isPersonId(d)))];
}
