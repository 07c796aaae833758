import type { BodiesReader } from '@kansli/bodies';
import type { DelegatedDecisionView, DelegationReader } from '@kansli/delegation';
import { InvalidInput, NotFound, swedishDate } from '@kansli/kernel';
import type { DecisionView, MeetingsReader, MeetingView } from '@kansli/meetings';
import type { DiariumReader, DocumentView } from '../diarium.reader';
import { el, textEl, xsDateTime } from './xml';

/** The read models an export is made from: a running server's, or a stopped one's read-only (the CLI). */
export interface ErmsSources {
  bodies: BodiesReader;
  meetings: MeetingsReader;
  delegation: DelegationReader;
  diarium: DiariumReader;
}

export interface ErmsExport {
  xml: string;
  counts: { cases: number; documents: number; meetings: number; decisions: number; delegatedDecisions: number };
}

export const ERMS_NAMESPACE = 'https://DILCIS.eu/XML/ERMS';
const OUTCOMES: Record<string, string> = { BIFALL: 'Bifall', AVSLAG: 'Avslag', NOTERAD: 'Noterad', ATERREMISS: 'Återremiss', BORDLAGD: 'Bordlagd' };
const PAGE = 100;

/**
 * A body's year as E-ARK CITS ERMS (FGS Ärendehantering 2.0), valid against schemas/erms/ERMS.xsd:
 * - one `class` aggregation for the body's year, holding
 * - a `caseFile` per case (diarienummer) opened that year (its first document, agenda item, motion or delegated
 *   decision dated in the year), with the whole case: its documents and delegated decisions as records, and the
 *   paragraphs that decided it named in its notes;
 * - a `file` per meeting held that year (cancelled ones left out) with its paragraphs as records (running number =
 *   §, the att-clauses as actions, outcome, votes and reservations as notes, the dnr as extraId);
 * - a `file` of the year's delegated decisions without a dnr.
 * A secret document keeps its description, with a `confidential` restriction naming the OSL reference.
 * A year with nothing in it is the year's class aggregation alone: still a valid export. An unknown body is NOT_FOUND.
 */
