import type { AuditEventView } from '@kansli/audit';
import type { Principal } from '@kansli/auth';
import type { BodyView } from '@kansli/bodies';
import { html, type Html } from './html';
import { facts, page } from './layout';
import type { IntegrityView } from './log-integrity';
import { protocolPath } from './protocol.view';
import { dateTime } from './swedish';

/** The event types of API.md, stable forever; the filter offers them. */
export const EVENT_TYPES = [
  'BodyEstablished', 'MemberAppointed', 'MembershipEnded', 'MeetingScheduled', 'AgendaItemAdded', 'MeetingOpened', 'AttendanceRecorded',
  'JusterareAppointed', 'JavDeclared', 'MeetingClosed', 'MotionRaised', 'DecisionTaken', 'ProtocolJusterad', 'AnslagPosted', 'BudgetAdopted',
  'BudgetRevised', 'DelegationChanged', 'BudgetOutcomeRecorded', 'DelegatedDecisionRecorded', 'DelegatedDecisionsReported', 'AttestRuleChanged',
  'InvoiceAttested', 'RoleAssigned', 'DocumentRegistered', 'ProtocolSigned', 'MeetingCancelled', 'MeetingRescheduled', 'ProtocolCorrected',
] as const;

/** The filter form's fields, as typed (strings), echoed back into the form. */
export interface FilterForm {
  bodyId: string;
  type: string;
  entityId: string;
  personId: string;
  dnr: string;
  occurredFrom: string;
  occurredTo: string;
  recordedFrom: string;
  recordedTo: string;
}

export interface FindingRow {
  bodyName: string;
  rule: string;
  message: string;
  expected: string | null;
  actual: string | null;
  meetingId: string | null;
}

export interface RevisionView {
  principal: Principal;
  bodies: BodyView[];
  form: FilterForm;
  errors: string[];
  events: AuditEventView[];
  /** The query string of the next page, when there is one. */
  next: string | null;
  findings: FindingRow[];
  /** Bodies whose findings are not shown (more than the page lists at once). */
  findingsOmitted: number;
  integrity: IntegrityView | null;
}

function who(principal: Principal): Html {
  return html`<p>Inloggad som <strong>${principal.sub}</strong> (${principal.roles.join(', ') || 'inga roller'}).</p>
<form method="post" action="/revision/logga-ut"><button type="submit" class="secondary">Logga ut</button></form>`;
}

export function signInPage(options: { error?: string; expired?: boolean; oidc: boolean }): string {
  const main = html`<h1>Revision</h1>
<p class="lead">Revisorernas sida: alla händelser i loggen med filter, iakttagelser per organ och loggens kontrollpunkt. Logga in med en token som har rollen REVISOR.</p>
${options.expired ? html`<p class="notice" role="status">Din inloggning har gått ut. Logga in igen.</p>` : ''}
${options.error ? html`<p class="error" role="alert" id="fel">${options.error}</p>` : ''}
${options.oidc ? html`<p><a href="/revision/oidc">Logga in via organisationens inloggning</a></p><h2>Eller med en token</h2>` : ''}
<form method="post" action="/revision/logga-in">
<label for="token">Token (JWT)</label>
<textarea id="token" name="token" rows="4" required autocomplete="off" spellcheck="false"${options.error ? html` aria-describedby="fel" aria-invalid="true"` : ''}></textarea>
<p class="muted">En token skrivs ut med <code>npm run --silent kansli -- token --sub revisor --roles REVISOR</code>. Den sparas i en kaka (HttpOnly) i webbläsaren tills du loggar ut eller stänger den.</p>
<button type="submit">Logga in</button>
</form>`;
  return page({ title: 'Logga in – revision', main, current: 'revision' });
}

export function notAuditorPage(principal: Principal): string {
  const main = html`<h1>Revision</h1>
${who(principal)}
<p class="notice" role="status">Revisionssidan kräver rollen REVISOR (eller SEKRETERARE eller ADMIN). Med din inloggning kan du läsa protokoll som ännu inte är justerade.</p>`;
  return page({ title: 'Revision', main, current: 'revision' });
}

const input = (name: keyof FilterForm, label: string, value: string, type = 'text', hint?: string) =>
  html`<div><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${value}"${hint ? html` placeholder="${hint}"` : ''}></div>`;

function filterForm(view: RevisionView): Html {
  const { form } = view;
  return html`<form class="filters" method="get" action="/revision" aria-labelledby="filter-rubrik">
<div><label for="bodyId">Organ</label><select id="bodyId" name="bodyId"><option value="">Alla organ</option>${view.bodies.map(
    (body) => html`<option value="${body.id}"${body.id === form.bodyId ? html` selected` : ''}>${body.name}</option>`,
  )}</select></div>
<div><label for="type">Händelsetyp</label><select id="type" name="type"><option value="">Alla typer</option>${EVENT_TYPES.map(
    (type) => html`<option${type === form.type ? html` selected` : ''}>${type}</option>`,
  )}</select></div>
${input('dnr', 'Diarienummer', form.dnr)}
${input('entityId', 'Id (möte, beslut, budget …)', form.entityId)}
${input('personId', 'Person-id', form.personId)}
${input('occurredFrom', 'Inträffade från', form.occurredFrom, 'date')}
${input('occurredTo', 'Inträffade till', form.occurredTo, 'date')}
${input('recordedFrom', 'Registrerad från', form.recordedFrom, 'date')}
${input('recordedTo', 'Registrerad till', form.recordedTo, 'date')}
<div><button type="submit">Filtrera</button> <a href="/revision">Rensa</a></div>
</form>`;
}

