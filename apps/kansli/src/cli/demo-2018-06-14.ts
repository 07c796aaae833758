/**
 * The 2018-06-14 meeting of Samordningsförbundet Skellefteå-Norsjö's board (§ 24–39), from
 * ../shared/fixtures/documents/skelleftea-norsjo-styrelse-2018-06-14-protokoll.md, sent as the GraphQL
 * mutations a client would send.
 *
 * The justering date: the document prints none. Every page carries "Utdragsbestyrkande 2018-06-14", extracts
 * certified on the meeting day, so the minutes were final that day: we record the justering on 2018-06-14.
 * The anslag of 2018-08-10 is then 57 days after justering where KL 8:12 allows two: the system reports it
 * as an R7 finding (and not R6, since the justering itself was on time).
 */
export type Send = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export const DEMO_BODY_NAME = 'Samordningsförbundet Skellefteå-Norsjö, styrelsen';
export const JUSTERAD_AT = '2018-06-14';

const PARAGRAPHS: Array<{ title: string; outcome: string; clauses: string[]; motion?: { proposedBy: string; dnr?: string } }> = [
  { title: 'Mötets öppnande', outcome: 'NOTERAD', clauses: [] },
  { title: 'Val av justerare', outcome: 'BIFALL', clauses: ['att utse Birgitta Westring-Sandberg att justera protokollet'] },
  { title: 'Dagordningen godkänns', outcome: 'BIFALL', clauses: ['att godkänna dagordningen.'] },
  { title: 'Genomgång av protokoll från föregående möte (bilaga 1)', outcome: 'BIFALL', clauses: ['att godkänna protokollet från 2018-04-06 och lägga det till handlingarna.'] },
  { title: 'Ekonomisk rapport per 2018-03-31 (bilaga 2)', outcome: 'BIFALL', clauses: ['att godkänna den ekonomiska rapporten.'] },
  {
    title: 'Ansökan om extra medel (bilaga 3)',
    outcome: 'BIFALL',
    clauses: ['att bevilja Socialkontoret upp till 200 000kr för perioden augusti – december 2018 för att ersätta pensionsavgång vid Arbetsmarknadstorget.'],
    motion: { proposedBy: 'Socialkontoret' },
  },
  {
    title: 'Hållbar långsiktig samverkan',
    outcome: 'BIFALL',
    clauses: ['att en genomgripande diskussion om hur organisation, genomförande och finansiering av samverkansinsatser ska säkerställas kommer att genomföras i oktober vid den gemensamma planeringsdagen för LSG och styrelsen.'],
  },
  { title: 'Slutlig underskriven revisionsberättelse för år 2017 (bilaga 4, 5, 6)', outcome: 'BIFALL', clauses: ['att uppdra till förbundschefen att skicka in svaret till revisorerna.'] },
  {
    title: 'Ändring i förbundsordningen, från kvartals- till tertialrapport',
    outcome: 'BIFALL',
    clauses: [
      'att förslag till ändrad förbundsordning upprättas avseende uppföljning av ekonomi och verksamhet i tertialintervaller',
      'att reviderad förbundsordning skickas ut för underskrift till förbundsmedlemmarna.',
    ],
    motion: { proposedBy: 'Förbundschefen' },
  },
  {
    title: 'Förändringar utifrån GDPR',
    outcome: 'BIFALL',
    clauses: [
      'att utse Isak Nyberg till dataskyddsombud för Samordningsförbundet',
      'att fastställa styrelsens ansvar som personuppgiftsansvarig för Samordningsförbundets verksamhet',
      'att godkänna behandlingen av personuppgifter i löpande text',
      'att framtida förändringar av behandling av personuppgifter ska beslutas av styrelsen.',
    ],
  },
  {
    title: 'Revidering av delegationsordning (bilaga 7)',
    outcome: 'BIFALL',
    clauses: [
      'att förbundschefen får utföra mottagningskontroll samt pris- och sakkontroll för inkommande fakturor till Samordningsförbundet',
      'att styrelseledamot Kenneth Andersson får ersätta förbundschefen vid eventuell frånvaro under längre tid för att utföra mottagningskontroll samt pris- och sakkontroll för inkommande fakturor till Samordningsförbundet.',
    ],
    motion: { proposedBy: 'Förbundschefen' },
  },
  {
    title: 'Utveckling av Social ekonomi/innovationer (bilaga 8)',
    outcome: 'NOTERAD',
    clauses: ['att godkänna informationen', 'att respektive styrelsemedlem tar med sig informationen till sin hemorganisation.'],
  },
  {
    title: 'Uppföljning av Samordningsförbundets ansökan till MUCF',
    outcome: 'BIFALL',
    clauses: ['att ta i anspråk de 300 000kr som tidigare reserverats (§7, 2018-02-21) för utökad samverkan för UVAS-gruppen om MUCF-ansökan skulle få avslag.'],
  },
  { title: 'Informationsärenden', outcome: 'NOTERAD', clauses: ['att notera informationen.'] },
  { title: 'Rapporter', outcome: 'BIFALL', clauses: ['att godkänna rapporterna.'] },
  { title: 'Övriga frågor', outcome: 'NOTERAD', clauses: [] },
];

