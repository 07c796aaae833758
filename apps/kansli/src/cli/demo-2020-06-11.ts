import type { Send } from './demo-2018-06-14';

/**
 * The 2020-06-11 board meeting of Samordningsförbundet Skellefteå-Norsjö, from its kallelse
 * (../shared/fixtures/documents/skelleftea-norsjo-styrelse-2020-06-11-kallelse.md): the day, time, place and the
 * agenda items 5–9 that carry a proposal, with their att-clauses as proposed.
 *
 * The minutes of that meeting are not among the fixtures, so two things here are assumptions, and the meeting is
 * left closed, not justerad: the four ledamöter the demo's roster knows (all four are summoned in the kallelse)
 * are recorded as present, and each proposal is recorded as decided as proposed (BIFALL). The paragraph numbers
 * are the body's 2020 series from § 1, since the demo holds no earlier 2020 meeting. What the demo needs from it
 * is item 8, "att godkänna attestordning daterad 2020-06-11": the decision the attest order cites.
 */
const ITEMS = [
  {
    title: 'Gör vi rätt saker och gör vi dem på rätt sätt',
    clauses: ['att ge förbundschefen i uppdrag att fortsätta arbetet med att förbereda höstens planeringsdagar med sikte på största möjliga effekt av finansiell samverkan utifrån de lokala förutsättningarna'],
  },
  { title: 'Yttrande med anledning av revision 2019 (bilaga 2)', clauses: ['att fastställa förslag till yttrande med anledning av revision 2019.'] },
  { title: 'Reviderad budget 2020 (bilaga 3)', clauses: ['att godkänna förslag till reviderad budget.'] },
  { title: 'Attestordning (bilaga 4)', clauses: ['att godkänna attestordning daterad 2020-06-11.'] },
  {
    title: 'Medlemssamråd (bilaga 5)',
    clauses: ['att uppdra till förbundschefen att tillsammans med övriga förbundschefer i länet fortsätta arbeta enligt förslaget.'],
  },
];
export const ATTESTORDNING_TITLE = 'Attestordning (bilaga 4)';
const PRESENT = ['Bertil Almgren', 'Kenneth Andersson', 'Mikael Lindfors', 'Anders Eriksson'];

const at = (time: string) => `2020-06-11T${time}:00+02:00`;

/** Loads the meeting into the body the 2018-06-14 demo made; returns its id and its decisions by title. */
export async function loadMeeting20200611(send: Send, bodyId: string): Promise<{ meetingId: string; decisions: Record<string, string> }> {
  const { body } = await send<{ body: { members: Array<{ person: { id: string; name: string } }> } }>(
    'query($id: ID!) { body(id: $id) { members(asOf: "2020-06-11") { person { id name } } } }',
    { id: bodyId },
  );
  const personId = (name: string) => {
    const member = body.members.find((m) => m.person.name === name);
    if (!member) throw new Error(`${name} is not a member of the body on 2020-06-11: load the 2018-06-14 meeting first`);
    return member.person.id;
  };
  const { scheduleMeeting } = await send<{ scheduleMeeting: { id: string } }>(
    'mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }',
    {
      input: {
        bodyId,
        start: at('09:00'),
        end: at('12:00'),
        place: 'Hörnelligatan 17, Skellefteå/digitalt',
        agenda: ITEMS.map(({ title, clauses }) => ({ title, proposal: clauses })),
      },
    },
  );
  const meetingId = scheduleMeeting.id;
  const run = <T>(mutation: string, input: Record<string, unknown>, selection = '__typename') =>
    send<Record<string, T>>(`mutation($input: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { ${selection} } }`, { input });
  await run('openMeeting', { meetingId, at: at('09:00') });
  for (const name of PRESENT) await run('recordAttendance', { meetingId, personId: personId(name), role: 'BESLUTANDE' });
  const decisions: Record<string, string> = {};
  for (const [index, { title, clauses }] of ITEMS.entries()) {
    const taken = await run<{ id: string }>('takeDecision', { meetingId, title, clauses, outcome: 'BIFALL', decidedAt: at(`${String(9 + Math.floor(index / 2)).padStart(2, '0')}:${index % 2 ? '30' : '00'}`) }, 'id');
    decisions[title] = taken.takeDecision.id;
  }
  await run('closeMeeting', { meetingId, at: at('12:00') });
  return { meetingId, decisions };
}
