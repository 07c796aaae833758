import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import type { PageRequest as Request, PageResponse as Response } from './http';
import { Clock } from '@kansli/api';
import { swedishDate } from '@kansli/kernel';
import { MeetingsReader } from '@kansli/meetings';
import { notFound, PageAccess } from './page-access';
import { PageErrorFilter, send } from './page-response';
import { ProtocolDocuments } from './protocol-document';
import { extractPdf, protocolPdf } from './protocol.pdf';
import { extractPage, protocolPage } from './protocol.view';

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
  ) {}

  @Get(':file')
  async protocol(@Param('file') file: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const match = MEETING_ID.exec(file);
    if (!match) throw notFound();
    const meeting = this.meetings.meeting(match[1].toLowerCase());
    if (!meeting) throw notFound();
    const { principal } = await this.access.reader(request);
    if (!meeting.justeradAt && !principal) throw notFound();
    const doc = this.documents.of(meeting, this.today());
    if (!doc) throw notFound();
    const personal = !meeting.justeradAt;
    if (match[2]) {
      send(response, await protocolPdf(doc), { type: 'application/pdf', personal, filename: `protokoll-${doc.date}.pdf` });
    } else {
      send(response, protocolPage(doc), { type: 'text/html; charset=utf-8', personal });
    }
  }

  @Get(':meetingId/:file')
  async extract(@Param('meetingId') meetingId: string, @Param('file') file: string, @Res() response: Response): Promise<void> {
    const id = MEETING_ID.exec(meetingId);
    const paragraph = PARAGRAPH.exec(file);
    if (!id || id[2] || !paragraph) throw notFound();
    const meeting = this.meetings.meeting(id[1].toLowerCase());
    if (!meeting) throw notFound();
    const doc = this.documents.of(meeting, this.today());
    const p = doc?.paragraphs.find((candidate) => candidate.number === Number(paragraph[1]));
    if (!doc || !p || !p.justerad) throw notFound();
    const today = this.today();
    if (paragraph[2]) {
      send(response, await extractPdf(doc, p, today), { type: 'application/pdf', personal: false, filename: `protokollsutdrag-${doc.date}-paragraf-${p.number}.pdf` });
    } else {
      send(response, extractPage(doc, p, today), { type: 'text/html; charset=utf-8', personal: false });
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
    return swedishDate(this.clock.now().toISOString());
  }
}
