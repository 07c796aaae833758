import { deciderSpec } from '@kansli/testing';
import {
  AppointJusterare,
  CancelMeeting,
  CorrectProtocol,
  DeclareJav,
  JusteraProtocol,
  OpenMeeting,
  PostAnslag,
  RaiseMotion,
  RecordAttendance,
  RescheduleMeeting,
  SignProtocol,
  TakeDecision,
  withRoster,
  type Roster,
} from './meeting.commands';
import { meetingDecider } from './meeting.decider';
import type { AttendanceRecorded, DecisionTaken, MeetingEvent, ProtocolCorrected, SubstituteOutOfOrder } from './meeting.events';

const context = { occurredAt: '2018-06-14T09:00:00+02:00' };
const meetingId = 'm1';
// Five seats: Almgren (ordförande), Andersson, Lindfors, Eriksson, Öberg; Vestring-Sandberg is an ersättare.
const roster: Roster = {
  seats: 5,
  members: [
    { personId: 'almgren', role: 'LEDAMOT', position: 'ORDFORANDE' },
    { personId: 'andersson', role: 'LEDAMOT', position: null },
    { personId: 'lindfors', role: 'LEDAMOT', position: null },
    { personId: 'eriksson', role: 'LEDAMOT', position: null },
    { personId: 'oberg', role: 'LEDAMOT', position: null },
    { personId: 'vestring', role: 'ERSATTARE', position: null },
  ],
};
const scheduled: MeetingEvent = {
  type: 'MeetingScheduled',
  data: { meetingId, bodyId: 'b1', start: '2018-06-14T09:00:00+02:00', end: null, place: 'Hörnellgatan 17', agenda: [] },
};
const opened: MeetingEvent = { type: 'MeetingOpened', data: { meetingId, at: '2018-06-14T09:00:00+02:00', firstParagraph: 24 } };
const present = (personId: string, extra: Partial<AttendanceRecorded['data']> = {}): MeetingEvent => ({
  type: 'AttendanceRecorded',
  data: { meetingId, personId, role: 'BESLUTANDE', replacingPersonId: null, fromParagraph: null, toParagraph: null, ...extra },
});
const serving = (personId: string, replacing: string, extra: Partial<AttendanceRecorded['data']> = {}): MeetingEvent =>
  present(personId, { role: 'TJANSTGORANDE_ERSATTARE', replacingPersonId: replacing, ...extra });
const motion = (motionId: string): MeetingEvent => ({
  type: 'MotionRaised',
  data: { meetingId, motionId, agendaItemId: null, title: `Motion ${motionId}`, dnr: null, proposedBy: 'Förbundschefen', clauses: ['att bevilja'] },
});
const quorate = [scheduled, opened, present('almgren'), present('andersson'), present('lindfors'), serving('vestring', 'eriksson')];

const decide = (overrides: Partial<TakeDecision> = {}, paragraph = 29) =>
  Object.assign(
    new TakeDecision(meetingId, 'd1', ['x'], null, ['att bevilja upp till 200 000 kr'], 'BIFALL', '2018-06-14T10:00:00+02:00', [], [], false, context),
    overrides,
  ).resolved(paragraph, roster);
const taken = (extra: Partial<DecisionTaken['data']> = {}): DecisionTaken => ({
  type: 'DecisionTaken',
  data: {
    meetingId,
    bodyId: 'b1',
    decisionId: 'd1',
    paragraph: 29,
    motionIds: ['x'],
    title: 'Motion x',
    clauses: ['att bevilja upp till 200 000 kr'],
    outcome: 'BIFALL',
    decidedAt: '2018-06-14T10:00:00+02:00',
    votes: [],
    reservations: [],
    serving: ['almgren', 'andersson', 'lindfors', 'vestring'],
    immediateJustering: false,
    ...extra,
  },
});
const attend = (personId: string, role: RecordAttendance['role'], replacing: string | null = null, from: number | null = null, to: number | null = null) =>
  withRoster(new RecordAttendance(meetingId, personId, role, replacing, from, to, context), roster);
