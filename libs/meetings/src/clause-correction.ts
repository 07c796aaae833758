/**
 * Where a correction of a justerad att-clause stops being a correction (R9).
 *
 * A correction puts right how the minutes *wrote* a decision, never *what* was decided. Compared token by token
 * (words, numbers, dates, amounts; spaces and punctuation are form), an att-clause may be corrected in:
 * - a full date (2018-04-06, 27 oktober 2017): the misprint the fixtures show most;
 * - the spelling of a name or a word: a word replaced by one a letter or two away (at most 1 edit in a word of
 *   4–7 letters, 2 from 8 letters; a word of 3 letters or fewer only in its case), e.g. Westring → Vestring;
 * - a reference: the number after §, dnr, bilaga, bilagor, bil., paragraf, nr or diarienummer (and the numbers
 *   listed after it: "bilaga 4, 5, 6");
 * - spacing and punctuation ("200 000kr" → "200 000 kr").
 * Everything else changes the decision, and takes a new decision at a later meeting:
 * - an amount of money (kr, kronor, tkr, mkr, SEK) or a share (%, procent) that differs in value;
 * - a negation added or removed (inte, ej, icke, ingen, inget, inga, aldrig, varken; an o- or icke- prefix);
 * - any other number (a count, a bare year such as "budget för 2018", a period "2019-2020");
 * - a word added or removed, or replaced by a different word: a rewritten clause. The number of att-clauses
 *   cannot change either: a correction replaces one clause by one text, and may not add the words of another.
 * A date that sets a term of the decision ("till och med 2018-06-30") is indistinguishable by form from a
 * cited one: it is accepted as a date, and the correction stays visible with its reason and its from and to.
 */
export function substanceChangedIn(from: string, to: string): string | null {
  const before = tokens(from);
  const after = tokens(to);
  const amounts = (list: Token[], kind: 'money' | 'share') => list.filter((t) => t.kind === kind);
  for (const kind of ['money', 'share'] as const) {
    const [was, is] = [amounts(before, kind), amounts(after, kind)];
    if (was.length !== is.length || was.some((t, i) => t.value !== is[i].value)) {
      const what = kind === 'money' ? 'an amount of money' : 'a share';
      return `it changes ${what} (${list(was)} → ${list(is)})`;
    }
  }
  const [words, corrected] = [before.filter((t) => !isAmount(t)), after.filter((t) => !isAmount(t))];
  for (const hunk of differences(words, corrected)) {
    const negation = [...hunk.removed, ...hunk.added].find((t) => t.kind === 'word' && NEGATIONS.has(t.text.toLowerCase()));
    if (negation) return `it ${hunk.added.includes(negation) ? 'adds' : 'removes'} the negation "${negation.text}"`;
    if (hunk.removed.length !== hunk.added.length) {
      return hunk.added.length > hunk.removed.length
        ? `it adds ${quote(hunk.added)}${hunk.removed.length ? ` in place of ${quote(hunk.removed)}` : ''}, which rewrites the clause`
        : `it removes ${quote(hunk.removed)}${hunk.added.length ? ` for ${quote(hunk.added)}` : ''}, which rewrites the clause`;
    }
    for (const [i, was] of hunk.removed.entries()) {
      const why = replacement(was, hunk.added[i], words, hunk.start + i);
      if (why) return why;
    }
  }
  return null;
}

type Token = { kind: 'date' | 'money' | 'share' | 'number' | 'word' | 'section'; text: string; value?: number };

