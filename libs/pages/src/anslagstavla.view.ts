import type { MeetingView } from '@kansli/meetings';
import { escapeHtml, html, type Html } from './html';
import { page } from './layout';
import { protocolPath } from './protocol.view';
import { longDate } from './swedish';

/** One notice on the anslagstavla: a justerad protocol and where and until when its anslag is up. */
export interface Notice {
  meetingId: string;
  bodyName: string;
  meetingDate: string;
  justeradAt: string;
  anslag: NonNullable<MeetingView['anslag']>;
}

export interface NoticeList {
  notices: Notice[];
  today: string;
  pageNumber: number;
  hasNext: boolean;
}

function noticeTable(list: NoticeList, caption: string): Html {
  return html`<table class="stack">
<caption>${caption}</caption>
<thead><tr><th scope="col">Protokoll</th><th scope="col">Organ</th><th scope="col">Samman&shy;träde</th><th scope="col">Justerat</th><th scope="col">Anslaget uppsatt</th><th scope="col">Tas ned efter</th><th scope="col">Sista dag att över&shy;klaga</th><th scope="col">Förvarings&shy;plats</th></tr></thead>
<tbody>${list.notices.map(
    (n) => html`<tr>
<th scope="row"><a href="${protocolPath(n.meetingId)}">Protokoll ${longDate(n.meetingDate)}<span class="visually-hidden">, ${n.bodyName}</span></a></th>
<td data-label="Organ">${n.bodyName}</td>
<td class="date" data-label="Sammanträdesdatum">${n.meetingDate}</td>
<td class="date" data-label="Justerat">${n.justeradAt}</td>
<td class="date" data-label="Anslaget uppsatt">${n.anslag.postedAt}</td>
<td class="date" data-label="Tas ned efter">${n.anslag.removeAfter}</td>
<td class="date" data-label="Sista dag att överklaga">${n.anslag.appealDeadline}</td>
<td data-label="Förvaringsplats">${n.anslag.storageLocation}</td>
</tr>`,
  )}</tbody>
</table>`;
}

function pager(list: NoticeList, base: string): Html {
  if (list.pageNumber === 1 && !list.hasNext) return html``;
  return html`<nav class="pager" aria-label="Sidor">${list.pageNumber > 1 ? html`<a href="${base}?sida=${list.pageNumber - 1}" rel="prev">Föregående sida</a>` : ''}<span>Sida ${list.pageNumber}</span>${
    list.hasNext ? html`<a href="${base}?sida=${list.pageNumber + 1}" rel="next">Nästa sida</a>` : ''
  }</nav>`;
}

const FEED_LINK = html`<link rel="alternate" type="application/atom+xml" title="Anslagstavla (Atom)" href="/anslagstavla.atom">`;

export function anslagstavlaPage(list: NoticeList): string {
  const main = html`<h1>Anslagstavla</h1>
<p class="lead">Här tillkännages att protokoll har justerats (kommunallagen 8 kap. 12 §). Den som vill överklaga ett beslut genom laglighetsprövning ska göra det inom tre veckor från den dag då tillkännagivandet sattes upp (13 kap. 5 §).</p>
<p class="actions"><a href="/anslagstavla.atom">Följ anslagstavlan (Atom-flöde)</a><a href="/anslagstavla/tidigare">Tidigare anslag</a></p>
${list.notices.length > 0 ? noticeTable(list, `Anslag uppsatta ${list.today}, det senaste först`) : html`<p>Inga anslag är uppsatta i dag, ${list.today}.</p>`}
${pager(list, '/anslagstavla')}`;
  return page({ title: 'Anslagstavla', main, head: FEED_LINK, current: 'anslagstavla' });
}

export function pastNoticesPage(list: NoticeList): string {
  const main = html`<h1>Tidigare anslag</h1>
<p class="lead">Anslag som har tagits ned från anslagstavlan. Protokollen finns kvar på förvaringsplatsen och här.</p>
${list.notices.length > 0 ? noticeTable(list, 'Nedtagna anslag, det senaste först') : html`<p>Inga anslag har tagits ned.</p>`}
${pager(list, '/anslagstavla/tidigare')}`;
  return page({ title: 'Tidigare anslag', main, current: 'tidigare' });
}

/** XML text: the same five characters as HTML. */
const xml = escapeHtml;

/** The notices now up as an Atom feed (RFC 4287); links are absolute, made from the address the feed was asked at. */
export function anslagstavlaFeed(list: NoticeList, origin: string): string {
  const updated = list.notices.reduce((latest, n) => (n.anslag.postedAt > latest ? n.anslag.postedAt : latest), '1970-01-01');
  const entries = list.notices.map((n) => {
    const link = `${origin}${protocolPath(n.meetingId)}`;
    const summary =
      `Protokoll från sammanträdet ${n.meetingDate} i ${n.bodyName}, justerat ${n.justeradAt}. Anslaget uppsatt ${n.anslag.postedAt}, ` +
      `tas ned efter ${n.anslag.removeAfter}. Sista dag att överklaga: ${n.anslag.appealDeadline}. Förvaringsplats: ${n.anslag.storageLocation}.`;
    return `  <entry>
    <id>urn:uuid:${xml(n.meetingId)}</id>
    <title>${xml(`${n.bodyName}: protokoll ${n.meetingDate} justerat`)}</title>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <link rel="related" type="application/pdf" href="${xml(`${link}.pdf`)}"/>
    <published>${xml(n.anslag.postedAt)}T00:00:00+00:00</published>
    <updated>${xml(n.anslag.postedAt)}T00:00:00+00:00</updated>
    <summary>${xml(summary)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">
  <id>${xml(`${origin}/anslagstavla`)}</id>
  <title>Anslagstavla</title>
  <subtitle>Tillkännagivanden om justerade protokoll (kommunallagen 8 kap. 12 §)</subtitle>
  <link rel="self" type="application/atom+xml" href="${xml(`${origin}/anslagstavla.atom`)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${origin}/anslagstavla`)}"/>
  <author><name>Kansli</name></author>
  <updated>${updated}T00:00:00+00:00</updated>
${entries.join('\n')}
</feed>
`;
}
