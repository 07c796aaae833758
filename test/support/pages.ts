import type { GraphQLTestClient, TestServer } from '@kansli/testing';
import { Clock } from '@kansli/api';
import { establishBoard, type Board } from './board';

/** The pages' tests run on 2018-08-15: the 2018-06-14 demo meeting's anslag (2018-08-10 – 2018-08-31) is up. */
export const TODAY = '2018-08-15';
export class PagesClock extends Clock {
  now(): Date {
    return new Date(`${TODAY}T10:00:00+02:00`);
  }
}

/** The server's address for pages: where /graphql is, without it. */
export const pagesBase = (server: TestServer) => server.client.url.replace(/\/graphql$/, '');

/** Markup in every text a person can enter: it must show as text on every page, never run. */
export const MARKUP = {
  body: 'Nämnden <script>alert("organ")</script>',
  member: 'Åsa <img src=x onerror=alert("ledamot")> Öberg',
  place: 'Stadshuset <b>sal</b> "A" & B',
  title: '<script>alert("titel")</script> Ansökan & "bidrag"',
  clause: 'att bevilja <em>upp till</em> 200 000 kr & <script>alert("att")</script>',
  reason: '<iframe src="javascript:alert(1)"></iframe> fel underlag',
  storage: 'Kansliet <script>alert("förvaring")</script>',
  dnr: 'Dnr <i>9</i>-2018',
};

export interface HeldMeeting {
  meetingId: string;
  board: Board;
  decisionIds: string[];
}

interface DecisionSpec {
  title: string;
  clauses: string[];
  outcome?: string;
  votes?: Array<{ member: number; ballot: 'JA' | 'NEJ' | 'AVSTAR' }>;
  reservations?: Array<{ member: number; reason: string | null }>;
  immediateJustering?: boolean;
  dnr?: string;
}

/**
 * A meeting of a board, held and closed with its decisions; justerad by the chair and the second ledamot when
 * `justeradAt` is given, and posted on the anslagstavla when `anslag` is.
 */