const MONTHS = 'januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december';
const NUMBER = String.raw`\d{1,3}(?:[ \u00a0]\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`;
const TOKEN = new RegExp(
  [
    String.raw`(?<date>\d{4}-\d{2}-\d{2}(?!\d)|\d{1,2}\s+(?:${MONTHS})\s+\d{4}(?!\d))`,
    String.raw`(?<money>(?:${NUMBER})\s*(?:kronor|kr|tkr|mkr|miljoner\s+kronor|sek)(?!\p{L})|(?:${NUMBER})\s*:-)`,
    String.raw`(?<share>(?:${NUMBER})\s*(?:%|procent(?!\p{L})))`,
    String.raw`(?<number>\d+(?:[-/:]\d+)+|${NUMBER})`,
    String.raw`(?<word>\p{L}+)`,
    String.raw`(?<section>§)`,
  ].join('|'),
  'giu',
);
const UNITS: Array<[RegExp, number]> = [
  [/tkr$/i, 1_000],
  [/(mkr|miljoner\s+kronor)$/i, 1_000_000],
];
const NEGATIONS = new Set(['inte', 'ej', 'icke', 'ingen', 'inget', 'inga', 'aldrig', 'varken']);
const REFERENCE_WORDS = new Set(['dnr', 'bilaga', 'bilagor', 'bil', 'paragraf', 'paragraferna', 'nr', 'diarienummer']);

function tokens(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((match) => {
    const [kind, found] = Object.entries(match.groups!).find(([, value]) => value !== undefined)! as [Token['kind'], string];
    return kind === 'money' || kind === 'share' ? { kind, text: found, value: amount(found) } : { kind, text: found };
  });
}

/** The value in whole units: 200 000kr and 200 tkr are both 200000. */
function amount(text: string): number {
  const number = Number(/^[\d \u00a0.,]*\d/.exec(text)![0].replace(/[ \u00a0]/g, '').replace(',', '.'));
  const unit = UNITS.find(([pattern]) => pattern.test(text.trim()));
  return number * (unit?.[1] ?? 1);
}

const isAmount = (t: Token) => t.kind === 'money' || t.kind === 'share';
const list = (amounts: Token[]) => (amounts.length ? amounts.map((t) => t.text.trim()).join(', ') : 'none');
const quote = (list: Token[]) => `"${list.map((t) => t.text).join(' ')}"`;

/** Why putting `to` in place of `was` (at `index` of the clause's tokens) is not a correction of form, or null. */
function replacement(was: Token, to: Token, clause: Token[], index: number): string | null {
  if (was.kind === 'date' && to.kind === 'date') return null;
  if (was.kind === 'number' && to.kind === 'number') {
    return isReference(clause, index) ? null : `it changes the number ${was.text} to ${to.text}`;
  }
  if (was.kind === 'word' && to.kind === 'word') {
    const [a, b] = [was.text.toLowerCase(), to.text.toLowerCase()];
    const negated = [a, b].some((word, i) => {
      const other = i === 0 ? b : a;
      return word === `o${other}` || word === `icke${other}`;
    });
    if (negated) return `it turns "${was.text}" into "${to.text}", a negation`;
    return withinSpelling(a, b) ? null : `it replaces the word "${was.text}" with "${to.text}", which rewrites the clause`;
  }
  return `it changes "${was.text}" to "${to.text}"`;
}

/** A number after §, dnr, bilaga… or after such a number in a list. */
function isReference(clause: Token[], index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const previous = clause[i];
    if (previous.kind === 'section' || (previous.kind === 'word' && REFERENCE_WORDS.has(previous.text.toLowerCase()))) return true;
    if (previous.kind !== 'number') return false;
  }
  return false;
}

function withinSpelling(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  const allowed = length <= 3 ? 0 : length <= 7 ? 1 : 2;
  return editDistance(a, b) <= allowed;
}

/** Damerau–Levenshtein distance (optimal string alignment): a swapped pair of letters is one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The runs where two token lists differ (a longest common subsequence of equal texts kept in place). */
function differences(a: Token[], b: Token[]): Array<{ start: number; removed: Token[]; added: Token[] }> {
  const same = (x: Token, y: Token) => x.kind === y.kind && x.text === y.text;
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = same(a[i], b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const hunks: Array<{ start: number; removed: Token[]; added: Token[] }> = [];
  let hunk: { start: number; removed: Token[]; added: Token[] } | null = null;
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && same(a[i], b[j])) {
      hunk = null;
      i++;
      j++;
      continue;
    }
    if (!hunk) hunks.push((hunk = { start: i, removed: [], added: [] }));
    if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) hunk.added.push(b[j++]);
    else hunk.removed.push(a[i++]);
  }
  return hunks;
}
