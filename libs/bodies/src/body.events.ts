import type { DomainEvent } from '@kansli/event-store';

export type BodyKind = 'STYRELSE' | 'NAMND' | 'FULLMAKTIGE' | 'UTSKOTT' | 'BEREDNINGSGRUPP';
export type MemberRole = 'LEDAMOT' | 'ERSATTARE';
export type MemberPosition = 'ORDFORANDE' | 'VICE_ORDFORANDE';

/** `finsam`: a samordningsförbund's board under FINSAM, where R13 applies; absent in events recorded before it existed (false). */
export type BodyEstablished = DomainEvent<'BodyEstablished', { bodyId: string; name: string; kind: BodyKind; seats: number; finsam?: boolean }>;

export type MemberAppointed = DomainEvent<
  'MemberAppointed',
  {
    bodyId: string;
    membershipId: string;
    personId: string;
    role: MemberRole;
    position: MemberPosition | null;
    representing: string | null;
    party: string | null;
    substituteOrder: number | null;
    from: string;
    to: string | null;
  }
>;

export type MembershipEnded = DomainEvent<'MembershipEnded', { bodyId: string; membershipId: string; to: string }>;

export type BodyEvent = BodyEstablished | MemberAppointed | MembershipEnded;

export type PersonRegistered = DomainEvent<'PersonRegistered', { personId: string; name: string }>;

export type PersonEvent = PersonRegistered;

export const bodyStream = (bodyId: string) => `body-${bodyId}`;
export const personStream = (personId: string) => `person-${personId}`;
