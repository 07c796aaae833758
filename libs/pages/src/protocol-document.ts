import type { BodiesReader, BodyView, MembershipView } from '@kansli/bodies';
import { swedishDate } from '@kansli/kernel';
import type { AttendanceView, Ballot, DecisionOutcome, MeetingsReader, MeetingView } from '@kansli/meetings';
import type { TimelineReader } from '@kansli/audit';
import { paragraphSpan, timeSpan } from './swedish';

/** One line of an attendance list: "Bertil Almgren, ordförande" with the organisation and the paragraphs. */
export interface AttendanceLine {
  name: string;
  /** "ordförande", "ledamot", "ers. för Anders Eriksson"… */
  detail: string | null;
  representing: string | null;
  /** "§ 35" when present for some paragraphs only. */
  paragraphs: string | null;
}

export interface ParagraphCorrection {
  field: string;
  from: string;
  to: string;
  reason: string;
  correctedAt: string;
}

export interface Paragraph {
  decisionId: string;
  number: number;
  title: string;
  dnr: string | null;
  clauses: string[];
  outcome: DecisionOutcome;
  votes: Array<{ name: string; ballot: Ballot }>;
  tally: Record<Ballot, number>;
  reservations: Array<{ name: string; reason: string | null }>;
  immediateJustering: boolean;
  /** Justerad with the minutes or immediately at the meeting. */
  justerad: boolean;
  corrections: ParagraphCorrection[];
}

export interface Signature {
  name: string;
  /** "ordförande" or "justerare" (both when the chair was also appointed). */
  role: string;
  signedAt: string | null;
  digital: boolean;
}

export type ProtocolStatus = 'DRAFT' | 'JUSTERAD' | 'ANSLAGEN' | 'LAGA_KRAFT';

/** Everything the minutes print, read once from the read models: the HTML page and the PDF render the same. */
export interface ProtocolDocument {
  meeting: MeetingView;
  body: BodyView;
  /** The meeting's day in Swedish time. */
  date: string;
  time: string;
  place: string | null;
  status: ProtocolStatus;
  beslutande: AttendanceLine[];
  tjanstgorandeErsattare: AttendanceLine[];
  ersattare: AttendanceLine[];
  tjansteman: AttendanceLine[];
  ovriga: AttendanceLine[];
  justerare: string[];
  firstParagraph: number | null;
  lastParagraph: number | null;
  paragraphs: Paragraph[];
  signatures: Signature[];
  anslag: MeetingView['anslag'];
  /** The log's signed checkpoint that holds the justering, when the tamper-evident log can say. */
  checkpoint: string | null;
}

/** The signed checkpoint (note) of the log that first holds a leaf: the integrity library's, when it is there. */
export type CheckpointOf = (leaf: number) => string | null;

const POSITION: Record<string, string> = { ORDFORANDE: 'ordförande', VICE_ORDFORANDE: 'vice ordförande' };

interface Justering {
  seq: number | null;
  signedAt: Map<string, string>;
  digital: Map<string, string>;
}

export class ProtocolDocuments {
  constructor(
    private readonly meetings: MeetingsReader,
    private readonly bodies: BodiesReader,
    private readonly timeline: TimelineReader,
    private readonly checkpointOf: CheckpointOf = () => null,
  ) {}

  /** The minutes of a meeting; undefined for an unknown meeting, or one cancelled or never held. */
  of(meeting: MeetingView, today: string): ProtocolDocument | undefined {
    const body = this.bodies.body(meeting.bodyId);
    if (!body || meeting.status === 'CANCELLED' || meeting.status === 'SCHEDULED') return undefined;
    const date = swedishDate(meeting.start);
    const members = new Map<string, MembershipView>();
    for (const membership of this.bodies.members(meeting.bodyId, date)) if (!members.has(membership.personId)) members.set(membership.personId, membership);
    const attendance = this.meetings.attendance(meeting.id);
    const names = this.names([
      ...attendance.flatMap((a) => [a.personId, a.replacingPersonId ?? '']),
      ...meeting.justerareIds,
      ...meeting.signatoryIds,
      ...members.keys(),
    ]);
    const name = (id: string) => names.get(id) ?? 'Okänd person';
    const line = (a: AttendanceView, detail: string | null): AttendanceLine => ({
      name: name(a.personId),
      detail,
      representing: members.get(a.personId)?.representing ?? null,
      paragraphs: paragraphSpan(a.fromParagraph, a.toParagraph) || null,
    });
    const of = (role: AttendanceView['role']) => attendance.filter((a) => a.role === role);
    const memberTitle = (personId: string, fallback: string) => {
      const membership = members.get(personId);
      return (membership?.position && POSITION[membership.position]) ?? (membership ? (membership.role === 'LEDAMOT' ? 'ledamot' : 'ersättare') : fallback);
    };

    const paragraphs = this.paragraphs(meeting, names);
    const justering = this.justering(meeting);
    const chair = [...members.values()].find((m) => m.position === 'ORDFORANDE' && attendance.some((a) => a.personId === m.personId));
    return {
      meeting,
      body,
      date,
      time: timeSpan(meeting.start, meeting.end),
      place: meeting.place,
      status: protocolStatus(meeting, today),
      beslutande: of('BESLUTANDE').map((a) => line(a, memberTitle(a.personId, 'ledamot'))),
      tjanstgorandeErsattare: of('TJANSTGORANDE_ERSATTARE').map((a) => line(a, a.replacingPersonId ? `ers. för ${name(a.replacingPersonId)}` : 'ersättare')),
      ersattare: of('ERSATTARE').map((a) => line(a, 'ersättare')),
      tjansteman: of('TJANSTEMAN').map((a) => line(a, null)),
      ovriga: of('OVRIG').map((a) => line(a, null)),
      justerare: meeting.justerareIds.map(name),
      firstParagraph: paragraphs[0]?.number ?? null,
      lastParagraph: paragraphs.at(-1)?.number ?? null,
      paragraphs,
      signatures: this.signatures(meeting, justering, name, chair?.personId ?? null),
      anslag: meeting.anslag,
      // The timeline holds the log's events in log order, as the log's tree: its n-th entry is leaf n − 1.
      checkpoint: justering.seq !== null ? this.checkpointOf(justering.seq - 1) : null,
    };
  }