export async function holdMeeting(
  gql: GraphQLTestClient,
  options: {
    board?: Board;
    bodyName?: string;
    start: string;
    place?: string;
    decisions: DecisionSpec[];
    justeradAt?: string;
    anslag?: { postedAt: string; removeAfter: string; storageLocation: string };
  },
): Promise<HeldMeeting> {
  const board = options.board ?? (await establishBoard(gql, options.bodyName));
  const run = (mutation: string, input: Record<string, unknown>) =>
    gql.ok(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`, { input });
  const end = new Date(Date.parse(options.start) + 2 * 3_600_000).toISOString();
  const { scheduleMeeting } = await gql.ok<{ scheduleMeeting: { id: string } }>('mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }', {
    input: { bodyId: board.bodyId, start: options.start, end, place: options.place ?? 'Stadshuset' },
  });
  const meetingId = scheduleMeeting.id;
  await run('openMeeting', { meetingId, at: options.start });
  for (const personId of board.members) await run('recordAttendance', { meetingId, personId, role: 'BESLUTANDE' });
  await run('appointJusterare', { meetingId, personIds: [board.members[1]] });
  const decisionIds: string[] = [];
  for (const decision of options.decisions) {
    let motionIds: string[] | undefined;
    if (decision.dnr) {
      const { addAgendaItem } = await gql.ok<{ addAgendaItem: { agenda: Array<{ id: string; title: string }> } }>(
        'mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { agenda { id title } } }',
        { input: { meetingId, title: decision.title, dnr: decision.dnr } },
      );
      const item = addAgendaItem.agenda.at(-1)!;
      const { raiseMotion } = await gql.ok<{ raiseMotion: { id: string } }>('mutation($input: RaiseMotionInput!) { raiseMotion(input: $input) { id } }', {
        input: { meetingId, agendaItemId: item.id, title: decision.title, proposedBy: 'Förbundschefen', clauses: decision.clauses },
      });
      motionIds = [raiseMotion.id];
    }
    const { takeDecision } = await gql.ok<{ takeDecision: { id: string } }>('mutation($input: TakeDecisionInput!) { takeDecision(input: $input) { id } }', {
      input: {
        meetingId,
        motionIds,
        title: decision.title,
        clauses: decision.clauses,
        outcome: decision.outcome ?? 'BIFALL',
        decidedAt: options.start,
        votes: decision.votes?.map((v) => ({ personId: board.members[v.member], ballot: v.ballot })),
        reservations: decision.reservations?.map((r) => ({ personId: board.members[r.member], reason: r.reason })),
        immediateJustering: decision.immediateJustering,
      },
    });
    decisionIds.push(takeDecision.id);
  }
  await run('closeMeeting', { meetingId, at: end });
  if (options.justeradAt) await run('justeraProtocol', { meetingId, justeradAt: options.justeradAt, signatoryIds: [board.members[0], board.members[1]] });
  if (options.anslag) await run('postAnslag', { meetingId, ...options.anslag });
  return { meetingId, board, decisionIds };
}

/** A board whose every name and text carries markup, with a justerad, posted meeting of two paragraphs. */
export async function holdMarkupMeeting(gql: GraphQLTestClient): Promise<HeldMeeting> {
  const { establishBody } = await gql.ok<{ establishBody: { id: string } }>('mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id } }', {
    input: { name: MARKUP.body, kind: 'NAMND', seats: 5 },
  });
  const members: string[] = [];
  for (const [personName, position] of [['Ordförande Olsson', 'ORDFORANDE'], [MARKUP.member, null], ['Ledamot Lind', null]] as const) {
    const { appointMember } = await gql.ok<{ appointMember: { person: { id: string } } }>('mutation($input: AppointMemberInput!) { appointMember(input: $input) { person { id } } }', {
      input: { bodyId: establishBody.id, personName, role: 'LEDAMOT', position, representing: MARKUP.place, from: '2018-01-01' },
    });
    members.push(appointMember.person.id);
  }
  return holdMeeting(gql, {
    board: { bodyId: establishBody.id, members },
    start: '2018-08-01T13:00:00+02:00',
    place: MARKUP.place,
    decisions: [
      {
        title: MARKUP.title,
        clauses: [MARKUP.clause, 'att uppdra åt förbundschefen att följa upp'],
        dnr: MARKUP.dnr,
        votes: [{ member: 0, ballot: 'JA' }, { member: 1, ballot: 'NEJ' }, { member: 2, ballot: 'JA' }],
        reservations: [{ member: 1, reason: MARKUP.reason }],
      },
      { title: 'Övriga frågor', clauses: [], outcome: 'NOTERAD' },
    ],
    justeradAt: '2018-08-08',
    anslag: { postedAt: '2018-08-09', removeAfter: '2018-08-30', storageLocation: MARKUP.storage },
  });
}

/** The text of a PDF, page by page, as a reader's text extraction sees it (pdf.js). */
export async function pdfText(pdf: Buffer): Promise<string[]> {
  // pdf.js warns on loading that it cannot render without the canvas package: text extraction needs none.
  const log = console.log;
  console.log = () => undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pdfjs = require('pdfjs-dist/legacy/build/pdf.js') as {
    getDocument(options: object): { promise: Promise<{ numPages: number; getPage(n: number): Promise<{ getTextContent(): Promise<{ items: Array<{ str?: string; hasEOL?: boolean }> }> }> }> };
  };
  console.log = log;
  const document = await pdfjs.getDocument({ data: new Uint8Array(pdf), verbosity: 0, disableFontFace: true, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => `${item.str ?? ''}${item.hasEOL ? '\n' : ''}`).join(''));
  }
  return pages;
}

/** Text with its whitespace folded, as a line-broken PDF and a page both read. */
export const folded = (text: string) => text.replace(/\s+/g, ' ').trim();
