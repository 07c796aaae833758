import { html, type Html } from './html';
import { facts, page } from './layout';
import type { AttendanceLine, Paragraph, ProtocolDocument } from './protocol-document';
import { BALLOT, DECIDES, longDate, OUTCOME, PROTOCOL_STATUS } from './swedish';

export const protocolPath = (meetingId: string) => `/protokoll/${encodeURIComponent(meetingId)}`;
export const extractPath = (meetingId: string, paragraph: number) => `${protocolPath(meetingId)}/${paragraph}`;

/** "Protokoll, styrelsen 14 juni 2018": the document's name. */
export function protocolTitle(doc: ProtocolDocument): string {
  return `Protokoll ${longDate(doc.date)}`;
}

function people(lines: AttendanceLine[]): Html | null {
  if (lines.length === 0) return null;
  return html`<ul class="people">${lines.map(
    (line) =>
      html`<li>${line.name}${line.detail ? `, ${line.detail}` : ''}${line.paragraphs ? html` (${line.paragraphs})` : ''}${
        line.representing ? html` <span class="org">– ${line.representing}</span>` : ''
      }</li>`,
  )}</ul>`;
}

export function paragraphRange(doc: ProtocolDocument): string | null {
  if (doc.firstParagraph === null || doc.lastParagraph === null) return null;
  return doc.firstParagraph === doc.lastParagraph ? `§ ${doc.firstParagraph}` : `§ ${doc.firstParagraph}–${doc.lastParagraph}`;
}

/** One paragraph (§): title, dnr, the decision with its att-clauses, the vote, reservations and corrections. */
function paragraphBody(doc: ProtocolDocument, p: Paragraph, headingLevel: 2 | 3): Html {
  const id = `p${p.number}`;
  const heading = html`<span class="number">§ ${p.number}</span> ${p.title}`;
  const title = headingLevel === 2 ? html`<h2 id="${id}-rubrik">${heading}</h2>` : html`<h3 id="${id}-rubrik">${heading}</h3>`;
  const sub = headingLevel === 2 ? (text: string) => html`<h3>${text}</h3>` : (text: string) => html`<h4>${text}</h4>`;
  return html`<section class="paragraph" id="${id}" aria-labelledby="${id}-rubrik">
${title}
${p.dnr ? html`<p class="muted">Dnr ${p.dnr}</p>` : ''}
${p.clauses.length > 0 ? html`<p>${DECIDES[doc.body.kind]}:</p><ul class="clauses">${p.clauses.map((clause) => html`<li>${clause}</li>`)}</ul>` : ''}
<p class="muted">Beslut: ${OUTCOME[p.outcome]}${p.immediateJustering ? ' · omedelbart justerad' : ''}</p>
${p.votes.length > 0
    ? html`${sub('Omröstning')}<table class="stack">
<caption>Ja ${p.tally.JA}, nej ${p.tally.NEJ}, avstår ${p.tally.AVSTAR}</caption>
<thead><tr><th scope="col">Ledamot</th><th scope="col">Röst</th></tr></thead>
<tbody>${p.votes.map((vote) => html`<tr><th scope="row">${vote.name}</th><td data-label="Röst">${BALLOT[vote.ballot]}</td></tr>`)}</tbody>
</table>`
    : ''}
${p.reservations.length > 0
    ? html`${sub('Reservationer')}<ul>${p.reservations.map((r) => html`<li>${r.name} reserverar sig mot beslutet${r.reason ? html`: ${r.reason}` : '.'}</li>`)}</ul>`
    : ''}
${p.corrections.length > 0
    ? html`${sub('Rättelser')}<ul>${p.corrections.map(
        (c) => html`<li>Rättat ${c.correctedAt} (${c.field}): <del>${c.from}</del> → <ins>${c.to}</ins>. ${c.reason}</li>`,
      )}</ul>`
    : ''}
</section>`;
}

function signaturesSection(doc: ProtocolDocument): Html {
  if (doc.signatures.length === 0) return html`<section aria-labelledby="underskrifter"><h2 id="underskrifter">Underskrifter</h2><p>Protokollet är inte justerat.</p></section>`;
  return html`<section aria-labelledby="underskrifter"><h2 id="underskrifter">Underskrifter</h2>
<ul class="signatures">${doc.signatures.map(
    (s) => html`<li><strong>${s.name}</strong>, ${s.role}<br>${s.digital ? 'Signerat digitalt' : 'Justerat'} ${s.signedAt ?? ''}</li>`,
  )}</ul>
<p>Protokollet justerades ${doc.meeting.justeradAt}.</p></section>`;
}

export function anslagsbevis(doc: ProtocolDocument): Html {
  if (!doc.anslag) {
    return doc.meeting.justeradAt
      ? html`<section class="anslagsbevis" aria-labelledby="anslag"><h2 id="anslag">Bevis om anslag</h2><p>Justeringen har ännu inte tillkännagetts på anslagstavlan.</p></section>`
      : html``;
  }
  return html`<section class="anslagsbevis" aria-labelledby="anslag"><h2 id="anslag">Bevis om anslag</h2>
<p>Justeringen av protokollet har tillkännagetts på anslagstavlan.</p>
${facts([
    ['Sammanträdesdatum', doc.date],
    ['Anslaget har satts upp', doc.anslag.postedAt],
    ['Anslaget tas ned efter', doc.anslag.removeAfter],
    ['Sista dag att överklaga', doc.anslag.appealDeadline],
    ['Förvaringsplats för protokollet', doc.anslag.storageLocation],
  ])}</section>`;
}