  private names(ids: string[]): Map<string, string> {
    const unique = [...new Set(ids.filter((id) => id !== ''))];
    return new Map(this.bodies.persons(unique).map((person) => [person.id, person.name]));
  }

  private paragraphs(meeting: MeetingView, names: Map<string, string>): Paragraph[] {
    const decisions = this.meetings.decisions(meeting.id);
    if (decisions.length === 0) return [];
    const voters = decisions.flatMap((d) => [...d.votes.map((v) => v.personId), ...d.reservations.map((r) => r.personId)]).filter((id) => !names.has(id));
    for (const [id, personName] of this.names(voters)) names.set(id, personName);
    const name = (id: string) => names.get(id) ?? 'Okänd person';
    const motions = new Map(this.meetings.motions(meeting.id).map((motion) => [motion.id, motion]));
    const agenda = new Map(this.meetings.agenda(meeting.id).map((item) => [item.id, item]));
    const corrections = this.meetings.corrections(meeting.id);
    return decisions.map((decision) => {
      // The diarienummer printed with a paragraph is its agenda item's (the kallelse is public; motions are not).
      const dnr = decision.motionIds.map((id) => motions.get(id)?.agendaItemId).map((itemId) => (itemId ? agenda.get(itemId)?.dnr : null)).find((value) => !!value) ?? null;
      const tally: Record<Ballot, number> = { JA: 0, NEJ: 0, AVSTAR: 0 };
      for (const vote of decision.votes) tally[vote.ballot]++;
      return {
        decisionId: decision.id,
        number: decision.paragraph,
        title: decision.title,
        dnr,
        clauses: decision.clauses,
        outcome: decision.outcome,
        votes: decision.votes.map((vote) => ({ name: name(vote.personId), ballot: vote.ballot })),
        tally,
        reservations: decision.reservations.map((reservation) => ({ name: name(reservation.personId), reason: reservation.reason })),
        immediateJustering: decision.immediateJustering,
        justerad: decision.immediateJustering || meeting.justeradAt !== null,
        corrections: corrections
          .filter((correction) => correction.correctedDecisionId === decision.id)
          .map(({ field, from, to, reason, correctedAt }) => ({ field, from, to, reason, correctedAt })),
      };
    });
  }

  /** The justering as the log holds it: its place in the timeline, each signature's date, and which were digital. */
  private justering(meeting: MeetingView): Justering {
    const justering: Justering = { seq: null, signedAt: new Map(), digital: new Map() };
    if (!meeting.justeradAt) return justering;
    for (const event of this.timeline.page({ entityId: meeting.id, types: ['ProtocolSigned', 'ProtocolJusterad'] }, 100, 0)) {
      const data = event.data as { meetingId?: string; personId?: string; signedAt?: string; signatures?: Array<{ personId: string; signedAt: string }> };
      if (data.meetingId !== meeting.id) continue;
      if (event.type === 'ProtocolSigned' && data.personId && data.signedAt) justering.digital.set(data.personId, data.signedAt);
      if (event.type === 'ProtocolJusterad' && justering.seq === null) {
        justering.seq = event.seq;
        for (const signature of data.signatures ?? []) justering.signedAt.set(signature.personId, signature.signedAt);
      }
    }
    return justering;
  }

  /** Who signed and when: a digital signature is its ProtocolSigned event; a paper justering is dated the justering. */
  private signatures(meeting: MeetingView, { signedAt, digital }: Justering, name: (id: string) => string, chairId: string | null): Signature[] {
    if (!meeting.justeradAt) return [];
    return meeting.signatoryIds.map((personId) => ({
      name: name(personId),
      role: [personId === chairId ? 'ordförande' : null, meeting.justerareIds.includes(personId) ? 'justerare' : null].filter(Boolean).join(' och ') || 'justerare',
      signedAt: digital.get(personId) ?? signedAt.get(personId) ?? meeting.justeradAt,
      digital: digital.has(personId),
    }));
  }
}

/** DRAFT before justering; LAGA_KRAFT once the appeal deadline has passed (as Protocol.status in the API). */
export function protocolStatus(meeting: MeetingView, today: string): ProtocolStatus {
  if (!meeting.justeradAt) return 'DRAFT';
  if (!meeting.anslag) return 'JUSTERAD';
  return today > meeting.anslag.appealDeadline ? 'LAGA_KRAFT' : 'ANSLAGEN';
}