export function ermsExport(sources: ErmsSources, bodyId: string, year: number, exportedAt: string): ErmsExport {
  if (!Number.isInteger(year) || year < 1900 || year > 2100) throw new InvalidInput(`year must be a year from 1900 to 2100, got ${year}`);
  const body = sources.bodies.body(bodyId);
  if (!body) throw new NotFound('Body', bodyId);
  const inYear = (date: string) => date.startsWith(`${year}-`);
  const personName = (id: string) => sources.bodies.person(id)?.name ?? id;

  const delegated = allPages((after: { decidedAt: string; id: string } | undefined) => sources.delegation.delegatedDecisionsOfBody(bodyId, PAGE, after), (last) => ({ decidedAt: last.decidedAt, id: last.id }));
  const opened = new Map<string, string>();
  const note = (dnr: string, date: string) => {
    const known = opened.get(dnr);
    if (known === undefined || date < known) opened.set(dnr, date);
  };
  for (const { dnr, firstDate } of sources.diarium.dnrsOfBody(bodyId)) note(dnr, firstDate);
  for (const { dnr, firstDate } of sources.meetings.dnrsOfBody(bodyId)) note(dnr, firstDate);
  for (const decision of delegated) if (decision.dnr) note(decision.dnr, decision.decidedAt);
  const cases = [...opened].filter(([, date]) => inYear(date)).map(([dnr]) => dnr).sort();

  const meetings = allPages((after: { start: string; id: string } | undefined) => sources.meetings.meetingsOfBody(bodyId, PAGE, after), (last) => ({ start: last.start, id: last.id }))
    .filter((meeting) => meeting.status !== 'CANCELLED' && inYear(swedishDate(meeting.start)));
  const counts = { cases: cases.length, documents: 0, meetings: meetings.length, decisions: 0, delegatedDecisions: 0 };

  const caseFiles = cases.map((dnr) => {
    const documents = sources.diarium.documentsFiledUnder(dnr, bodyId);
    const filed = sources.meetings.filedUnder(dnr, bodyId);
    const delegatedHere = delegated.filter((decision) => decision.dnr === dnr);
    counts.documents += documents.length;
    counts.delegatedDecisions += delegatedHere.length;
    const title = documents.find((document) => document.secrecy === null)?.description ?? filed.agendaItems[0]?.title ?? filed.motions[0]?.title ?? delegatedHere[0]?.title ?? `Ärende ${dnr}`;
    const handled = filed.decisions.map((decision) => {
      const meeting = sources.meetings.meeting(decision.meetingId);
      return textEl('note', `Beslutat i § ${decision.paragraph} ${decision.title}${meeting ? ` (sammanträde ${swedishDate(meeting.start)})` : ''}`, { noteType: 'beslut' });
    });
    return el(
      'aggregation',
      { systemIdentifier: `kansli:case:${bodyId}:${dnr}`, aggregationType: 'caseFile' },
      textEl('objectId', dnr),
      textEl('extraId', dnr, { extraIdType: 'diarienummer' }),
      textEl('parentAggregationId', `${bodyId}/${year}`),
      textEl('levelName', 'Ärende'),
      textEl('title', title),
      el('dates', null, textEl('date', xsDateTime(opened.get(dnr)!), { dateType: 'opened' })),
      handled.length > 0 && el('notes', null, ...handled),
      ...documents.map((document) => documentRecord(document)),
      ...delegatedHere.map((decision) => delegatedRecord(decision, personName, sources.meetings)),
    );
  });

  const meetingFiles = meetings.map((meeting) => {
    const decisions = sources.meetings.decisions(meeting.id);
    counts.decisions += decisions.length;
    return meetingFile(meeting, decisions, body.name, personName, sources.meetings);
  });

  const loose = delegated.filter((decision) => decision.dnr === null && inYear(decision.decidedAt));
  counts.delegatedDecisions += loose.length;
  const delegatedFile = loose.length === 0 ? '' : el(
    'aggregation',
    { systemIdentifier: `kansli:delegated:${bodyId}:${year}`, aggregationType: 'file' },
    textEl('objectId', `${bodyId}/${year}/delegationsbeslut`),
    textEl('parentAggregationId', `${bodyId}/${year}`),
    textEl('levelName', 'Delegationsbeslut'),
    textEl('title', `Delegationsbeslut ${year} utan diarienummer`),
    ...loose.map((decision) => delegatedRecord(decision, personName, sources.meetings)),
  );

  const control = el(
    'control',
    null,
    textEl('identification', `kansli:${bodyId}:${year}`, { identificationType: 'kansli-export' }),
    el(
      'maintenanceInformation',
      null,
      el('maintenanceStatus', { value: 'new' }),
      el('maintenanceAgency', null, textEl('agencyName', body.name)),
      el('maintenanceHistory', null, el('maintenanceEvent', null, el('eventType', { value: 'created' }), textEl('eventDateTime', xsDateTime(exportedAt)), el('agent', { agentType: 'creator' }, textEl('name', 'Kansli')))),
    ),
  );
  const yearClass = el(
    'aggregation',
    { systemIdentifier: `kansli:body:${bodyId}:${year}`, aggregationType: 'class' },
    textEl('objectId', `${bodyId}/${year}`),
    textEl('levelName', 'Verksamhetsår'),
    textEl('title', `${body.name} ${year}`),
    el('dates', null, textEl('date', `${year}-01-01T00:00:00`, { dateType: 'start' }), textEl('date', `${year}-12-31T23:59:59`, { dateType: 'end' })),
    ...caseFiles,
    ...meetingFiles,
    delegatedFile,
  );
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${el('erms', { xmlns: ERMS_NAMESPACE }, control, el('aggregations', null, yearClass))}\n`;
  return { xml, counts };
}

function documentRecord(document: DocumentView): string {
  const direction = document.direction === 'INKOMMANDE' ? { directionDefinition: 'incoming' }
    : document.direction === 'UTGAENDE' ? { directionDefinition: 'outgoing' }
    : { directionDefinition: 'other', otherDirectionDefinition: 'upprättad' };
  const agentType = document.direction === 'INKOMMANDE' ? 'sender' : document.direction === 'UTGAENDE' ? 'recipient' : 'counterpart';
  const dateType = document.direction === 'INKOMMANDE' ? 'received' : document.direction === 'UTGAENDE' ? 'sent' : 'created';
  return el(
    'record',
    { systemIdentifier: `kansli:document:${document.id}`, recordType: 'handling' },
    textEl('objectId', document.id),
    textEl('extraId', document.dnr, { extraIdType: 'diarienummer' }),
    textEl('title', document.description),
    document.secrecy !== null && el('restriction', { restrictionType: 'confidential' }, textEl('explanatoryText', 'Sekretess enligt offentlighets- och sekretesslagen'), textEl('regulation', document.secrecy)),
    el('direction', direction),
    document.counterpart !== null && el('agents', null, el('agent', { agentType }, textEl('name', document.counterpart))),
    el('dates', null, textEl('date', xsDateTime(document.date), { dateType }), textEl('date', xsDateTime(document.registeredAt), { dateType: 'captured' })),
  );
}

function delegatedRecord(decision: DelegatedDecisionView, personName: (id: string) => string, meetings: MeetingsReader): string {
  const reported = decision.reportedDecisionId ? meetings.decision(decision.reportedDecisionId) : undefined;
  return el(
    'record',
    { systemIdentifier: `kansli:delegated-decision:${decision.id}`, recordType: 'delegationsbeslut' },
    textEl('objectId', decision.id),
    decision.dnr !== null && textEl('extraId', decision.dnr, { extraIdType: 'diarienummer' }),
    textEl('title', decision.title),
    el('agents', null, el('agent', { agentType: 'authorising_person' }, textEl('name', personName(decision.decidedBy)))),
    el('dates', null, textEl('date', xsDateTime(decision.decidedAt), { dateType: 'decision_date' })),
    el(
      'notes',
      null,
      decision.amount !== null && textEl('note', `Belopp: ${decision.amount} kr`, { noteType: 'belopp' }),
      textEl('note', reported ? `Anmält i § ${reported.paragraph} ${reported.title}` : 'Ännu inte anmält till styrelsen', { noteType: 'anmälan' }),
    ),
  );
}

function meetingFile(meeting: MeetingView, decisions: DecisionView[], bodyName: string, personName: (id: string) => string, meetings: MeetingsReader): string {
  const day = swedishDate(meeting.start);
  const signatories = meeting.signatoryIds.map((id, index) => el('agent', { agentType: index === 0 ? 'main_signatory' : 'other_signatory' }, textEl('name', personName(id))));
  const notes = [
    meeting.justeradAt && textEl('note', `Justerat ${meeting.justeradAt}`, { noteType: 'justering' }),
    meeting.anslag && textEl('note', `Anslaget ${meeting.anslag.postedAt}, tas ned ${meeting.anslag.removeAfter}; protokollet förvaras: ${meeting.anslag.storageLocation}`, { noteType: 'anslag' }),
  ];
  return el(
    'aggregation',
    { systemIdentifier: `kansli:meeting:${meeting.id}`, aggregationType: 'file' },
    textEl('objectId', meeting.id),
    textEl('levelName', 'Sammanträde'),
    textEl('title', `${bodyName}, sammanträde ${day}`),
    el('status', { value: meeting.justeradAt ? 'closed' : meeting.status === 'SCHEDULED' ? 'prepared' : 'in_progress' }),
    signatories.length > 0 && el('agents', null, ...signatories),
    textEl('description', meeting.place),
    el('dates', null, textEl('date', xsDateTime(meeting.start), { dateType: 'start' }), meeting.end && textEl('date', xsDateTime(meeting.end), { dateType: 'end' })),
    notes.some(Boolean) && el('notes', null, ...notes),
    ...decisions.map((decision) => decisionRecord(decision, personName, meetings)),
  );
}

function decisionRecord(decision: DecisionView, personName: (id: string) => string, meetings: MeetingsReader): string {
  const motions = meetings.motionsByIds(decision.motionIds);
  const dnrs = [...new Set(motions.map((motion) => motion.dnr ?? (motion.agendaItemId ? meetings.agendaItem(motion.agendaItemId)?.dnr : null)).filter((dnr): dnr is string => !!dnr))];
  const tally = (['JA', 'NEJ', 'AVSTAR'] as const).map((ballot) => `${ballot === 'AVSTAR' ? 'AVSTÅR' : ballot} ${decision.votes.filter((vote) => vote.ballot === ballot).length}`).join(', ');
  return el(
    'record',
    { systemIdentifier: `kansli:decision:${decision.id}`, recordType: 'beslut' },
    textEl('objectId', decision.id),
    ...dnrs.map((dnr) => textEl('extraId', dnr, { extraIdType: 'diarienummer' })),
    textEl('title', `§ ${decision.paragraph} ${decision.title}`),
    textEl('runningNumber', String(decision.paragraph)),
    el('dates', null, textEl('date', xsDateTime(decision.decidedAt), { dateType: 'decision_date' })),
    ...decision.clauses.map((clause) => el('action', null, textEl('actionText', clause), textEl('actionType', 'att-sats'))),
    el(
      'notes',
      null,
      textEl('note', OUTCOMES[decision.outcome] ?? decision.outcome, { noteType: 'utfall' }),
      decision.votes.length > 0 && textEl('note', `Omröstning: ${tally}; ${decision.votes.map((vote) => `${personName(vote.personId)} ${vote.ballot}`).join(', ')}`, { noteType: 'omröstning' }),
      ...decision.reservations.map((reservation) => textEl('note', `Reservation: ${personName(reservation.personId)}${reservation.reason ? ` (${reservation.reason})` : ''}`, { noteType: 'reservation' })),
      decision.immediateJustering && textEl('note', 'Omedelbart justerad', { noteType: 'justering' }),
    ),
  );
}

/** Every row of a list read in pages, each page after the last row of the one before. */
function allPages<Row, Cursor>(page: (after: Cursor | undefined) => Row[], cursorOf: (last: Row) => Cursor): Row[] {
  const rows: Row[] = [];
  let after: Cursor | undefined;
  for (;;) {
    const next = page(after);
    rows.push(...next);
    if (next.length < PAGE) return rows;
    after = cursorOf(next[next.length - 1]);
  }
}