function checkpointSection(doc: ProtocolDocument): Html {
  if (!doc.checkpoint) return html``;
  return html`<section aria-labelledby="kontrollpunkt"><h2 id="kontrollpunkt">Loggens kontrollpunkt</h2>
<p>Justeringen finns i händelseloggen som denna signerade kontrollpunkt omfattar (C2SP tlog-checkpoint). Vem som helst kan senare kontrollera att loggen inte har ändrats.</p>
<pre>${doc.checkpoint}</pre></section>`;
}

/** The minutes as a page, in the order of the paper protocol. */
export function protocolPage(doc: ProtocolDocument): string {
  const pdf = `${protocolPath(doc.meeting.id)}.pdf`;
  const main = html`<article aria-labelledby="rubrik">
<p class="muted">${doc.body.name}</p>
<h1 id="rubrik">Sammanträdesprotokoll ${longDate(doc.date)}</h1>
${doc.status === 'DRAFT' ? html`<p class="notice" role="note"><strong>Utkast.</strong> Protokollet är inte justerat och visas bara för den som är inloggad.</p>` : ''}
<p>Status: ${PROTOCOL_STATUS[doc.status]}.</p>
<p class="actions"><a href="${pdf}">Protokollet som PDF</a><a href="/anslagstavla">Till anslagstavlan</a></p>
<section aria-labelledby="narvaro"><h2 id="narvaro">Tid, plats och närvarande</h2>
${facts([
    ['Plats och tid', html`${doc.place ? html`${doc.place}, ` : ''}${doc.date} ${doc.time}`],
    ['Beslutande', people(doc.beslutande)],
    ['Tjänstgörande ersättare', people(doc.tjanstgorandeErsattare)],
    ['Ersättare', people(doc.ersattare)],
    ['Tjänstemän', people(doc.tjansteman)],
    ['Övriga närvarande', people(doc.ovriga)],
    ['Utses att justera', doc.justerare.join(', ')],
    ['Paragrafer', paragraphRange(doc)],
  ])}
</section>
<section aria-labelledby="paragrafer"><h2 id="paragrafer">Paragrafer</h2>
${doc.paragraphs.length === 0 ? html`<p>Inga beslut är protokollförda.</p>` : ''}
${doc.paragraphs.map((p) => html`${paragraphBody(doc, p, 3)}${p.justerad ? html`<p class="extract"><a href="${extractPath(doc.meeting.id, p.number)}">Protokollsutdrag § ${p.number}</a></p>` : ''}`)}
</section>
${signaturesSection(doc)}
${anslagsbevis(doc)}
${checkpointSection(doc)}
</article>`;
  return page({ title: `${protocolTitle(doc)}, ${doc.body.name}`, main });
}

/** The justering of one paragraph, in words. */
export function justeringText(doc: ProtocolDocument, p: Paragraph): string {
  if (p.immediateJustering) return `Paragrafen justerades omedelbart vid sammanträdet ${doc.date}.`;
  const who = doc.signatures.map((s) => `${s.name} (${s.role})`);
  const list = who.length > 1 ? `${who.slice(0, -1).join(', ')} och ${who.at(-1)}` : who[0];
  return `Protokollet justerades ${doc.meeting.justeradAt}${list ? ` av ${list}` : ''}.`;
}

export function certificationText(p: Paragraph): string {
  return `Utdraget överensstämmer med § ${p.number} i det justerade protokollet.`;
}

/** A protokollsutdrag: one justerad paragraph with its justering and the utdragsbestyrkande. */
export function extractPage(doc: ProtocolDocument, p: Paragraph, issuedOn: string): string {
  const main = html`<article aria-labelledby="rubrik">
<p class="muted">${doc.body.name}</p>
<h1 id="rubrik">Protokollsutdrag § ${p.number}</h1>
<p class="actions"><a href="${extractPath(doc.meeting.id, p.number)}.pdf">Utdraget som PDF</a>${
    doc.meeting.justeradAt ? html`<a href="${protocolPath(doc.meeting.id)}">Hela protokollet</a>` : ''
  }</p>
${facts([
    ['Organ', doc.body.name],
    ['Sammanträdesdatum', doc.date],
    ['Plats och tid', html`${doc.place ? html`${doc.place}, ` : ''}${doc.time}`],
    ['Paragraf', `§ ${p.number}`],
    ['Diarienummer', p.dnr],
  ])}
${paragraphBody(doc, p, 2)}
<section aria-labelledby="justering"><h2 id="justering">Justering</h2><p>${justeringText(doc, p)}</p></section>
<section class="anslagsbevis" aria-labelledby="bestyrkande"><h2 id="bestyrkande">Utdragsbestyrkande</h2>
<p>${certificationText(p)}</p>
${facts([
    ['Utdraget utfärdat', issuedOn],
    ['Ur protokollet från', `${doc.body.name}, ${doc.date}`],
  ])}</section>
${checkpointSection(doc)}
</article>`;
  return page({ title: `Protokollsutdrag § ${p.number}, ${doc.body.name} ${doc.date}`, main });
}
