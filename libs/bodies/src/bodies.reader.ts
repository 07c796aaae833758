import { statement } from '@kansli/projections';
import type Database from 'better-sqlite3';
import type { BodyKind, MemberAppointed } from './body.events';

export interface BodyView {
  id: string;
  name: string;
  kind: BodyKind;
  seats: number;
  /** A samordningsförbund's board under FINSAM (R13 applies). */
  finsam: boolean;
}

export interface PersonView {
  id: string;
  name: string;
}

/** A membership as its MemberAppointed event states it (with any later end date). */
export type MembershipView = Omit<MemberAppointed['data'], 'membershipId'> & { id: string };

const MEMBER_ORDER = `ORDER BY CASE position WHEN 'ORDFORANDE' THEN 0 WHEN 'VICE_ORDFORANDE' THEN 1 ELSE 2 END,
  role, substitute_order, from_date, id`;

const BODY = 'SELECT id, name, kind, seats, finsam FROM rm_bodies';
type BodyRow = Omit<BodyView, 'finsam'> & { finsam: number };
const toBody = (row: BodyRow): BodyView => ({ ...row, finsam: row.finsam === 1 });

const MEMBERSHIP = `SELECT id, body_id AS bodyId, person_id AS personId, role, position, representing, party,
  substitute_order AS substituteOrder, from_date AS "from", to_date AS "to" FROM rm_memberships`;

/** Queries over the bodies read model. */
export class BodiesReader {
  constructor(private readonly db: Database.Database) {}

  body(id: string): BodyView | undefined {
    const row = statement(this.db, `${BODY} WHERE id = ?`).get(id) as BodyRow | undefined;
    return row && toBody(row);
  }

  bodies(): BodyView[] {
    return (statement(this.db, `${BODY} ORDER BY name, id`).all() as BodyRow[]).map(toBody);
  }

  person(id: string): PersonView | undefined {
    return statement(this.db, 'SELECT id, name FROM rm_persons WHERE id = ?').get(id) as PersonView | undefined;
  }

  persons(ids: readonly string[]): PersonView[] {
    if (ids.length === 0) return [];
    return statement(this.db, 'SELECT id, name FROM rm_persons WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as PersonView[];
  }

  membership(id: string): MembershipView | undefined {
    return statement(this.db, `${MEMBERSHIP} WHERE id = ?`).get(id) as MembershipView | undefined;
  }

  /**
   * Who sat on the body on a date (every membership when no date is given), chair first, then by role. With
   * `knownAt` (an instant, ISO 8601 in UTC as the store stamps `recordedAt`), as the system knew it then: only
   * appointments and ends recorded at or before it count.
   */
  members(bodyId: string, asOf?: string, knownAt?: string): MembershipView[] {
    if (knownAt !== undefined) return this.membersKnownAt(bodyId, asOf, knownAt);
    if (!asOf) return statement(this.db, `${MEMBERSHIP} WHERE body_id = ? ${MEMBER_ORDER}`).all(bodyId) as MembershipView[];
    return statement(this.db, `${MEMBERSHIP} WHERE body_id = ? AND from_date <= ? AND (to_date IS NULL OR to_date >= ?) ${MEMBER_ORDER}`)
      .all(bodyId, asOf, asOf) as MembershipView[];
  }

  private membersKnownAt(bodyId: string, asOf: string | undefined, knownAt: string): MembershipView[] {
    const rows = statement(
      this.db,
      `SELECT * FROM (
         SELECT id, body_id AS bodyId, person_id AS personId, role, position, representing, party,
           substitute_order AS substituteOrder, from_date AS "from",
           coalesce((SELECT e.to_date FROM rm_membership_ends e WHERE e.membership_id = m.id AND e.recorded_at <= @knownAt
                     ORDER BY e.recorded_at DESC, e.seq DESC LIMIT 1), m.appointed_to) AS "to"
         FROM rm_memberships m WHERE body_id = @bodyId AND recorded_at <= @knownAt)
       WHERE @asOf IS NULL OR ("from" <= @asOf AND ("to" IS NULL OR "to" >= @asOf)) ORDER BY CASE position WHEN 'ORDFORANDE' THEN 0 WHEN 'VICE_ORDFORANDE' THEN 1 ELSE 2 END, role, substituteOrder, "from", id`,
    ).all({ bodyId, knownAt, asOf: asOf ?? null });
    return rows as MembershipView[];
  }
}
