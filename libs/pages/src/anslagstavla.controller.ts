import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { PageRequest as Request, PageResponse as Response } from './http';
import { Clock } from '@kansli/api';
import { BodiesReader } from '@kansli/bodies';
import { swedishDate } from '@kansli/kernel';
import { MeetingsReader, type MeetingView } from '@kansli/meetings';
import { anslagstavlaFeed, anslagstavlaPage, pastNoticesPage, type Notice, type NoticeList } from './anslagstavla.view';
import { PageError } from './page-access';
import { PageCache } from './page-cache';
import { PageErrorFilter, send } from './page-response';
import { todayBy } from './swedish';

const PER_PAGE = 100;
const MAX_PAGE = 10_000;

/** The digital anslagstavla (KL 8:9): public, no token needed, read from the meetings' read model. */
@Controller()
@UseFilters(PageErrorFilter)
export class AnslagstavlaController {
  constructor(
    private readonly meetings: MeetingsReader,
    private readonly bodies: BodiesReader,
    private readonly clock: Clock,
    private readonly cache: PageCache,
  ) {}

  @Get('anslagstavla')
  board(@Query('sida') sida: unknown, @Res() response: Response): void {
    const n = pageNumber(sida);
    const today = this.today();
    send(response, this.cache.page(`anslagstavla:${n}`, today, () => anslagstavlaPage(this.list('up', today, n))), { type: 'text/html; charset=utf-8', personal: false });
  }

  @Get('anslagstavla/tidigare')
  past(@Query('sida') sida: unknown, @Res() response: Response): void {
    const n = pageNumber(sida);
    const today = this.today();
    send(response, this.cache.page(`tidigare:${n}`, today, () => pastNoticesPage(this.list('down', today, n))), { type: 'text/html; charset=utf-8', personal: false });
  }

  @Get('anslagstavla.atom')
  feed(@Req() request: Request, @Res() response: Response): void {
    const today = this.today();
    const at = origin(request);
    send(response, this.cache.page(`atom:${at}`, today, () => anslagstavlaFeed(this.list('up', today, 1, 1000), at)), { type: 'application/atom+xml; charset=utf-8', personal: false });
  }

  private today(): string {
    return todayBy(this.clock);
  }

  private list(which: 'up' | 'down', today: string, pageNumber: number, perPage = PER_PAGE): NoticeList {
    const rows = this.meetings.anslag(today, which, perPage + 1, (pageNumber - 1) * perPage);
    const names = new Map<string, string>();
    const bodyName = (id: string) => {
      let name = names.get(id);
      if (name === undefined) names.set(id, (name = this.bodies.body(id)?.name ?? 'Okänt organ'));
      return name;
    };
    const notices: Notice[] = rows.slice(0, perPage).map((meeting: MeetingView) => ({
      meetingId: meeting.id,
      bodyName: bodyName(meeting.bodyId),
      meetingDate: swedishDate(meeting.start),
      justeradAt: meeting.justeradAt ?? '',
      anslag: meeting.anslag!,
    }));
    return { notices, today, pageNumber, hasNext: rows.length > perPage };
  }
}

function pageNumber(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value === 'string' && /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_PAGE) return Number(value);
  throw new PageError(400, 'Felaktigt sidnummer', `Sidnumret ska vara ett heltal från 1 till ${MAX_PAGE}.`);
}

/** The address the feed was asked at, for its absolute links; a Host header that is not a host name is not used. */
function origin(request: Request): string {
  const host = request.headers.host ?? '';
  const scheme = request.protocol === 'https' ? 'https' : 'http';
  return /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host) || /^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(host) ? `${scheme}://${host}` : '';
}
