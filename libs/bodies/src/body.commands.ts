import type { CommandContext } from '@kansli/event-store';
import type { BodyKind, MemberPosition, MemberRole } from './body.events';

export class EstablishBody {
  constructor(
    readonly bodyId: string,
    readonly name: string,
    readonly kind: BodyKind,
    readonly seats: number,
    readonly context: CommandContext,
    /** A samordningsförbund's board under FINSAM (R13 applies). */
    readonly finsam = false,
  ) {}
}

export class AppointMember {
  constructor(
    readonly bodyId: string,
    readonly membershipId: string,
    /** An existing person, or `personName` to register a new one. */
    readonly personId: string | null,
    readonly personName: string | null,
    readonly role: MemberRole,
    readonly position: MemberPosition | null,
    readonly representing: string | null,
    readonly party: string | null,
    readonly substituteOrder: number | null,
    readonly from: string,
    readonly to: string | null,
    readonly context: CommandContext,
  ) {}

  /** The same appointment, of a person who now has an id. */
  withPerson(personId: string): AppointMember & { personId: string } {
    return Object.assign(Object.create(AppointMember.prototype) as AppointMember, this, { personId, personName: null }) as AppointMember & {
      personId: string;
    };
  }
}

export class EndMembership {
  constructor(
    readonly membershipId: string,
    readonly to: string,
    readonly context: CommandContext,
  ) {}
}

export class RegisterPerson {
  constructor(
    readonly personId: string,
    readonly name: string,
    readonly context: CommandContext,
  ) {}
}
