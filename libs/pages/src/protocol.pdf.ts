import PDFDocument from 'pdfkit';
import type { Paragraph, ProtocolDocument } from './protocol-document';
import { certificationText, justeringText, paragraphRange } from './protocol.view';
import { BALLOT, DECIDES, OUTCOME } from './swedish';

/**
 * The minutes and the extracts as PDF (pdfkit), laid out like the paper protocols of the fixtures: a heading on
 * every page, the label column on the left, each § with its att-clauses, the signatures and the anslagsbevis, and
 * the justering and the page number in every page's footer.
 *
 * The standard PDF fonts (Helvetica, Courier) need no font file and cover WinAnsi: Swedish å ä ö, é, §, – and —.
 * A character outside it (ł, emoji) would print as a wrong glyph, so it is printed as its base letter when it has
 * one (ł → l is not among them: it becomes "?") and "?" otherwise.
 */

const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const winAnsi = (char: string) => {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.includes(char);
};

/** Text the standard fonts can print (line breaks stay). */
export function printable(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    if (char === '\n' || winAnsi(char)) out += char;
    else {
      const base = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base.length > 0 && [...base].every(winAnsi) ? base : '?';
    }
  }
  return out;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = { left: 62, right: 56, top: 92, bottom: 72 };
const LABEL_WIDTH = 140;
const GAP = 14;
const CONTENT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const VALUE_X = MARGIN.left + LABEL_WIDTH + GAP;
const VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH - GAP;
const BOTTOM = A4.height - MARGIN.bottom;

type Font = 'Helvetica' | 'Helvetica-Bold' | 'Helvetica-Oblique' | 'Courier';

/** A cursor down the page that starts a new page when the next block does not fit. */
class Writer {
  readonly doc: PDFKit.PDFDocument;
  y = MARGIN.top;

  constructor(title: string, subject: string) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      autoFirstPage: true,
      lang: 'sv-SE',
      displayTitle: true,
      info: { Title: printable(title), Subject: printable(subject), Creator: 'Kansli', Producer: 'Kansli (pdfkit)' },
    });
  }

  height(text: string, font: Font, size: number, width: number, options: PDFKit.Mixins.TextOptions = {}): number {
    return this.doc.font(font).fontSize(size).heightOfString(printable(text), { width, ...options });
  }

  /** Room for `needed` points below the cursor, else a new page. */
  ensure(needed: number): void {
    if (this.y + needed > BOTTOM) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  text(text: string, options: { font?: Font; size?: number; x?: number; width?: number; gapAfter?: number; indent?: number; align?: 'left' | 'center' | 'right' } = {}): void {
    const { font = 'Helvetica', size = 10.5, x = MARGIN.left, width = CONTENT_WIDTH, gapAfter = 4, indent } = options;
    const textOptions: PDFKit.Mixins.TextOptions = { width, lineGap: 1.5, align: options.align ?? 'left' };
    // A hanging indent: the first line starts at x, the following ones `indent` further in.
    const h = indent ? this.height(text, font, size, width - indent, textOptions) : this.height(text, font, size, width, textOptions);
    if (h > BOTTOM - MARGIN.top) {
      // Longer than a page: let pdfkit flow it over pages itself.
      this.ensure(size * 3);
      this.doc.font(font).fontSize(size).text(printable(text), x, this.y, textOptions);
      this.y = this.doc.y + gapAfter;
      return;
    }
    this.ensure(h);
    if (indent) {
      this.doc.font(font).fontSize(size).text(printable(text), x + indent, this.y, { ...textOptions, width: width - indent, indent: -indent });
    } else {
      this.doc.font(font).fontSize(size).text(printable(text), x, this.y, textOptions);
    }
    this.y += h + gapAfter;
  }

  /** A label in the left column and its lines on the right, kept together on one page. */
  row(label: string, lines: string[]): void {
    if (lines.length === 0) return;
    const value = lines.join('\n');
    const h = Math.max(this.height(label, 'Helvetica-Bold', 10.5, LABEL_WIDTH), this.height(value, 'Helvetica', 10.5, VALUE_WIDTH, { lineGap: 1.5 }));
    this.ensure(h);
    this.doc.font('Helvetica-Bold').fontSize(10.5).text(printable(label), MARGIN.left, this.y, { width: LABEL_WIDTH });
    this.doc.font('Helvetica').fontSize(10.5).text(printable(value), VALUE_X, this.y, { width: VALUE_WIDTH, lineGap: 1.5 });
    this.y += h + 8;
  }

  rule(gapAfter = 10): void {
    this.ensure(2);
    this.doc.moveTo(MARGIN.left, this.y).lineTo(MARGIN.left + CONTENT_WIDTH, this.y).lineWidth(0.6).strokeColor('#555555').stroke();
    this.y += gapAfter;
  }

  /** Header and footer on every page, once the page count is known. */
  finish(header: { left: string; right: string[] }, footer: string): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // Writing in the margins must not start new pages.
      doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      doc.font('Helvetica-Bold').fontSize(9.5).fillColor('#000000').text(printable(header.left), MARGIN.left, 40, { width: CONTENT_WIDTH * 0.55 });
      header.right.forEach((line, n) =>
        doc.font(n === 0 ? 'Helvetica-Bold' : 'Helvetica').fontSize(9.5).text(printable(line), MARGIN.left + CONTENT_WIDTH * 0.5, 40 + n * 12, { width: CONTENT_WIDTH * 0.5, align: 'right' }),
      );
      doc.moveTo(MARGIN.left, 72).lineTo(MARGIN.left + CONTENT_WIDTH, 72).lineWidth(0.8).strokeColor('#000000').stroke();
      doc.moveTo(MARGIN.left, A4.height - 52).lineTo(MARGIN.left + CONTENT_WIDTH, A4.height - 52).lineWidth(0.4).stroke();
      doc.font('Helvetica').fontSize(8.5).text(printable(footer), MARGIN.left, A4.height - 46, { width: CONTENT_WIDTH * 0.75 });
      doc.text(`Sida ${i - range.start + 1} av ${range.count}`, MARGIN.left + CONTENT_WIDTH * 0.75, A4.height - 46, { width: CONTENT_WIDTH * 0.25, align: 'right' });
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
      doc.end();
    });
  }
}

