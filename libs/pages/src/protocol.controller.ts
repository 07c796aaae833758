import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { PageRequest as Request, PageResponse as Response } from './http';
import { Clock } from '@kansli/api';
import { MeetingsReader } from '@kansli/meetings';
import { notFound, PageAccess } from './page-access';
import { PageCache } from './page-cache';
import { PageErrorFilter, send } from './page-response';
import { ProtocolDocuments } from './protocol-document';
import { extractPdf, protocolPdf } from './protocol.pdf';
import { extractPage, protocolPage } from './protocol.view';
import { todayBy } from './swedish';

const MEETING_ID = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(\.pdf)?$/;
const PARAGRAPH = /^(\d{1,6})(\.pdf)?$/;

/**
 * The minutes (`/protokoll/{meetingId}`, `.pdf`) and protokollsutdrag (`/protokoll/{meetingId}/{paragraph}`, `.pdf`).
 * The public sees a protocol once it is justerad, and an extract once its paragraph is (with the minutes, or
 * immediately at the meeting); before that the minutes only with a token, an extract never. Anything else is
 * the same 404 as a meeting that does not exist.
 */
@Controller('protokoll')
@UseFilters(PageErrorFilter)
export class ProtocolController {
  constructor(
    private readonly meetings: MeetingsReader,
    private readonly documents: ProtocolDocuments,
    private readonly access: PageAccess,
    private readonly clock: Clock,
    private readonly cache: PageCache,
  ) {}

  @Get(':file')
  async protocol(@Param('file') file: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const match = MEETING_ID.exec(file);
    if (!match) throw notFound();
    const meeting = this.meetings.meeting(match[1].toLowerCase());
    if (!meeting) throw notFound();
    const { principal } = await this.access.reader(request);
    if (!meeting.justeradAt && !principal) throw notFound();
    const personal = !meeting.justeradAt;
    const today = this.today();
    const render = () => {
      const doc = this.documents.of(meeting, today);
      if (!doc) throw notFound();
      return doc;
    };
    if (match[2]) {
      const doc = render();
      send(response, await protocolPdf(doc), { type: 'application/pdf', personal, filename: `protokoll-${doc.date}.pdf` });
    } else {
      // A draft is rendered for its reader each time; the justerade minutes are the same for everyone.
      const page = personal ? protocolPage(render()) : this.cache.page(`protokoll:${meeting.id}`, today, () => protocolPage(render()));
      send(response, page, { type: 'text/html; charset=utf-8', personal });
    }
  }

  @Get(':meetingId/:file')
  async extract(@Param('meetingId') meetingId: string, @Param('file') file: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const id = MEETING_ID.exec(meetingId);
    const paragraph = PARAGRAPH.exec(file);
    if (!id || id[2] || !paragraph) throw notFound();
    // Public once justerad; a token that does not verify is refused all the same, as everywhere.
    await this.access.reader(request);
    const meeting = this.meetings.meeting(id[1].toLowerCase());
    if (!meeting) throw notFound();
    const today = this.today();
    const number = Number(paragraph[1]);
    const render = () => {
      const doc = this.documents.of(meeting, today);
      const p = doc?.paragraphs.find((candidate) => candidate.number === number);
      if (!doc || !p || !p.justerad) throw notFound();
      return { doc, p };
    };
    if (paragraph[2]) {
      const { doc, p } = render();
      send(response, await extractPdf(doc, p, today), { type: 'application/pdf', personal: false, filename: `protokollsutdrag-${doc.date}-paragraf-${p.number}.pdf` });
    } else {
      const page = this.cache.page(`utdrag:${meeting.id}:${number}`, today, () => {
        const { doc, p } = render();
        return extractPage(doc, p, today);
      });
      send(response, page, { type: 'text/html; charset=utf-8', personal: false });
    }
  }

  @Get()
  index(): never {
    throw notFound();
  }

  @Get('*rest')
  other(): never {
    throw notFound();
  }

  private today(): string {
    return todayBy(this.clock);
  }
}
