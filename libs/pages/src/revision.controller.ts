import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { PageRequest as Request, PageResponse as Response } from './http';
import { ComplianceFindings } from '@kansli/api';
import { TimelineReader, type TimelineFilter } from '@kansli/audit';
import { BodiesReader } from '@kansli/bodies';
import { isIsoDate } from '@kansli/kernel';
import { LogIntegrity } from './log-integrity';
import { mayAudit, PageAccess, SESSION_COOKIE } from './page-access';
import { PageErrorFilter, send } from './page-response';
import { PAGES_OPTIONS, type PagesOptions } from './pages.options';
import { EVENT_TYPES, notAuditorPage, revisionPage, signInPage, type FilterForm, type FindingRow } from './revision.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PER_PAGE = 50;
const FINDINGS_BODIES = 50;
const HTML = 'text/html; charset=utf-8';

/** The cookie that holds the session: HttpOnly, this site only (Lax: the OIDC sign-in returns by a cross-site redirect). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/**
 * The auditors' page: sign in by pasting a token (a cookie holds it afterwards), then the timeline with its
 * filters, the compliance findings per body and the log's latest checkpoint. Plain forms: no script.
 */
@Controller('revision')
@UseFilters(PageErrorFilter)
export class RevisionController {
  constructor(
    private readonly access: PageAccess,
    private readonly bodies: BodiesReader,
    private readonly timeline: TimelineReader,
    private readonly compliance: ComplianceFindings,
    private readonly integrity: LogIntegrity,
    @Inject(PAGES_OPTIONS) private readonly options: PagesOptions,
  ) {}

  private get oidc(): boolean {
    return this.options.oidc !== null;
  }

  @Get()
  async page(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const { principal, sessionExpired } = await this.access.reader(request);
    if (!principal) {
      if (sessionExpired) response.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
      send(response, signInPage({ expired: sessionExpired, oidc: this.oidc }), { type: HTML, personal: true, status: 401 });
      return;
    }
    if (!mayAudit(principal)) {
      send(response, notAuditorPage(principal), { type: HTML, personal: true, status: 403 });
      return;
    }
    const { form, filter, after, errors } = readFilter(query);
    const bodies = this.bodies.bodies();
    const rows = errors.length > 0 ? [] : this.timeline.page(filter, PER_PAGE, after);
    const events = rows.slice(0, PER_PAGE);
    const next = rows.length > PER_PAGE ? nextPage(form, events.at(-1)!.seq) : null;
    const period = { from: datePart(form.occurredFrom), to: datePart(form.occurredTo) };
    const shown = form.bodyId ? bodies.filter((body) => body.id === form.bodyId) : bodies.slice(0, FINDINGS_BODIES);
    const findings: FindingRow[] = errors.length > 0 ? [] : shown.flatMap((body) => this.compliance.of(body.id, period).map((finding) => ({ ...finding, bodyName: body.name })));
    send(
      response,
      revisionPage({ principal, bodies, form, errors, events, next, findings, findingsOmitted: form.bodyId ? 0 : bodies.length - shown.length, integrity: this.integrity.report() }),
      { type: HTML, personal: true, status: errors.length > 0 ? 400 : 200 },
    );
  }

  @Post('logga-in')
  @HttpCode(200)
  async signIn(@Body() body: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const token = typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string' ? (body as { token: string }).token.trim() : '';
    const principal = token.length > 0 && token.length <= 16_384 ? await this.access.verify(token) : null;
    if (!principal) {
      const error = 'Token gick inte att godta: den är felaktig, har gått ut eller är inte utfärdad av en betrodd utfärdare.';
      send(response, signInPage({ error, oidc: this.oidc }), { type: HTML, personal: true, status: 401 });
      return;
    }
    response.setHeader('Set-Cookie', sessionCookie(token, request.secure));
    response.redirect(303, '/revision');
  }

  @Post('logga-ut')
  signOut(@Res() response: Response): void {
    response.setHeader('Set-Cookie', `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
    response.redirect(303, '/revision');
  }
}

const FIELDS: Array<keyof FilterForm> = ['bodyId', 'type', 'entityId', 'personId', 'dnr', 'occurredFrom', 'occurredTo', 'recordedFrom', 'recordedTo'];

/** The form's fields as the query string gave them (a repeated field counts as wrong), checked, and as a timeline filter. */
export function readFilter(query: Record<string, unknown>): { form: FilterForm; filter: TimelineFilter; after: number; errors: string[] } {
  const errors: string[] = [];
  const text = (name: string): string => {
    const value = query[name];
    if (value === undefined) return '';
    if (typeof value !== 'string') {
      errors.push(`${name} angavs flera gånger`);
      return '';
    }
    return value.trim().slice(0, 200);
  };
  const form = Object.fromEntries(FIELDS.map((field) => [field, text(field)])) as unknown as FilterForm;
  const filter: TimelineFilter = {};
  for (const [field, label] of [['bodyId', 'Organ'], ['entityId', 'Id'], ['personId', 'Person-id']] as const) {
    if (!form[field]) continue;
    if (UUID.test(form[field])) filter[field] = form[field].toLowerCase();
    else errors.push(`${label}: ${form[field]} är inget id (ett UUID)`);
  }
  if (form.dnr) {
    if (form.dnr.length <= 50) filter.dnr = form.dnr;
    else errors.push('Diarienummer: högst 50 tecken');
  }
  if (form.type) {
    if ((EVENT_TYPES as readonly string[]).includes(form.type)) filter.types = [form.type];
    else errors.push(`Händelsetyp: ${form.type} är ingen känd händelsetyp`);
  }
  for (const [field, label, end] of [
    ['occurredFrom', 'Inträffade från', false],
    ['occurredTo', 'Inträffade till', true],
    ['recordedFrom', 'Registrerad från', false],
    ['recordedTo', 'Registrerad till', true],
  ] as const) {
    if (!form[field]) continue;
    if (isIsoDate(form[field])) filter[field] = stockholmInstant(form[field], end);
    else errors.push(`${label}: ${form[field]} är inget datum (ÅÅÅÅ-MM-DD)`);
  }
  const afterText = text('after');
  let after = 0;
  if (afterText) {
    if (/^\d{1,15}$/.test(afterText)) after = Number(afterText);
    else errors.push('after: ingen giltig sida');
  }
  return { form, filter, after, errors };
}

function nextPage(form: FilterForm, lastSeq: number): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) if (form[field]) params.set(field, form[field]);
  params.set('after', String(lastSeq));
  return params.toString();
}

const datePart = (value: string) => (isIsoDate(value) ? value : undefined);

const OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Stockholm', timeZoneName: 'longOffset' });

/**
 * The first (or last) instant of a day in Swedish time, as ISO 8601 with its offset. The offset is read at an
 * instant on the same side of a daylight-saving switch (which happens at 01:00 UTC) as the day's start or end.
 */
export function stockholmInstant(date: string, endOfDay: boolean): string {
  const probe = endOfDay ? new Date(`${date}T21:00:00Z`) : new Date(Date.parse(`${date}T00:00:00Z`) - 3_600_000);
  const offset = /GMT([+-]\d{2}:\d{2})/.exec(OFFSET.format(probe))?.[1] ?? '+01:00';
  return `${date}T${endOfDay ? '23:59:59.999' : '00:00:00'}${offset}`;
}
