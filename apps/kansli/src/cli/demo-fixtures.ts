import { loadBudget2019 } from './demo-budget-2019';
import { loadAttestordning20200611, loadDelegation20180614 } from './demo-delegation';
import { loadMeeting20180614, type Send } from './demo-2018-06-14';
import { ATTESTORDNING_TITLE, loadMeeting20200611 } from './demo-2020-06-11';

export interface DemoIds {
  bodyId: string;
  meetingId: string;
  meeting2020Id: string;
  delegationId: string;
  budgetId: string;
}

/** The parts of the demo, in the order loadDemo loads them (its progress). */
export const DEMO_STEPS = ['the meeting of 2018-06-14', '§ 34: the delegation order', 'the meeting of 2020-06-11', 'the attestordning of 2020-06-11', 'the 2019 budget and its outcome'] as const;

/**
 * Everything `npm run demo` loads from ../shared/fixtures/documents, in the order it happened: the 2018-06-14
 * meeting, its § 34 revision of the delegation order, the 2020-06-11 meeting (from its kallelse) and the
 * attestordning it approved, and the 2019 budget with its outcome from the årsredovisning 2019.
 */
export async function loadDemo(send: Send, onStep: (step: (typeof DEMO_STEPS)[number], index: number) => void = () => undefined): Promise<DemoIds> {
  onStep(DEMO_STEPS[0], 0);
  const { bodyId, meetingId } = await loadMeeting20180614(send);
  const { meeting } = await send<{ meeting: { decisions: Array<{ id: string; paragraph: number }> } }>(
    'query($id: ID!) { meeting(id: $id) { decisions { id paragraph } } }',
    { id: meetingId },
  );
  const paragraph34 = meeting.decisions.find((decision) => decision.paragraph === 34);
  if (!paragraph34) throw new Error('§ 34 of 2018-06-14 was not loaded');
  onStep(DEMO_STEPS[1], 1);
  const { delegationId } = await loadDelegation20180614(send, { bodyId, decisionId: paragraph34.id });
  onStep(DEMO_STEPS[2], 2);
  const meeting2020 = await loadMeeting20200611(send, bodyId);
  onStep(DEMO_STEPS[3], 3);
  await loadAttestordning20200611(send, { bodyId, decisionId: meeting2020.decisions[ATTESTORDNING_TITLE] });
  onStep(DEMO_STEPS[4], 4);
  const { budgetId } = await loadBudget2019(send, bodyId);
  return { bodyId, meetingId, meeting2020Id: meeting2020.meetingId, delegationId, budgetId };
}