function attendanceLines(lines: ProtocolDocument['beslutande']): string[] {
  return lines.map((l) => `${l.name}${l.detail ? `, ${l.detail}` : ''}${l.paragraphs ? ` (${l.paragraphs})` : ''}${l.representing ? ` – ${l.representing}` : ''}`);
}

function writeParagraph(w: Writer, doc: ProtocolDocument, p: Paragraph): void {
  // Keep the heading with the first lines of its decision.
  const first = p.clauses[0] ?? '';
  w.ensure(w.height(p.title, 'Helvetica-Bold', 12, VALUE_WIDTH) + w.height(first, 'Helvetica', 10.5, CONTENT_WIDTH) + 40);
  const top = w.y;
  w.doc.font('Helvetica-Bold').fontSize(12).text(`§ ${p.number}`, MARGIN.left, top, { width: 60 });
  w.doc.font('Helvetica-Bold').fontSize(12).text(printable(p.title), MARGIN.left + 60, top, { width: CONTENT_WIDTH - 60 });
  w.y = top + w.height(p.title, 'Helvetica-Bold', 12, CONTENT_WIDTH - 60) + 6;
  if (p.dnr) w.text(`Dnr ${p.dnr}`, { size: 9.5, font: 'Helvetica-Oblique' });
  if (p.clauses.length > 0) {
    w.text(`${DECIDES[doc.body.kind]}:`, { font: 'Helvetica-Bold', gapAfter: 4 });
    for (const clause of p.clauses) w.text(clause, { indent: 18, gapAfter: 5 });
  }
  w.text(`Beslut: ${OUTCOME[p.outcome]}${p.immediateJustering ? ' (omedelbart justerad)' : ''}`, { size: 9.5, font: 'Helvetica-Oblique', gapAfter: 6 });
  if (p.votes.length > 0) {
    w.text(`Omröstning: ja ${p.tally.JA}, nej ${p.tally.NEJ}, avstår ${p.tally.AVSTAR}`, { font: 'Helvetica-Bold', gapAfter: 3 });
    for (const vote of p.votes) w.text(`${vote.name}: ${BALLOT[vote.ballot]}`, { x: MARGIN.left + 18, width: CONTENT_WIDTH - 18, gapAfter: 1 });
    w.y += 5;
  }
  if (p.reservations.length > 0) {
    w.text('Reservationer', { font: 'Helvetica-Bold', gapAfter: 3 });
    for (const r of p.reservations) w.text(`${r.name} reserverar sig mot beslutet${r.reason ? `: ${r.reason}` : '.'}`, { x: MARGIN.left + 18, width: CONTENT_WIDTH - 18 });
  }
  for (const c of p.corrections) {
    w.text(`Rättat ${c.correctedAt} (${c.field}): "${c.from}" ändrat till "${c.to}". ${c.reason}`, { size: 9.5, font: 'Helvetica-Oblique' });
  }
  w.y += 10;
}