const justera = (signatories: string[], at = '2018-06-20') => withRoster(new JusteraProtocol(meetingId, at, signatories, context), roster);
const justerad: MeetingEvent = {
  type: 'ProtocolJusterad',
  data: { meetingId, justeradAt: '2018-06-20', signatoryIds: ['almgren', 'vestring'], signatures: [] },
};
const appointed: MeetingEvent = { type: 'JusterareAppointed', data: { meetingId, personIds: ['vestring'] } };

describe('meeting decider', () => {
  it('takes a decision at a quorate paragraph, recording who served', () => {
    deciderSpec(meetingDecider).given([...quorate, motion('x')]).when(decide()).then([taken()]);
  });

  it('R1: refuses a decision without quorum (more than half of the seats serving)', () => {
    const two = [scheduled, opened, present('almgren'), present('andersson'), motion('x')];
    deciderSpec(meetingDecider).given(two).when(decide()).thenThrows(/No quorum at § 29: 2 of 5 seats/, { code: 'RULE_VIOLATION', rule: 'R1' });
    // A member who leaves after § 28 no longer counts at § 29.
    const leaves = [scheduled, opened, present('almgren'), present('andersson'), present('lindfors', { toParagraph: 28 }), motion('x')];
    deciderSpec(meetingDecider).given(leaves).when(decide()).thenThrows(/No quorum/, { rule: 'R1' });
  });

  it('R2: an ersättare serves only in place of a named ledamot who is absent, and only an ersättare can', () => {
    const base = [scheduled, opened, present('almgren')];
    deciderSpec(meetingDecider).given(base).when(attend('vestring', 'TJANSTGORANDE_ERSATTARE')).thenThrows(/give replacingPersonId/, { rule: 'R2' });
    deciderSpec(meetingDecider).given(base).when(attend('vestring', 'TJANSTGORANDE_ERSATTARE', 'almgren')).thenThrows(/present, or already replaced/, { rule: 'R2' });
    deciderSpec(meetingDecider).given(base).when(attend('andersson', 'TJANSTGORANDE_ERSATTARE', 'eriksson')).thenThrows(/Only an ersättare/, { rule: 'R2' });
    deciderSpec(meetingDecider).given(base).when(attend('vestring', 'BESLUTANDE')).thenThrows(/Only a ledamot/, { rule: 'R2' });
    // Changes of who serves happen between paragraphs: Vestring serves for Eriksson until § 30, Eriksson from § 31.
    const swapped = [...base, serving('vestring', 'eriksson')].map((e) =>
      e.type === 'AttendanceRecorded' && e.data.personId === 'vestring' ? present('vestring', { role: 'TJANSTGORANDE_ERSATTARE', replacingPersonId: 'eriksson', toParagraph: 30 }) : e,
    );
    deciderSpec(meetingDecider)
      .given(swapped)
      .when(attend('eriksson', 'BESLUTANDE', null, 31))
      .then([present('eriksson', { fromParagraph: 31 })]);
    deciderSpec(meetingDecider).given(swapped).when(attend('eriksson', 'BESLUTANDE', null, 30)).thenThrows(/already serves in place/, { rule: 'R2' });
  });

  describe('R2: the order in which ersättare are called', () => {
    // Eriksson (Arbetsförmedlingen) is absent. Arbetsförmedlingen's ersättare: Ek and Nilsson first, Vestring second;
    // Lindgren is Skellefteå kommun's. Öberg sits for a party (S), whose ersättare is Holm.
    const ordered: Roster = {
      seats: 5,
      members: [
        { personId: 'almgren', role: 'LEDAMOT', position: 'ORDFORANDE', representing: 'Skellefteå kommun' },
        { personId: 'eriksson', role: 'LEDAMOT', position: null, representing: 'Arbetsförmedlingen' },
        { personId: 'oberg', role: 'LEDAMOT', position: null, representing: 'Arbetsförmedlingen', party: 'S' },
        { personId: 'ek', role: 'ERSATTARE', position: null, representing: 'Arbetsförmedlingen', substituteOrder: 1 },
        { personId: 'nilsson', role: 'ERSATTARE', position: null, representing: 'Arbetsförmedlingen', substituteOrder: 1 },
        { personId: 'vestring', role: 'ERSATTARE', position: null, representing: 'Arbetsförmedlingen', substituteOrder: 2 },
        { personId: 'lindgren', role: 'ERSATTARE', position: null, representing: 'Skellefteå kommun', substituteOrder: 1 },
        { personId: 'holm', role: 'ERSATTARE', position: null, representing: 'Skellefteå kommun', party: 'S', substituteOrder: 3 },
      ],
    };
    const record = (personId: string, role: RecordAttendance['role'], replacing: string | null = null, from: number | null = null, to: number | null = null) =>
      withRoster(new RecordAttendance(meetingId, personId, role, replacing, from, to, context), ordered);
    const waiting = (personId: string, extra: Partial<AttendanceRecorded['data']> = {}) => present(personId, { role: 'ERSATTARE', ...extra });
    const passedOver = (expectedPersonId: string, extra: Partial<SubstituteOutOfOrder> = {}): SubstituteOutOfOrder => ({
      servingPersonId: 'vestring',
      replacingPersonId: 'eriksson',
      expectedPersonId,
      fromParagraph: null,
      toParagraph: null,
      orderOf: 'Arbetsförmedlingen',
      ...extra,
    });
    const base = [scheduled, opened, present('almgren')];

    it('R2: an ersättare who serves while one before them in the order is present is recorded, naming who should have been called', () => {
      deciderSpec(meetingDecider)
        .given([...base, waiting('nilsson')])
        .when(record('vestring', 'TJANSTGORANDE_ERSATTARE', 'eriksson'))
        .then([serving('vestring', 'eriksson', { outOfOrder: [passedOver('nilsson')] })]);
      deciderSpec(meetingDecider).given([...base, waiting('vestring')]).when(record('nilsson', 'TJANSTGORANDE_ERSATTARE', 'eriksson')).then([serving('nilsson', 'eriksson')]);
    });

    it('R2: the order is found whichever of the two is recorded first', () => {
      deciderSpec(meetingDecider)
        .given([...base, serving('vestring', 'eriksson')])
        .when(record('nilsson', 'ERSATTARE'))
        .then([waiting('nilsson', { outOfOrder: [passedOver('nilsson')] })]);
      // Once flagged, another ersättare before Vestring arriving does not flag the same service again.
      deciderSpec(meetingDecider)
        .given([...base, waiting('nilsson'), serving('vestring', 'eriksson', { outOfOrder: [passedOver('nilsson')] })])
        .when(record('ek', 'ERSATTARE'))
        .then([waiting('ek')]);
    });

    it('R2: available means present for every paragraph served and not serving already; the order is the ledamot’s party’s, else its organisation’s', () => {
      // Another organisation's ersättare is not in Arbetsförmedlingen's order.
      deciderSpec(meetingDecider).given([...base, waiting('lindgren')]).when(record('vestring', 'TJANSTGORANDE_ERSATTARE', 'eriksson')).then([serving('vestring', 'eriksson')]);
      // Nilsson came at § 30: not available when Vestring began to serve for the whole meeting.
      deciderSpec(meetingDecider)
        .given([...base, waiting('nilsson', { fromParagraph: 30 })])
        .when(record('vestring', 'TJANSTGORANDE_ERSATTARE', 'eriksson'))
        .then([serving('vestring', 'eriksson')]);
      // ...but available for § 30 onwards.
      deciderSpec(meetingDecider)
        .given([...base, waiting('nilsson', { fromParagraph: 30 })])
        .when(record('vestring', 'TJANSTGORANDE_ERSATTARE', 'eriksson', 31))
        .then([serving('vestring', 'eriksson', { fromParagraph: 31, outOfOrder: [passedOver('nilsson', { fromParagraph: 31 })] })]);
      // Nilsson serves in Öberg's place: not available for Eriksson's.
      deciderSpec(meetingDecider)
        .given([...base, serving('nilsson', 'oberg')])
        .when(record('vestring', 'TJANSTGORANDE_ERSATTARE', 'eriksson'))
        .then([serving('vestring', 'eriksson')]);
      // Öberg has a party: party S's ersättare (Holm) come first, not Arbetsförmedlingen's.
      deciderSpec(meetingDecider)
        .given([...base, waiting('holm')])
        .when(record('nilsson', 'TJANSTGORANDE_ERSATTARE', 'oberg'))
        .then([serving('nilsson', 'oberg', { outOfOrder: [passedOver('holm', { servingPersonId: 'nilsson', replacingPersonId: 'oberg', orderOf: 'S' })] })]);
    });
  });

  it('R3: a jävig member neither votes nor counts towards quorum in that paragraph', () => {
    const withJav = [...quorate, motion('x'), { type: 'JavDeclared', data: { meetingId, personId: 'lindfors', motionId: 'x' } } as MeetingEvent];
    deciderSpec(meetingDecider)
      .given(withJav)
      .when(decide({ votes: [{ personId: 'lindfors', ballot: 'JA' }] }))
      .thenThrows(/A jävig member cannot vote/, { rule: 'R3' });
    const fourPresent = [scheduled, opened, present('almgren'), present('andersson'), present('lindfors'), motion('x')];
    deciderSpec(meetingDecider)
      .given([...fourPresent, { type: 'JavDeclared', data: { meetingId, personId: 'lindfors', motionId: 'x' } } as MeetingEvent])
      .when(decide())
      .thenThrows(/No quorum at § 29: 2 of 5/, { rule: 'R1' });
    deciderSpec(meetingDecider)
      .given([...quorate, motion('x'), taken()])
      .when(new DeclareJav(meetingId, 'lindfors', 'x', context))
      .thenThrows(/already decided in § 29/, { rule: 'R3' });
  });

  it('R4: votes and reservations are structured per member, and only serving members cast them', () => {
    const votes = [
      { personId: 'almgren', ballot: 'JA' as const },
      { personId: 'andersson', ballot: 'NEJ' as const },
    ];
    const reservations = [{ personId: 'andersson', reason: 'Till förmån för eget yrkande' }];
    deciderSpec(meetingDecider).given([...quorate, motion('x')]).when(decide({ votes, reservations })).then([taken({ votes, reservations })]);
    deciderSpec(meetingDecider)
      .given([...quorate, motion('x')])
      .when(decide({ votes: [{ personId: 'eriksson', ballot: 'JA' }] }))
      .thenThrows(/Only members serving at § 29 vote/, { rule: 'R4' });
    deciderSpec(meetingDecider)
      .given([...quorate, motion('x')])
      .when(decide({ reservations: [{ personId: 'oberg', reason: null }] }))
      .thenThrows(/Only members who took part/, { rule: 'R4' });
  });

  it('R5: only the chair and the appointed justerare justera, and all of them sign', () => {
    const held = [...quorate, motion('x'), taken(), appointed];
    deciderSpec(meetingDecider)
      .given(held)
      .when(justera(['almgren', 'vestring']))
      .then([
        {
          type: 'ProtocolJusterad',
          data: {
            meetingId,
            justeradAt: '2018-06-20',
            signatoryIds: ['almgren', 'vestring'],
            signatures: [
              { personId: 'almgren', signedAt: '2018-06-20' },
              { personId: 'vestring', signedAt: '2018-06-20' },
            ],
          },
        },
      ]);
    deciderSpec(meetingDecider).given(held).when(justera(['almgren', 'andersson'])).thenThrows(/someone else signed/, { rule: 'R5' });
    deciderSpec(meetingDecider).given(held).when(justera(['vestring'])).thenThrows(/1 signature\(s\) missing/, { rule: 'R5' });
    deciderSpec(meetingDecider).given([...quorate]).when(justera(['almgren'])).thenThrows(/No justerare has been appointed/, { rule: 'R5' });
  });

  it('R5: digital justering: the chair and each justerare sign for themselves; the last signature justerar', () => {
    const held = [...quorate, motion('x'), taken(), appointed];
    const sign = (personId: string, at = '2018-06-20') => withRoster(new SignProtocol(meetingId, personId, at, context), roster);
    const first: MeetingEvent = { type: 'ProtocolSigned', data: { meetingId, personId: 'almgren', signedAt: '2018-06-18' } };
    deciderSpec(meetingDecider).given(held).when(sign('almgren', '2018-06-18')).then([first]);
    deciderSpec(meetingDecider)
      .given([...held, first])
      .when(sign('vestring'))
      .then([
        { type: 'ProtocolSigned', data: { meetingId, personId: 'vestring', signedAt: '2018-06-20' } },
        {
          type: 'ProtocolJusterad',
          data: {
            meetingId,
            justeradAt: '2018-06-20',
            signatoryIds: ['almgren', 'vestring'],
            signatures: [
              { personId: 'almgren', signedAt: '2018-06-18' },
              { personId: 'vestring', signedAt: '2018-06-20' },
            ],
          },
        },
      ]);
    deciderSpec(meetingDecider).given(held).when(sign('andersson')).thenThrows(/Only the chair and the appointed justerare sign/, { rule: 'R5' });
    deciderSpec(meetingDecider).given([...held, first]).when(sign('almgren')).then([]);
    deciderSpec(meetingDecider).given([...held, justerad]).when(sign('almgren')).thenThrows(/already justerade/, { rule: 'R9' });
  });

  it('refuses a justering dated before the meeting', () => {
    deciderSpec(meetingDecider).given([...quorate, appointed]).when(justera(['almgren', 'vestring'], '2018-06-13')).thenThrows(/before the meeting was held \(2018-06-14\)/);
  });

  it('R7: refuses an anslag before justering, and computes the appeal deadline (R8: posting + 21 days)', () => {
    const post = (postedAt: string, removeAfter = '2018-09-30') => new PostAnslag(meetingId, postedAt, removeAfter, 'Kommunledningskontoret', context);
    deciderSpec(meetingDecider).given([...quorate, appointed]).when(post('2018-06-21')).thenThrows(/not justerade yet/, { rule: 'R7' });
    deciderSpec(meetingDecider).given([...quorate, appointed, justerad]).when(post('2017-02-01')).thenThrows(/cannot be posted before the minutes were justerade/, { rule: 'R7' });
    deciderSpec(meetingDecider)
      .given([...quorate, appointed, justerad])
      .when(post('2018-08-10', '2018-08-31'))
      .then([
        {
          type: 'AnslagPosted',
          data: { meetingId, postedAt: '2018-08-10', removeAfter: '2018-08-31', storageLocation: 'Kommunledningskontoret', appealDeadline: '2018-08-31' },
        },
      ]);
  });

  it('R9: after justering nothing in the minutes changes', () => {
    const done = [...quorate, motion('x'), taken(), appointed, justerad];
    deciderSpec(meetingDecider).given(done).when(decide({ decisionId: 'd2', motionIds: [], title: 'Tillägg' }, 40)).thenThrows(/justerade on 2018-06-20/, { rule: 'R9' });
    deciderSpec(meetingDecider).given(done).when(attend('oberg', 'BESLUTANDE')).thenThrows(/attendance cannot change/, { rule: 'R9' });
    deciderSpec(meetingDecider)
      .given(done)
      .when(new RaiseMotion(meetingId, 'y', null, 'Sent', null, 'Almgren', [], context))
      .thenThrows(/motions cannot change/, { rule: 'R9' });
    deciderSpec(meetingDecider).given(done).when(new AppointJusterare(meetingId, ['andersson'], context)).thenThrows(/justerare cannot change/, { rule: 'R9' });
    deciderSpec(meetingDecider).given(done).when(justera(['almgren', 'vestring'])).thenThrows(/already justerade/, { rule: 'R9' });
  });

  it('R9: a paragraph justerad immediately at the meeting is sealed before the rest of the minutes', () => {
    const sealed = [...quorate, motion('x'), taken({ immediateJustering: true })];
    deciderSpec(meetingDecider).given(sealed).when(attend('oberg', 'BESLUTANDE')).thenThrows(/§ 29 was justerad immediately/, { rule: 'R9' });
    deciderSpec(meetingDecider).given(sealed).when(attend('oberg', 'BESLUTANDE', null, 30)).then([present('oberg', { fromParagraph: 30 })]);
  });

  describe('R9: corrections of justerade minutes', () => {
    const clause = 'att bevilja Socialkontoret upp till 200 000 kr från 2018-08-01';
    const done = [...quorate, motion('x'), taken({ clauses: [clause], reservations: [{ personId: 'andersson', reason: 'Till förmån för eget yrkandee' }] }), appointed, justerad];
    const correct = (field: string, from: string, to: string, extra: Partial<CorrectProtocol> = {}) =>
      withRoster(
        Object.assign(new CorrectProtocol(meetingId, 29, field, from, to, 'Felskrivning i protokollet', '2018-09-20', null, [], context, null), extra),
        roster,
      );
    const correction = (extra: Partial<ProtocolCorrected['data']>): ProtocolCorrected => ({
      type: 'ProtocolCorrected',
      data: {
        meetingId,
        bodyId: 'b1',
        paragraph: 29,
        correctedDecisionId: 'd1',
        field: 'clauses',
        from: clause,
        to: clause.replace('2018-08-01', '2018-08-15'),
        index: 0,
        reason: 'Felskrivning i protokollet',
        correctedAt: '2018-09-20',
        decisionId: null,
        signatoryIds: [],
        ...extra,
      },
    });

    it('R9: a justerad att-clause is corrected by a new event naming from and to; the next correction starts from the corrected text', () => {
      const dated = correction({});
      deciderSpec(meetingDecider).given(done).when(correct('clauses', clause, clause.replace('2018-08-01', '2018-08-15'))).then([dated]);
      deciderSpec(meetingDecider).given([...done, dated]).when(correct('clauses', clause, clause.replace('2018-08-01', '2018-08-16'))).thenThrows(/att-clauses as it stands now/);
      const again = clause.replace('2018-08-01', '2018-08-15');
      deciderSpec(meetingDecider)
        .given([...done, dated])
        .when(correct('clauses', again, again.replace('Socialkontoret', 'Socialkontorett'), { decisionId: 'd9', decisionBodyId: 'b1' }))
        .then([correction({ from: again, to: again.replace('Socialkontoret', 'Socialkontorett'), decisionId: 'd9' })]);
      deciderSpec(meetingDecider)
        .given(done)
        .when(correct('reservations', 'Till förmån för eget yrkandee', 'Till förmån för eget yrkande'))
        .then([correction({ field: 'reservations', from: 'Till förmån för eget yrkandee', to: 'Till förmån för eget yrkande', index: 0 })]);
      deciderSpec(meetingDecider)
        .given(done)
        .when(correct('decidedAt', '2018-06-14T10:00:00+02:00', '2018-06-14T10:30:00+02:00'))
        .then([correction({ field: 'decidedAt', from: '2018-06-14T10:00:00+02:00', to: '2018-06-14T10:30:00+02:00', index: null })]);
    });

    it('R9: a correction never changes what was decided: the outcome, the votes, the motions, an amount or a negation in a clause', () => {
      for (const field of ['outcome', 'votes', 'motions']) {
        deciderSpec(meetingDecider).given(done).when(correct(field, 'BIFALL', 'AVSLAG')).thenThrows(new RegExp(`"${field}" is what § 29 decided`), { code: 'RULE_VIOLATION', rule: 'R9' });
      }
      deciderSpec(meetingDecider)
        .given(done)
        .when(correct('clauses', clause, clause.replace('200 000 kr', '250 000 kr')))
        .thenThrows(/not a correction of § 29's wording: it changes an amount of money \(200 000 kr → 250 000 kr\)/, { rule: 'R9' });
      deciderSpec(meetingDecider).given(done).when(correct('clauses', clause, clause.replace('att bevilja', 'att inte bevilja'))).thenThrows(/adds the negation "inte"/, { rule: 'R9' });
      deciderSpec(meetingDecider).given(done).when(correct('colour', 'a', 'b')).thenThrows(/field must be one of title, clauses/, { code: 'BAD_USER_INPUT' });
    });

    it('R9: only justerade minutes are corrected; before justering they are a draft', () => {
      const draft = [...quorate, motion('x'), taken({ clauses: [clause] }), appointed];
      deciderSpec(meetingDecider).given(draft).when(correct('clauses', clause, clause.replace('2018-08-01', '2018-08-15'))).thenThrows(/not justerade yet/, { code: 'BAD_USER_INPUT' });
      const sealed = [...quorate, motion('x'), taken({ clauses: [clause], immediateJustering: true })];
      deciderSpec(meetingDecider)
        .given(sealed)
        .when(correct('clauses', clause, clause.replace('2018-08-01', '2018-08-15'), { correctedAt: '2018-06-14' }))
        .then([correction({ correctedAt: '2018-06-14' })]);
      deciderSpec(meetingDecider).given(done).when(correct('clauses', clause, clause, {})).thenThrows(/nothing to correct/);
      deciderSpec(meetingDecider).given(done).when(correct('clauses', clause, `${clause}.`, { correctedAt: '2018-06-19' })).thenThrows(/before the minutes were justerade \(2018-06-20\)/);
      deciderSpec(meetingDecider).given(done).when(correct('clauses', clause, `${clause}.`, { decisionId: 'd9', decisionBodyId: 'b2' })).thenThrows(/decision of the same body/);
      deciderSpec(meetingDecider).given(done).when(correct('title', 'Motion x', 'Motion X', { paragraph: 31 })).thenThrows(/§ 31 is not a paragraph of this meeting/);
    });

    it('R5: a correction of the justering date is a justering again: the chair and every justerare sign it', () => {
      deciderSpec(meetingDecider).given(done).when(correct('justeradAt', '2018-06-20', '2018-06-21')).thenThrows(/justering again.*2 signature\(s\) missing/, { rule: 'R5' });
      deciderSpec(meetingDecider).given(done).when(correct('justeradAt', '2018-06-20', '2018-06-21', { signatoryIds: ['almgren'] })).thenThrows(/1 signature\(s\) missing/, { rule: 'R5' });
      deciderSpec(meetingDecider).given(done).when(correct('justeradAt', '2018-06-20', '2018-06-21', { signatoryIds: ['almgren', 'vestring', 'oberg'] })).thenThrows(/someone else/, { rule: 'R5' });
      deciderSpec(meetingDecider)
        .given(done)
        .when(correct('justeradAt', '2018-06-20', '2018-06-21', { signatoryIds: ['almgren', 'vestring'] }))
        .then([correction({ field: 'justeradAt', from: '2018-06-20', to: '2018-06-21', index: null, signatoryIds: ['almgren', 'vestring'] })]);
      const posted: MeetingEvent = { type: 'AnslagPosted', data: { meetingId, postedAt: '2018-06-22', removeAfter: '2018-07-13', storageLocation: 'S', appealDeadline: '2018-07-13' } };
      deciderSpec(meetingDecider)
        .given([...done, posted])
        .when(correct('justeradAt', '2018-06-20', '2018-06-23', { signatoryIds: ['almgren', 'vestring'] }))
        .thenThrows(/anslag was posted on 2018-06-22/, { rule: 'R7' });
    });
  });

  describe('a meeting cancelled or moved before it opens', () => {
    const kallelse: MeetingEvent = {
      type: 'MeetingScheduled',
      data: { meetingId, bodyId: 'b1', start: '2018-06-14T09:00:00+02:00', end: '2018-06-14T15:00:00+02:00', place: 'Hörnellgatan 17', agenda: [] },
    };
    const cancel = new CancelMeeting(meetingId, '2018-06-10T12:00:00+02:00', 'Styrelsen är inte beslutför', context);
    const cancelled: MeetingEvent = { type: 'MeetingCancelled', data: { meetingId, at: '2018-06-10T12:00:00+02:00', reason: 'Styrelsen är inte beslutför' } };
    const move = (start: string, end: string | null = null, place: string | null = null) => new RescheduleMeeting(meetingId, start, end, place, 'Lokalen är upptagen', context);

    it('cancels a scheduled meeting; a cancelled meeting takes nothing more', () => {
      deciderSpec(meetingDecider).given([kallelse]).when(cancel).then([cancelled]);
      deciderSpec(meetingDecider).given([kallelse, cancelled]).when(new OpenMeeting(meetingId, '2018-06-14T09:00:00+02:00', 24, context)).thenThrows(/cancelled .*schedule a new meeting/);
      deciderSpec(meetingDecider).given([kallelse, cancelled]).when(cancel).thenThrows(/was cancelled/);
      deciderSpec(meetingDecider).given([kallelse, cancelled]).when(move('2018-06-21T09:00:00+02:00')).thenThrows(/was cancelled/);
      deciderSpec(meetingDecider).given([kallelse, opened]).when(cancel).thenThrows(/opened on 2018-06-14T09:00:00\+02:00: a meeting is cancelled before it opens/);
      deciderSpec(meetingDecider).given([kallelse]).when(new CancelMeeting(meetingId, '2018-06-10T12:00:00+02:00', '  ', context)).thenThrows(/Give the reason/);
    });

    it('moves a scheduled meeting, keeping the earlier kallelse in the event; without an end it keeps its length', () => {
      const previous = { start: '2018-06-14T09:00:00+02:00', end: '2018-06-14T15:00:00+02:00', place: 'Hörnellgatan 17' };
      deciderSpec(meetingDecider)
        .given([kallelse])
        .when(move('2018-06-21T10:00:00+02:00', null, 'Norsjö kommunhus'))
        .then([
          {
            type: 'MeetingRescheduled',
            data: { meetingId, start: '2018-06-21T10:00:00+02:00', end: '2018-06-21T16:00:00+02:00', place: 'Norsjö kommunhus', reason: 'Lokalen är upptagen', previous },
          },
        ]);
      const moved: MeetingEvent = { type: 'MeetingRescheduled', data: { meetingId, start: '2018-06-21T10:00:00+02:00', end: '2018-06-21T12:00:00+02:00', place: 'Hörnellgatan 17', reason: 'x', previous } };
      deciderSpec(meetingDecider)
        .given([kallelse, moved])
        .when(move('2018-06-28T10:00:00+02:00'))
        .then([
          {
            type: 'MeetingRescheduled',
            data: {
              meetingId,
              start: '2018-06-28T10:00:00+02:00',
              end: '2018-06-28T12:00:00+02:00',
              place: 'Hörnellgatan 17',
              reason: 'Lokalen är upptagen',
              previous: { start: '2018-06-21T10:00:00+02:00', end: '2018-06-21T12:00:00+02:00', place: 'Hörnellgatan 17' },
            },
          },
        ]);
      deciderSpec(meetingDecider).given([kallelse]).when(move('2018-06-14T07:00:00Z')).thenThrows(/already at this time and place/);
      deciderSpec(meetingDecider).given([kallelse]).when(move('2018-06-21T10:00:00+02:00', '2018-06-21T09:00:00+02:00')).thenThrows(/cannot end/);
      deciderSpec(meetingDecider).given([kallelse, opened]).when(move('2018-06-21T10:00:00+02:00')).thenThrows(/a meeting is moved before it opens/);
    });
  });

  it('one paragraph decides several motions; a decided motion is not decided again', () => {
    deciderSpec(meetingDecider)
      .given([...quorate, motion('x'), motion('y')])
      .when(decide({ motionIds: ['x', 'y'], title: 'Ansökningar om medel' }))
      .then([taken({ motionIds: ['x', 'y'], title: 'Ansökningar om medel' })]);
    deciderSpec(meetingDecider).given([...quorate, motion('x'), motion('y')]).when(decide({ motionIds: ['x', 'y'] })).thenThrows(/Give the paragraph a title/);
    deciderSpec(meetingDecider).given([...quorate, motion('x'), taken()]).when(decide({ decisionId: 'd2' }, 30)).thenThrows(/already decided in § 29/);
  });
});
