import { Injectable } from '@nestjs/common';
import { BodiesReader } from '@kansli/bodies';
import { NotFound, swedishDate } from '@kansli/kernel';
import { MeetingsReader } from '@kansli/meetings';
import type { CitedDecision } from './delegation.commands';
import { DelegationReader } from './delegation.reader';
import { isPersonId, roleKey, roleNames, type RoleHolders } from './designation';

/**
 * Facts from other registers that the delegation context's commands carry to their deciders: the decision a change
 * cites (meetings), who exists (bodies), and who holds a named role on a day (board positions from the
 * membership, other roles from assignRole).
 */
@Injectable()
export class DelegationFacts {
  constructor(
    private readonly bodies: BodiesReader,
    private readonly meetings: MeetingsReader,
    private readonly delegation: DelegationReader,
  ) {}

  /** The cited decision, or null when there is none by that id (the decider answers NOT_FOUND). */
  decision(decisionId: string): CitedDecision | null {
    const decision = this.meetings.decision(decisionId);
    if (!decision) return null;
    return { decisionId, bodyId: decision.bodyId, meetingId: decision.meetingId, paragraph: decision.paragraph, date: swedishDate(decision.decidedAt) };
  }

  assertBody(bodyId: string): void {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
  }

  assertPerson(personId: string | null): void {
    if (personId !== null && !this.bodies.person(personId)) throw new NotFound('Person', personId);
  }

  /** A designation that is a person's id must name a known person; a role name may be held by nobody yet. */
  assertDesignations(designations: ReadonlyArray<string | null | undefined>): void {
    for (const designation of designations) if (designation && isPersonId(designation.trim())) this.assertPerson(designation.trim());
  }

  /** Who holds each role these designations name, in the body on the day. */
  holders(bodyId: string, date: string, designations: ReadonlyArray<string | null | undefined>): RoleHolders {
    const keys = [...new Set(roleNames(designations).map(roleKey))];
    const holders: Record<string, readonly string[]> = { ...this.delegation.roleHolders(bodyId, keys, date) };
    const positions = keys.filter((key) => key === 'ORDFORANDE' || key === 'VICE_ORDFORANDE');
    if (positions.length > 0) {
      const members = this.bodies.members(bodyId, date);
      for (const position of positions) holders[position] = members.filter((member) => member.position === position).map((member) => member.personId);
    }
    return holders;
  }
}
