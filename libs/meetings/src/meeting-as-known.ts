import Database from 'better-sqlite3';
import type { EventStore } from '@kansli/event-store';
import { handles } from '@kansli/projections';
import { meetingStream } from './meeting.events';
import { meetingsProjection } from './meetings.projection';
import { MeetingsReader, type MeetingView } from './meetings.reader';

/** A meeting as the system knew it at an instant, with a reader over that knowledge for the rest of the query. */
export interface KnownMeeting {
  meeting: MeetingView;
  reader: MeetingsReader;
}

/**
 * `meeting(id, knownAt)`: the meeting's events recorded at or before `knownAt`, applied by the meetings projection
 * itself to a read model in memory, so that the answer is by construction what the read model said then (the
 * kallelse as sent, before the minutes were written) and every field reads it the way it reads the live one.
 * A meeting has a few hundred events: reading its stream and applying them costs a few milliseconds.
 */
export class MeetingsAsKnown {
  constructor(
    private readonly store: EventStore,
    private readonly personName: (personId: string) => string | undefined,
  ) {}

  /** `knownAt` is an instant in UTC as the store stamps `recordedAt`; undefined when nothing of the meeting was known yet. */
  async meeting(meetingId: string, knownAt: string): Promise<KnownMeeting | undefined> {
    const events = await this.store.readStream(meetingStream(meetingId));
    const known = events.filter((event) => event.recordedAt <= knownAt);
    if (known.length === 0) return undefined;
    const db = new Database(':memory:');
    meetingsProjection.setup?.(db);
    for (const event of known) if (handles(meetingsProjection, event.type)) meetingsProjection.apply(db, event);
    const reader = remembering(new MeetingsReader(db, this.personName));
    const meeting = reader.meeting(meetingId);
    return meeting && { meeting, reader };
  }
}

const knownBy = new WeakMap<object, MeetingsReader>();

/**
 * The reader a view came from when it belongs to a meeting as known at an earlier time (its decisions, motions,
 * agenda… are read from that same knowledge); the live reader otherwise.
 */
export function readerOf(view: object, live: MeetingsReader): MeetingsReader {
  return knownBy.get(view) ?? live;
}

/** A reader whose every answer (and every item of a list it answers) remembers the reader it came from. */
function remembering(reader: MeetingsReader): MeetingsReader {
  const proxy: MeetingsReader = new Proxy(reader, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...parameters: unknown[]) => unknown).apply(target, args);
        for (const item of Array.isArray(result) ? result : [result]) if (item !== null && typeof item === 'object') knownBy.set(item, proxy);
        return result;
      };
    },
  });
  return proxy;
}