const at = (time: string) => `2018-06-14T${time}:00+02:00`;

/** Loads the meeting; returns the ids a first query needs. */
export async function loadMeeting20180614(send: Send): Promise<{ bodyId: string; meetingId: string }> {
  const { establishBody } = await send<{ establishBody: { id: string } }>(
    'mutation($input: EstablishBodyInput!) { establishBody(input: $input) { id } }',
    { input: { name: DEMO_BODY_NAME, kind: 'STYRELSE', seats: 5 } },
  );
  const bodyId = establishBody.id;
  const appoint = async (personName: string, role: string, representing: string, position?: string) =>
    (
      await send<{ appointMember: { person: { id: string } } }>(
        'mutation($input: AppointMemberInput!) { appointMember(input: $input) { person { id } } }',
        { input: { bodyId, personName, role, representing, position, from: '2018-01-01' } },
      )
    ).appointMember.person.id;
  const almgren = await appoint('Bertil Almgren', 'LEDAMOT', 'Skellefteå kommun', 'ORDFORANDE');
  const andersson = await appoint('Kenneth Andersson', 'LEDAMOT', 'Västerbottens läns landsting');
  const lindfors = await appoint('Mikael Lindfors', 'LEDAMOT', 'Norsjö kommun');
  const eriksson = await appoint('Anders Eriksson', 'LEDAMOT', 'Arbetsförmedlingen', 'VICE_ORDFORANDE');
  const vestring = await appoint('Birgitta Vestring-Sandberg', 'ERSATTARE', 'Arbetsförmedlingen');
  const lindgren = await appoint('Anette Lindgren', 'ERSATTARE', 'Skellefteå kommun');
  const person = async (name: string) =>
    (await send<{ registerPerson: { id: string } }>('mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }', { input: { name } })).registerPerson.id;
  const lindgrenTuoma = await person('Maria Lindgren-Tuoma');
  const stoltz = await person('Britt Inger Stoltz');
  const filipsson = await person('Roger Filipsson');

  const { scheduleMeeting } = await send<{ scheduleMeeting: { id: string; agenda: Array<{ id: string }> } }>(
    'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id agenda { id } } }',
    {
      input: {
        bodyId,
        start: at('09:00'),
        end: at('15:00'),
        place: 'Hörnellgatan 17, sammanträdesrum, vån 3',
        agenda: PARAGRAPHS.map(({ title, clauses }) => ({ title, proposal: clauses })),
      },
    },
  );
  const meetingId = scheduleMeeting.id;
  const run = (mutation: string, input: Record<string, unknown>) => send(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`, { input });

  await run('openMeeting', { meetingId, at: at('09:00'), firstParagraph: 24 });
  await run('recordAttendance', { meetingId, personId: almgren, role: 'BESLUTANDE' });
  await run('recordAttendance', { meetingId, personId: andersson, role: 'BESLUTANDE' });
  await run('recordAttendance', { meetingId, personId: lindfors, role: 'BESLUTANDE' });
  await run('recordAttendance', { meetingId, personId: vestring, role: 'TJANSTGORANDE_ERSATTARE', replacingPersonId: eriksson });
  await run('recordAttendance', { meetingId, personId: lindgren, role: 'ERSATTARE' });
  await run('recordAttendance', { meetingId, personId: lindgrenTuoma, role: 'TJANSTEMAN' });
  await run('recordAttendance', { meetingId, personId: stoltz, role: 'TJANSTEMAN' });
  await run('recordAttendance', { meetingId, personId: filipsson, role: 'OVRIG', fromParagraph: 35, toParagraph: 35 });
  await run('appointJusterare', { meetingId, personIds: [vestring] });

  for (const [index, paragraph] of PARAGRAPHS.entries()) {
    let motionIds: string[] | undefined;
    if (paragraph.motion) {
      const { raiseMotion } = await send<{ raiseMotion: { id: string } }>(
        'mutation($input: RaiseMotionInput!) { raiseMotion(input: $input) { id } }',
        { input: { meetingId, agendaItemId: scheduleMeeting.agenda[index].id, title: paragraph.title, proposedBy: paragraph.motion.proposedBy, clauses: paragraph.clauses } },
      );
      motionIds = [raiseMotion.id];
    }
    await run('takeDecision', {
      meetingId,
      motionIds,
      title: paragraph.title,
      clauses: paragraph.clauses,
      outcome: paragraph.outcome,
      decidedAt: at(`${String(9 + Math.floor(index / 3)).padStart(2, '0')}:${String((index % 3) * 15).padStart(2, '0')}`),
    });
  }
  await run('closeMeeting', { meetingId, at: at('15:00') });
  await run('justeraProtocol', { meetingId, justeradAt: JUSTERAD_AT, signatoryIds: [almgren, vestring] });
  await run('postAnslag', { meetingId, postedAt: '2018-08-10', removeAfter: '2018-08-31', storageLocation: 'Kommunledningskontoret, stadshuset' });
  return { bodyId, meetingId };
}