function writeAnslagsbevis(w: Writer, doc: ProtocolDocument): void {
  if (!doc.anslag) return;
  const rows: Array<[string, string]> = [
    ['Sammanträdesdatum', doc.date],
    ['Anslaget har satts upp', doc.anslag.postedAt],
    ['Anslaget tas ned efter', doc.anslag.removeAfter],
    ['Sista dag att överklaga', doc.anslag.appealDeadline],
    ['Förvaringsplats för protokollet', doc.anslag.storageLocation],
  ];
  const intro = 'Justeringen av protokollet har tillkännagetts på anslagstavlan.';
  const rowHeight = (label: string, value: string) => Math.max(w.height(label, 'Helvetica-Bold', 10.5, LABEL_WIDTH - 10), w.height(value, 'Helvetica', 10.5, VALUE_WIDTH - 10));
  const height = 30 + w.height(intro, 'Helvetica', 10.5, CONTENT_WIDTH - 20) + rows.reduce((sum, [label, value]) => sum + rowHeight(label, value) + 8, 0) + 14;
  w.ensure(height + 10);
  const top = w.y;
  w.doc.rect(MARGIN.left, top, CONTENT_WIDTH, height).lineWidth(1.2).strokeColor('#000000').stroke();
  w.y = top + 10;
  w.text('BEVIS OM ANSLAG', { font: 'Helvetica-Bold', size: 12, x: MARGIN.left + 10, width: CONTENT_WIDTH - 20, gapAfter: 6 });
  w.text(intro, { x: MARGIN.left + 10, width: CONTENT_WIDTH - 20, gapAfter: 8 });
  for (const [label, value] of rows) {
    const h = rowHeight(label, value);
    w.doc.font('Helvetica-Bold').fontSize(10.5).text(printable(label), MARGIN.left + 10, w.y, { width: LABEL_WIDTH - 10 });
    w.doc.font('Helvetica').fontSize(10.5).text(printable(value), VALUE_X, w.y, { width: VALUE_WIDTH - 10 });
    w.y += h + 8;
  }
  w.y = top + height + 16;
}

function writeCheckpoint(w: Writer, doc: ProtocolDocument): void {
  if (!doc.checkpoint) return;
  w.ensure(90);
  w.text('Loggens kontrollpunkt', { font: 'Helvetica-Bold', gapAfter: 3 });
  w.text('Justeringen finns i händelseloggen som denna signerade kontrollpunkt omfattar (C2SP tlog-checkpoint).', { size: 9.5, gapAfter: 4 });
  for (const line of doc.checkpoint.split('\n')) w.text(line || ' ', { font: 'Courier', size: 8, gapAfter: 0 });
  w.y += 8;
}

function footerOf(doc: ProtocolDocument): string {
  if (!doc.meeting.justeradAt) return 'UTKAST – protokollet är inte justerat';
  return `Justerat ${doc.meeting.justeradAt} av ${doc.signatures.map((s) => s.name).join(', ')}`;
}

