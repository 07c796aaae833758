import type { Send } from './demo-2018-06-14';

/**
 * The delegation and attest registers of Samordningsförbundet Skellefteå-Norsjö, from the fixtures, sent as the
 * GraphQL mutations a client would send.
 *
 * 2018-06-14 § 34, "Revidering av delegationsordning"
 * (../shared/fixtures/documents/skelleftea-norsjo-styrelse-2018-06-14-protokoll.md): "att förbundschefen får
 * utföra mottagningskontroll samt pris- och sakkontroll för inkommande fakturor" and "att styrelseledamot Kenneth
 * Andersson får ersätta förbundschefen vid eventuell frånvaro under längre tid". Read as two entries:
 * - a delegation (category ATTEST) to the role Förbundschef, Kenneth Andersson substitute, from the meeting's day;
 * - the attest order's mottagningsattest of invoices ("Fakturor"), attestant Förbundschef, substitute Kenneth
 *   Andersson, from the same day.
 * Who the förbundschef is: the protocol's list of officials names "Maria Lindgren-Tuoma, Förbundschef" (she also
 * signs as secretary). She is found among the meeting's attendance and given the role Förbundschef from
 * 2018-06-14, the first day the fixtures show her in it; the fixtures say nothing of when it began or ends.
 */
export async function loadDelegation20180614(
  send: Send,
  ids: { bodyId: string; decisionId: string },
): Promise<{ forbundschefId: string; kennethId: string; delegationId: string; attestRuleId: string }> {
  const { decision } = await send<{ decision: { decidedAt: string; meeting: { attendance: Array<{ role: string; person: { id: string; name: string } }> } } | null }>(
    'query($id: ID!) { decision(id: $id) { decidedAt meeting { attendance { role person { id name } } } } }',
    { id: ids.decisionId },
  );
  if (!decision) throw new Error(`Decision ${ids.decisionId} (§ 34 of 2018-06-14) is not loaded: load the 2018-06-14 meeting first`);
  const forbundschef = decision.meeting.attendance.find((a) => a.role === 'TJANSTEMAN' && a.person.name === 'Maria Lindgren-Tuoma');
  if (!forbundschef) throw new Error('Maria Lindgren-Tuoma (förbundschef) is not among the 2018-06-14 meeting\'s officials');
  const { body } = await send<{ body: { members: Array<{ person: { id: string; name: string } }> } | null }>(
    'query($id: ID!) { body(id: $id) { members(asOf: "2018-06-14") { person { id name } } } }',
    { id: ids.bodyId },
  );
  const kenneth = body?.members.find((m) => m.person.name === 'Kenneth Andersson');
  if (!kenneth) throw new Error('Kenneth Andersson is not a member of the body on 2018-06-14');
  const day = '2018-06-14';

  await send('mutation($input: AssignRoleInput!) { assignRole(input: $input) { id } }', {
    input: { bodyId: ids.bodyId, role: 'Förbundschef', personId: forbundschef.person.id, from: day },
  });
  const { changeDelegation } = await send<{ changeDelegation: { id: string } }>('mutation($input: ChangeDelegationInput!) { changeDelegation(input: $input) { id } }', {
    input: {
      bodyId: ids.bodyId,
      action: 'GRANT',
      matter: 'Mottagningskontroll samt pris- och sakkontroll för inkommande fakturor till Samordningsförbundet',
      category: 'ATTEST',
      delegate: 'Förbundschef',
      substitute: kenneth.person.id,
      validFrom: day,
      decisionId: ids.decisionId,
    },
  });
  const { changeAttestRule } = await send<{ changeAttestRule: { id: string } }>('mutation($input: ChangeAttestRuleInput!) { changeAttestRule(input: $input) { id } }', {
    input: { bodyId: ids.bodyId, scope: 'Fakturor', kind: 'MOTTAGNING', attestant: 'Förbundschef', substitute: kenneth.person.id, validFrom: day, decisionId: ids.decisionId },
  });
  return { forbundschefId: forbundschef.person.id, kennethId: kenneth.person.id, delegationId: changeDelegation.id, attestRuleId: changeAttestRule.id };
}

/**
 * The attestordning of 2020-06-11 (../shared/fixtures/documents/skelleftea-norsjo-attestordning-2020-06-11.md),
 * "fr o m 2020-06-11 och tills vidare", approved by the cited decision (the 2020-06-11 meeting's item 8). Its
 * section 1 (fakturor, skattedeklarationer, löner, arvoden, resor, ledigheter, utbetalning av projektmedel) is
 * loaded under the scope "Fakturor", the same scope as the 2018 mottagning rule, so that the new order replaces
 * the old from 2020-06-11 (it names no substitute for the mottagningsattest, so Kenneth Andersson's substitution
 * of 2018 ends there):
 * - mottagningsattest: Förbundschef;
 * - beslutsattest: Ordförande (ORDFORANDE), substitute Vice ordförande (VICE_ORDFORANDE).
 * Not loaded: section 2 (contracts and investments: firmatecknare, a board decision above two prisbasbelopp) is
 * not an attest rule, and section 3 (bokföringsordrar attested by the förbundschef) names one attest where R14
 * wants two by different people.
 */
export async function loadAttestordning20200611(send: Send, ids: { bodyId: string; decisionId: string }): Promise<{ attestRuleIds: string[] }> {
  const rules = [
    { kind: 'MOTTAGNING', attestant: 'Förbundschef' },
    { kind: 'BESLUT', attestant: 'ORDFORANDE', substitute: 'VICE_ORDFORANDE' },
  ];
  const attestRuleIds: string[] = [];
  for (const rule of rules) {
    const { changeAttestRule } = await send<{ changeAttestRule: { id: string } }>('mutation($input: ChangeAttestRuleInput!) { changeAttestRule(input: $input) { id } }', {
      input: { bodyId: ids.bodyId, scope: 'Fakturor', validFrom: '2020-06-11', decisionId: ids.decisionId, ...rule },
    });
    attestRuleIds.push(changeAttestRule.id);
  }
  return { attestRuleIds };
}
