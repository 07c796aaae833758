import type { Send } from './demo-2018-06-14';

/**
 * The 2019 budget of Samordningsförbundet Skellefteå-Norsjö and its outcome, from the årsredovisning 2019
 * (../shared/fixtures/documents/skelleftea-norsjo-arsredovisning-2019.txt, OCR text; line numbers below are that file's).
 *
 * What is read, and from where:
 * - Every cost line, budget and outcome: section 8 "Sammanställning av budget och utfall 2019", lines 1048–1056,
 *   columns "Budget 2019" and "Utfall 2019": Verksamheter/projekt 4 757 840 / 4 120 948, Konferens/seminarier/
 *   utbildning 250 000 / 210 112, Övriga kostnader 227 000 / 325 796, Styrelsens arvoden 270 000 / 249 438,
 *   Styrelse utbildning/konferenser 0 / 81 743, Kansli 1 131 000 / 937 402. They add up to the printed "Totalt"
 *   6 635 840 / 5 925 439 (line 1056); the outcome also equals "Verksamhetens kostnader −5925439" (line 938).
 * - Income: "Intäkter/medlemsavgifter 5 814 000 / 5814000" and "Intäkter/övriga intäkter 60000 / 26 200"
 *   (lines 1057, 1061). The member fees are recorded as one line per payer, so that R13 can weigh the FINSAM shares:
 *   note 1 (lines 1021–1024) gives staten 2 907 000, Skellefteå kommun 1 383 000, Norsjö kommun 70 000,
 *   landsting/region 1 454 000 — together the printed 5 814 000, which section 1.2.5 (lines 187–189) calls the
 *   year's allocation from the members (½ state, ¼ region, ¼ kommuner). As budget equals outcome for the fees, the
 *   same four figures are both. The region is Region Västerbotten (the board's members, lines 841 and 850).
 * - Check: income 5 874 000 − costs 6 635 840 = −761 840, the driftsredovisning's "Aktuell budget" result
 *   (line 928, with "Bidrag/intäkt 5874000" and "Nettokostnad −6 635 840", lines 926–927).
 *
 * OCR damage and printed inconsistencies, and how they are resolved:
 * - "Ovriga", "Intäkter" spelled "Intikter"/"Intdkter", "Styrelse Utbildning": names are written in proper Swedish.
 * - The differens of Styrelse utbildning/konferenser is printed "81743" without its minus sign; differences are not
 *   loaded (the API computes deviation = outcome − revised).
 * - The differens of Verksamheter/projekt is printed 636 852, but 4 757 840 − 4 120 948 = 636 892; likewise the
 *   driftsredovisning prints the outcome's net cost as −5 925 479 and the deviation as 710 361 (line 926), 40 kr
 *   off the lines. The lines are loaded as printed: they add up to the printed totals and the resultaträkning.
 * - The outcome's result is printed −85 240 (lines 928, 945, 1065); the printed lines give 5 840 200 − 5 925 439 =
 *   −85 239. The 1 kr is the original's rounding (öre); the API shows −85 239 from the lines.
 *
 * What is not loaded: a revision. The "Budget" column is the aktuell budget: section 1.1 (line 81) says the budget
 * planned a deficit of "cirka − 360 000 kr", and section 1.4 (line 708) speaks of a "tilläggsbeslut" that raised the
 * spending, but the text gives neither the original lines nor the decision (date, paragraph), and a revision must
 * cite its decision. So the aktuell budget is adopted as it stands, without a decision, on 2020-02-13, the day the
 * board signed the årsredovisning that prints it (line 1074): the document gives no adoption date, and an earlier
 * date would claim figures the budget did not have before the tilläggsbeslut. `budget(…, asOf:)` before that day
 * answers null. The outcome is as of 2019-12-31.
 */
const COSTS: Array<[code: string, name: string, budget: number, outcome: number]> = [
  ['VERKSAMHETER', 'Verksamheter/projekt', 4_757_840, 4_120_948],
  ['KONFERENSER', 'Konferens/seminarier/utbildning', 250_000, 210_112],
  ['OVRIGA-KOSTNADER', 'Övriga kostnader', 227_000, 325_796],
  ['STYRELSE-ARVODEN', 'Styrelsens arvoden', 270_000, 249_438],
  ['STYRELSE-UTBILDNING', 'Styrelse utbildning/konferenser', 0, 81_743],
  ['KANSLI', 'Kansli', 1_131_000, 937_402],
];
const INCOME: Array<[code: string, name: string, budget: number, outcome: number, contributor: string | null]> = [
  ['MEDLEM-STATEN', 'Medlemsavgift staten', 2_907_000, 2_907_000, 'Försäkringskassan och Arbetsförmedlingen'],
  ['MEDLEM-REGION', 'Medlemsavgift Region Västerbotten', 1_454_000, 1_454_000, 'Region Västerbotten'],
  ['MEDLEM-SKELLEFTEA', 'Medlemsavgift Skellefteå kommun', 1_383_000, 1_383_000, 'Skellefteå kommun'],
  ['MEDLEM-NORSJO', 'Medlemsavgift Norsjö kommun', 70_000, 70_000, 'Norsjö kommun'],
  ['OVRIGA-INTAKTER', 'Övriga intäkter', 60_000, 26_200, null],
];

export const BUDGET_2019_SOURCE = 'Årsredovisning 2019, avsnitt 8 "Sammanställning av budget och utfall 2019" och not 1';

/** Adopts the body's 2019 budget and records its outcome as of 2019-12-31; returns the budget's id. */
export async function loadBudget2019(send: Send, bodyId: string): Promise<{ budgetId: string }> {
  const lines = [
    ...COSTS.map(([code, name, amount]) => ({ code, name, amount, kind: 'COST' })),
    ...INCOME.map(([code, name, amount, , contributor]) => ({ code, name, amount, kind: 'INCOME', contributor })),
  ];
  const { adoptBudget } = await send<{ adoptBudget: { id: string } }>('mutation($input: AdoptBudgetInput!) { adoptBudget(input: $input) { id } }', {
    input: { bodyId, year: 2019, lines, adoptedAt: '2020-02-13T12:00:00+01:00' },
  });
  const outcome = [...COSTS, ...INCOME].map(([code, , , amount]) => ({ code, amount }));
  await send('mutation($input: RecordBudgetOutcomeInput!) { recordBudgetOutcome(input: $input) { id } }', {
    input: { budgetId: adoptBudget.id, asOf: '2019-12-31', source: BUDGET_2019_SOURCE, lines: outcome },
  });
  return { budgetId: adoptBudget.id };
}