function timeline(view: RevisionView): Html {
  if (view.errors.length > 0) return html``;
  if (view.events.length === 0) return html`<p>Inga händelser matchar filtret.</p>`;
  return html`<table class="stack timeline">
<caption>Händelser, äldst först (${view.events.length} på sidan)</caption>
<thead><tr><th scope="col">Position</th><th scope="col">Händelse</th><th scope="col">Inträffade</th><th scope="col">Registrerad</th><th scope="col">Aktör</th><th scope="col">Uppgifter</th></tr></thead>
<tbody>${view.events.map(
    (event) => html`<tr>
<th scope="row">${event.position}</th>
<td data-label="Händelse">${event.type}<br><span class="muted">${event.stream} · rev ${event.revision}</span></td>
<td data-label="Inträffade">${dateTime(event.occurredAt)}</td>
<td data-label="Registrerad">${dateTime(event.recordedAt)}</td>
<td data-label="Aktör">${event.actor ?? '–'}</td>
<td data-label="Uppgifter"><details><summary>Visa data</summary><pre>${JSON.stringify(event.data, null, 2)}</pre></details></td>
</tr>`,
  )}</tbody>
</table>
${view.next ? html`<nav class="pager" aria-label="Sidor"><a href="/revision?${view.next}" rel="next">Nästa sida</a></nav>` : ''}`;
}

function findings(view: RevisionView): Html {
  const omitted = view.findingsOmitted > 0 ? html`<p class="muted">${view.findingsOmitted} organ visas inte: välj ett organ i filtret.</p>` : '';
  if (view.findings.length === 0) return html`<p>Inga iakttagelser.</p>${omitted}`;
  return html`<table class="stack">
<caption>Iakttagelser (${view.findings.length})</caption>
<thead><tr><th scope="col">Regel</th><th scope="col">Organ</th><th scope="col">Iakttagelse</th><th scope="col">Förväntat</th><th scope="col">Faktiskt</th><th scope="col">Sammanträde</th></tr></thead>
<tbody>${view.findings.map(
    (f) => html`<tr><th scope="row">${f.rule}</th><td data-label="Organ">${f.bodyName}</td><td data-label="Iakttagelse">${f.message}</td><td data-label="Förväntat">${f.expected ?? '–'}</td><td data-label="Faktiskt">${f.actual ?? '–'}</td><td data-label="Sammanträde">${
      f.meetingId ? html`<a href="${protocolPath(f.meetingId)}">Protokoll</a>` : '–'
    }</td></tr>`,
  )}</tbody></table>${omitted}`;
}

function integrity(view: RevisionView): Html {
  const report = view.integrity;
  if (!report) return html`<p>Servern för ingen manipuleringssäker logg.</p>`;
  return html`${
    report.verified
      ? html`<p><strong>Verifierad:</strong> loggens träd stämmer med den senaste signerade kontrollpunkten.</p>`
      : html`<p class="error" role="alert"><strong>Verifieringen misslyckades:</strong> ${report.problem}</p>`
  }
${facts([
    ['Händelser i loggen', String(report.size)],
    ['Trädets rot (SHA-256, base64)', html`<code>${report.root}</code>`],
    ['Kontrollpunkten omfattar', `${report.checkpointSize} händelser`],
    ['Logg (origin)', report.origin],
    ['Loggens publika nyckel', html`<code>${report.publicKey}</code>`],
  ])}
${report.checkpoint ? html`<h3>Senaste kontrollpunkt</h3><pre>${report.checkpoint}</pre>` : html`<p>Ingen kontrollpunkt är signerad ännu.</p>`}`;
}

export function revisionPage(view: RevisionView): string {
  const main = html`<h1>Revision</h1>
${who(view.principal)}
<section aria-labelledby="filter-rubrik"><h2 id="filter-rubrik">Tidslinje</h2>
<p class="muted">Varje händelse i loggen. Datum tolkas i svensk tid.</p>
${view.errors.length > 0 ? html`<div class="error" role="alert"><p>Filtret kunde inte användas:</p><ul>${view.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
${filterForm(view)}
${timeline(view)}
</section>
<section aria-labelledby="iakttagelser"><h2 id="iakttagelser">Iakttagelser per organ</h2>
<p class="muted">Regelbrott som systemet har funnit i det som registrerats (R2, R6–R8, R11, R13 …), för organet i filtret${view.form.bodyId ? '' : ', annars för alla organ'}.</p>
${findings(view)}
</section>
<section aria-labelledby="integritet"><h2 id="integritet">Loggens integritet</h2>
${integrity(view)}
</section>`;
  return page({ title: 'Revision', main, current: 'revision' });
}
