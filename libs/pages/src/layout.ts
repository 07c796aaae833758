import { html, type Html, type Interpolation } from './html';

export const STYLESHEET_PATH = '/sidor/kansli.css';

export interface PageOptions {
  title: string;
  main: Html;
  /** Extra elements in <head> (an Atom feed's link). */
  head?: Html;
  /** The navigation entry of this page, marked aria-current. */
  current?: 'anslagstavla' | 'tidigare' | 'revision';
}

const NAV: Array<[NonNullable<PageOptions['current']>, string, string]> = [
  ['anslagstavla', '/anslagstavla', 'Anslagstavla'],
  ['tidigare', '/anslagstavla/tidigare', 'Tidigare anslag'],
  ['revision', '/revision', 'Revision'],
];

/** Every page: Swedish, a skip link, banner with navigation, one main landmark, and a footer. */
export function page({ title, main, head, current }: PageOptions): string {
  return html`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – Kansli</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
${head}
</head>
<body>
<a class="skip" href="#innehall">Hoppa till innehållet</a>
<header class="site">
<p class="brand"><a href="/anslagstavla">Kansli</a></p>
<nav aria-label="Huvudmeny"><ul>${NAV.map(
    ([key, href, label]) => html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>
</header>
<main id="innehall" tabindex="-1">
${main}
</main>
<footer class="site"><p>Kansli – protokoll och anslag enligt kommunallagen (2017:725). Sidorna fungerar utan JavaScript.</p></footer>
</body>
</html>
`.text;
}

/** A small definition list of label and value pairs, skipping empty values. */
export function facts(pairs: Array<[string, Interpolation]>): Html {
  const shown = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0));
  return html`<dl class="facts">${shown.map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}

export const STYLESHEET = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --brand: #123b5c; --link: #0b4f8a; --bg-soft: #f3f5f7; --warn: #7a3b00; --warn-bg: #fff4e0; }
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.5; background: #fff; overflow-wrap: break-word; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, main:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem 1rem; z-index: 10; }
header.site { background: var(--brand); color: #fff; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 2rem; align-items: center; }
header.site a { color: #fff; }
.brand { margin: 0; font-weight: 700; font-size: 1.25rem; }
.brand a { text-decoration: none; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
main { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
footer.site { max-width: 72rem; margin: 2rem auto 0; padding: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .25rem; }
.lead { font-size: 1.05rem; color: var(--muted); max-width: 45rem; }
.notice { border-left: 4px solid var(--warn); background: var(--warn-bg); color: var(--warn); padding: .5rem 1rem; }
.facts { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .25rem 1.5rem; margin: 0 0 1rem; }
.facts div { display: contents; }
.facts dt { font-weight: 700; }
.facts dd { margin: 0; }
.people { list-style: none; padding: 0; margin: 0; }
.people .org, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--bg-soft); border-bottom: 2px solid var(--brand); hyphens: manual; }
td.date { white-space: nowrap; }
.paragraph { border-top: 1px solid var(--line); padding-top: .5rem; margin-top: 1.5rem; }
.paragraph h3 { margin-top: .25rem; }
.paragraph .number { display: inline-block; min-width: 3.5rem; }
.extract { font-size: .9rem; margin: .25rem 0 0; }
.clauses { margin: .25rem 0 .5rem; padding-left: 0; list-style: none; }
.clauses li { margin: .25rem 0; padding-left: 1.5rem; text-indent: -1.5rem; }
.signatures { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; list-style: none; padding: 0; }
.signatures li { border-top: 1px solid var(--ink); padding-top: .25rem; }
.anslagsbevis { border: 2px solid var(--ink); padding: .5rem 1rem 1rem; margin: 2rem 0; }
.anslagsbevis h2 { margin-top: .5rem; letter-spacing: .03em; }
code { overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg-soft); padding: .75rem; font-size: .9rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1.5rem; }
form.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(13rem, 1fr)); gap: .75rem 1rem; align-items: end; background: var(--bg-soft); padding: 1rem; }
label { display: block; font-weight: 600; }
input, select, button, textarea { font: inherit; }
input, select, textarea { width: 100%; padding: .4rem; border: 1px solid #6b6b6b; border-radius: 3px; background: #fff; color: var(--ink); }
button { padding: .45rem 1rem; border: 2px solid var(--brand); background: var(--brand); color: #fff; border-radius: 3px; cursor: pointer; }
button.secondary { background: #fff; color: var(--brand); }
.error { color: #a00000; font-weight: 600; }
.pager { display: flex; gap: 1.5rem; margin: 1rem 0; }
details summary { cursor: pointer; color: var(--link); }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  h1 { font-size: 1.45rem; }
  .facts { grid-template-columns: 1fr; gap: 0; }
  .facts dd { margin-bottom: .5rem; }
}
/* Below a laptop's width (a phone, a tablet, a browser zoomed to 150 % or more) a table's rows become cards. */
@media (max-width: 70rem) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td, table.stack th { display: block; width: 100%; }
  table.stack tr { border: 1px solid var(--line); margin-bottom: .75rem; padding: .25rem 0; }
  table.stack td, table.stack th[scope="row"] { border: 0; padding: .2rem .6rem; }
  table.stack td.date { white-space: normal; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 700; }
}
@media print {
  header.site nav, .actions, .skip { display: none; }
  main { max-width: none; }
}
`;
