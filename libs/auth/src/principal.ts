/** The roles of API.md's "Who may call what". */
export const ROLES = ['ADMIN', 'SEKRETERARE', 'LEDAMOT', 'REVISOR', 'DIARIUM'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the token's subject, its roles, and the person it is when the system knows them. */
export interface Principal {
  sub: string;
  roles: Role[];
  personId: string | null;
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
