import { Injectable } from '@nestjs/common';
import { BodiesReader } from '@kansli/bodies';
import { EventStore, FoldCache, foldStream, type Folded } from '@kansli/event-store';
import { NotFound, swedishDate } from '@kansli/kernel';
import type { Roster } from './meeting.commands';
import { meetingDecider, type MeetingState } from './meeting.decider';
import { meetingStream, paragraphRegisterStream } from './meeting.events';

/** Facts from outside a meeting's stream that its commands carry: the roster of the day, the paragraph register. */
@Injectable()
export class MeetingFacts {
  /** Meetings folded recently: a command reads only the events since (a meeting has hundreds, a command adds one). */
  readonly cache = new FoldCache();

  constructor(
    private readonly events: EventStore,
    private readonly bodies: BodiesReader,
  ) {}

  async meeting(meetingId: string): Promise<MeetingState> {
    return (await this.folded(meetingId)).state;
  }

  /**
   * The meeting as this process last folded or wrote it, without reading the store; undefined if not cached.
   * Only for a first attempt whose append carries the revision: if someone wrote since, the append conflicts
   * and the command decides again on a fresh fold. A lookup of a meeting that does not exist leaves its empty
   * state in the cache: that is no meeting, and is not returned.
   */
  lastKnown(meetingId: string): Folded<MeetingState> | undefined {
    const known = this.cache.get<MeetingState>(meetingStream(meetingId), meetingDecider);
    return known?.state.meetingId ? known : undefined;
  }

  /** The meeting's stream folded, with its revision (to decide on without reading it again). */
  async folded(meetingId: string): Promise<Folded<MeetingState>> {
    const folded = await foldStream(this.events, meetingStream(meetingId), meetingDecider, this.cache);
    if (!folded.state.meetingId) throw new NotFound('Meeting', meetingId);
    return folded;
  }

  /** Who sat on the body on the meeting's day, and how many seats it has. */
  roster(meeting: MeetingState): Roster {
    const body = this.bodies.body(meeting.bodyId);
    if (!body) throw new NotFound('Body', meeting.bodyId);
    const members = this.bodies.members(meeting.bodyId, swedishDate(meeting.start));
    return {
      seats: body.seats,
      members: members.map(({ personId, role, position, party, representing, substituteOrder }) => ({ personId, role, position, party, representing, substituteOrder })),
    };
  }

  registerStream(meeting: MeetingState): string {
    return paragraphRegisterStream(meeting.bodyId, Number(swedishDate(meeting.start).slice(0, 4)));
  }

  year(meeting: MeetingState): number {
    return Number(swedishDate(meeting.start).slice(0, 4));
  }

  assertPeople(personIds: readonly (string | null)[]): void {
    for (const id of personIds) if (id && !this.bodies.person(id)) throw new NotFound('Person', id);
  }

  assertBody(bodyId: string): void {
    if (!this.bodies.body(bodyId)) throw new NotFound('Body', bodyId);
  }
}