/** The whole protocol. */
export function protocolPdf(doc: ProtocolDocument): Promise<Buffer> {
  const w = new Writer(`Sammanträdesprotokoll ${doc.date}, ${doc.body.name}`, 'Sammanträdesprotokoll');
  w.text(doc.meeting.justeradAt ? 'Sammanträdesprotokoll' : 'Sammanträdesprotokoll – UTKAST', { font: 'Helvetica-Bold', size: 18, gapAfter: 2 });
  w.text(doc.body.name, { size: 12, gapAfter: 14 });
  w.row('Plats och tid', [doc.place ?? '', `${doc.date} ${doc.time}`].filter(Boolean));
  w.row('Beslutande', attendanceLines(doc.beslutande));
  w.row('Tjänstgörande ersättare', attendanceLines(doc.tjanstgorandeErsattare));
  w.row('Ersättare', attendanceLines(doc.ersattare));
  w.row('Tjänstemän', attendanceLines(doc.tjansteman));
  w.row('Övriga närvarande', attendanceLines(doc.ovriga));
  w.row('Utses att justera', doc.justerare.length > 0 ? [doc.justerare.join(', ')] : []);
  const range = paragraphRange(doc);
  w.row('Paragrafer', range ? [range] : []);
  w.y += 6;
  w.text('Underskrifter', { font: 'Helvetica-Bold', size: 12, gapAfter: 8 });
  if (doc.signatures.length === 0) w.text('Protokollet är inte justerat.');
  for (const s of doc.signatures) {
    w.ensure(44);
    w.doc.moveTo(MARGIN.left, w.y + 14).lineTo(MARGIN.left + 230, w.y + 14).lineWidth(0.5).strokeColor('#000000').stroke();
    w.y += 18;
    w.text(`${s.name}, ${s.role}`, { gapAfter: 1 });
    w.text(`${s.digital ? 'Signerat digitalt' : 'Justerat'} ${s.signedAt ?? ''}`, { size: 9, font: 'Helvetica-Oblique', gapAfter: 10 });
  }
  w.y += 4;
  writeAnslagsbevis(w, doc);
  if (doc.paragraphs.length > 0) {
    w.newPage();
    for (const p of doc.paragraphs) writeParagraph(w, doc, p);
  }
  // Last, where the paragraphs leave room: the signed checkpoint anyone can later check the log against.
  writeCheckpoint(w, doc);
  return w.finish({ left: doc.body.name, right: ['SAMMANTRÄDESPROTOKOLL', `Sammanträdesdatum ${doc.date}`] }, footerOf(doc));
}

/** Loads the fonts' metrics once at start, so the first reader does not wait for it (about 100 ms). */
export async function warmUpPdf(): Promise<void> {
  const w = new Writer('Kansli', 'Kansli');
  for (const font of ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique', 'Courier'] as const) w.text('Sammanträdesprotokoll § 1 – åäö', { font });
  await w.finish({ left: '', right: [''] }, '');
}

/** A protokollsutdrag of one justerad paragraph. */
export function extractPdf(doc: ProtocolDocument, p: Paragraph, issuedOn: string): Promise<Buffer> {
  const w = new Writer(`Protokollsutdrag § ${p.number}, ${doc.body.name} ${doc.date}`, 'Protokollsutdrag');
  w.text(`Protokollsutdrag § ${p.number}`, { font: 'Helvetica-Bold', size: 18, gapAfter: 2 });
  w.text(doc.body.name, { size: 12, gapAfter: 14 });
  w.row('Sammanträdesdatum', [doc.date]);
  w.row('Plats och tid', [doc.place ?? '', doc.time].filter(Boolean));
  w.row('Paragraf', [`§ ${p.number}`]);
  if (p.dnr) w.row('Diarienummer', [p.dnr]);
  w.rule(14);
  writeParagraph(w, doc, p);
  w.rule(12);
  w.text('Justering', { font: 'Helvetica-Bold', gapAfter: 3 });
  w.text(justeringText(doc, p), { gapAfter: 14 });
  const certification = certificationText(p);
  w.ensure(90);
  const top = w.y;
  w.y += 10;
  w.text('UTDRAGSBESTYRKANDE', { font: 'Helvetica-Bold', size: 12, x: MARGIN.left + 10, width: CONTENT_WIDTH - 20, gapAfter: 6 });
  w.text(certification, { x: MARGIN.left + 10, width: CONTENT_WIDTH - 20, gapAfter: 6 });
  w.text(`Utdraget utfärdat ${issuedOn} ur protokollet från ${doc.body.name}, ${doc.date}.`, { x: MARGIN.left + 10, width: CONTENT_WIDTH - 20, gapAfter: 10 });
  w.doc.rect(MARGIN.left, top, CONTENT_WIDTH, w.y - top).lineWidth(1.2).strokeColor('#000000').stroke();
  w.y += 14;
  writeCheckpoint(w, doc);
  return w.finish({ left: doc.body.name, right: ['PROTOKOLLSUTDRAG', `Sammanträdesdatum ${doc.date}`] }, `Utdrag ur justerat protokoll, § ${p.number} · utfärdat ${issuedOn}`);
}
