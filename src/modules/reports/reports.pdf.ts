/**
 * A report as PDF: Chinese typesetting with per-character font fallback, tables that break across
 * pages with their header repeated, on every page the report number, verification code, a QR code
 * to the public verification address and "第 n 页 共 m 页"; the signed JSON attached; and a
 * signature over the file's bytes outside a reserved slot (the ByteRange scheme of PDF signatures).
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Signer } from '../keys/index.ts';
import { reportFonts, type FontKey, type FontSet } from './reports.fonts.ts';
import { BYTE_RANGE_PLACEHOLDER, SIGNATURE_SLOT_BYTES, signPdfBytes } from './reports.pdf-signature.ts';
import { reportView, viewStrings, type Block, type Column, type ReportView } from './reports.view.ts';

/** The part of pdfkit's document this module uses (pdfkit's own types lag its API). */
interface Doc {
  page: {
    width: number;
    height: number;
    margins: { top: number; bottom: number; left: number; right: number };
    dictionary: unknown;
    annotations: unknown[];
  };
  registerFont(name: string, font: unknown): Doc;
  font(name: string): Doc;
  fontSize(size: number): Doc;
  text(text: string, x: number, y: number, options: Record<string, unknown>): Doc;
  save(): Doc;
  restore(): Doc;
  rect(x: number, y: number, w: number, h: number): Doc;
  fill(color: string): Doc;
  stroke(): Doc;
  lineWidth(w: number): Doc;
  strokeColor(color: string): Doc;
  moveTo(x: number, y: number): Doc;
  lineTo(x: number, y: number): Doc;
  addPage(): Doc;
  switchToPage(i: number): Doc;
  bufferedPageRange(): { start: number; count: number };
  openImage(buffer: Buffer): unknown;
  image(image: unknown, x: number, y: number, options: Record<string, unknown>): Doc;
  file(data: Buffer, options: Record<string, unknown>): Doc;
  ref(data: Record<string, unknown>): { end(): void };
  initForm(): Doc;
  _acroform?: unknown;
  _root: { data: { AcroForm: { data: Record<string, unknown> & { Fields: unknown[] } } } };
  on(event: 'data', listener: (chunk: Buffer) => void): Doc;
  on(event: 'end' | 'error', listener: (err?: unknown) => void): Doc;
  end(): void;
}

const MARGINS = { top: 100, bottom: 60, left: 40, right: 40 };

interface Run {
  key: FontKey;
  text: string;
  width: number;
}

/** Lines of runs: any CJK character may start a line; Latin words and numbers stay whole. */
function wrap(fonts: FontSet, text: string, width: number, size: number, bold = false): Run[][] {
  const tokens = text.match(/[A-Za-z0-9.,:;%+\-/@()_=?&#]+|\s|[\s\S]/gu) ?? [];
  const lines: Array<Array<[FontKey, string, number]>> = [];
  let line: Array<[FontKey, string, number]> = [];
  let w = 0;
  for (const token of tokens) {
    const chars: Array<[FontKey, string, number]> = [];
    let tw = 0;
    for (const ch of token) {
      const key = fonts.keyFor(ch.codePointAt(0) ?? 0, bold);
      const a = fonts.advance(key, ch, size);
      chars.push([key, ch, a]);
      tw += a;
    }
    if (w + tw > width && line.length > 0 && !/^\s$/.test(token)) {
      lines.push(line);
      line = [];
      w = 0;
    }
    for (const c of chars) {
      if (tw > width && w + c[2] > width && line.length > 0) {
        lines.push(line);
        line = [];
        w = 0;
      }
      line.push(c);
      w += c[2];
    }
  }
  if (line.length > 0) {
    lines.push(line);
  }
  return lines.map((chars) => {
    const runs: Run[] = [];
    for (const [key, ch, a] of chars) {
      const last = runs[runs.length - 1];
      if (last?.key === key) {
        last.text += ch;
        last.width += a;
      } else {
        runs.push({ key, text: ch, width: a });
      }
    }
    return runs;
  });
}

/** Draws lines on one baseline per line, so runs in different fonts sit level. */
function drawLines(
  doc: Doc,
  lines: Run[][],
  x: number,
  y: number,
  size: number,
  lineHeight: number,
  align: Column['align'] = 'left',
  width = 0,
): void {
  lines.forEach((runs, i) => {
    const lw = runs.reduce((s, r) => s + r.width, 0);
    let cx = align === 'center' ? x + (width - lw) / 2 : align === 'right' ? x + width - lw : x;
    const baseline = y + i * lineHeight + size * 0.95;
    for (const r of runs) {
      doc.font(r.key).fontSize(size).text(r.text, cx, baseline, { lineBreak: false, baseline: 'alphabetic' });
      cx += r.width;
    }
  });
}

function drawText(
  doc: Doc,
  fonts: FontSet,
  text: string,
  x: number,
  y: number,
  o: { size?: number; bold?: boolean; width?: number; align?: Column['align'] } = {},
): number {
  const size = o.size ?? 10;
  const lines = wrap(fonts, text, o.width ?? 1e6, size, o.bold);
  drawLines(doc, lines, x, y, size, size * 1.45, o.align, o.width);
  return lines.length * size * 1.45;
}

class Typesetter {
  y = MARGINS.top;
  constructor(
    private readonly doc: Doc,
    private readonly fonts: FontSet,
  ) {}

  private get width(): number {
    return this.doc.page.width - MARGINS.left - MARGINS.right;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGINS.bottom;
  }

  private room(h: number): void {
    if (this.y + h > this.bottom) {
      this.doc.addPage();
      this.y = MARGINS.top;
    }
  }

  title(text: string): void {
    this.y += drawText(this.doc, this.fonts, text, MARGINS.left, this.y, {
      size: 17,
      bold: true,
      width: this.width,
      align: 'center',
    });
    this.y += 8;
  }

  block(b: Block): void {
    const { doc, fonts } = this;
    if (b.kind === 'heading') {
      this.room(40);
      this.y += 6;
      this.y +=
        drawText(doc, fonts, b.text, MARGINS.left, this.y, { size: 11.5, bold: true, width: this.width }) + 2;
    } else if (b.kind === 'lines') {
      for (const line of b.lines) {
        const lines = wrap(fonts, line, this.width, 9);
        this.room(lines.length * 13);
        drawLines(doc, lines, MARGINS.left, this.y, 9, 13);
        this.y += lines.length * 13;
      }
      this.y += 4;
    } else {
      this.table(b.columns, b.rows.length === 0 ? [[b.empty]] : b.rows, b.rows.length === 0);
      this.y += 6;
    }
  }

  /** A table whose rows never split; a row that does not fit starts a page with the header again. */
  private table(columns: Column[], rows: string[][], empty: boolean): void {
    const { doc, fonts } = this;
    const size = 8;
    const pad = 3;
    const lh = size * 1.4;
    const total = columns.reduce((s, c) => s + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * this.width);
    const headerLines = columns.map((c, i) => wrap(fonts, c.title, (widths[i] ?? 0) - 2 * pad, size, true));
    const headerH = Math.max(...headerLines.map((l) => l.length)) * lh + 2 * pad;
    const header = () => {
      let x = MARGINS.left;
      doc.save().rect(MARGINS.left, this.y, this.width, headerH).fill('#e3e8ef').restore();
      columns.forEach((c, i) => {
        const w = widths[i] ?? 0;
        doc.save().lineWidth(0.5).strokeColor('#8a96a3').rect(x, this.y, w, headerH).stroke().restore();
        drawLines(doc, headerLines[i] ?? [], x + pad, this.y + pad, size, lh, 'center', w - 2 * pad);
        x += w;
      });
      this.y += headerH;
    };
    this.room(headerH + lh + 2 * pad);
    header();
    for (const row of rows) {
      const cells = empty
        ? [wrap(fonts, row[0] ?? '', this.width - 2 * pad, size)]
        : columns.map((_, i) => wrap(fonts, row[i] ?? '', (widths[i] ?? 0) - 2 * pad, size));
      const h = Math.max(1, ...cells.map((l) => l.length)) * lh + 2 * pad;
      if (this.y + h > this.bottom) {
        doc.addPage();
        this.y = MARGINS.top;
        header();
      }
      let x = MARGINS.left;
      const spans = empty ? [this.width] : widths;
      spans.forEach((w, i) => {
        doc.save().lineWidth(0.5).strokeColor('#b5bfca').rect(x, this.y, w, h).stroke().restore();
        drawLines(
          doc,
          cells[i] ?? [],
          x + pad,
          this.y + pad,
          size,
          lh,
          empty ? 'center' : columns[i]?.align,
          w - 2 * pad,
        );
        x += w;
      });
      this.y += h;
    }
  }
}

/** On every page: number, code and QR code at the top, "第 n 页 共 m 页" at the foot. */
function decorate(doc: Doc, fonts: FontSet, view: ReportView, qr: unknown): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Drawing in the margin must not start a page.
    doc.page.margins.bottom = 0;
    const w = doc.page.width;
    const h = doc.page.height;
    drawText(doc, fonts, `报告编号：${view.number}`, MARGINS.left, 26, { size: 9 });
    drawText(doc, fonts, `验证码：${view.code}`, MARGINS.left, 40, { size: 9 });
    drawText(doc, fonts, '扫描右侧二维码或访问核验地址，输入报告编号与验证码核验真伪', MARGINS.left, 56, {
      size: 7.5,
    });
    doc.image(qr, w - MARGINS.right - 70, 20, { width: 70, height: 70 });
    doc
      .save()
      .moveTo(MARGINS.left, 93)
      .lineTo(w - MARGINS.right, 93)
      .lineWidth(0.6)
      .strokeColor('#333333')
      .stroke()
      .restore();
    drawText(doc, fonts, `第 ${i - start + 1} 页 共 ${count} 页`, 0, h - 40, {
      size: 9,
      width: w,
      align: 'center',
    });
    drawText(doc, fonts, `${view.number}  ${view.code}`, MARGINS.left, h - 40, { size: 7 });
    doc.page.margins.bottom = bottom;
  }
}

/** The reserved signature: a /Sig dictionary whose /Contents slot is filled after the file is written. */
function reserveSignature(doc: Doc, signer: Signer, at: Date): void {
  const sig = doc.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: `Xinyong.${signer.algorithm}`,
    ByteRange: [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER],
    Contents: new Uint8Array(SIGNATURE_SLOT_BYTES),
    M: at,

    Name: new String(`xinyong:${signer.algorithm}:${signer.keyId}`),
  });
  sig.end();
  const widget = doc.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    F: 132,
    V: sig,

    T: new String('XinyongReportSignature'),
    P: doc.page.dictionary,
  });
  widget.end();
  doc.page.annotations.push(widget);
  if (doc._acroform === undefined) {
    doc.initForm();
  }
  const form = doc._root.data.AcroForm;
  // Signatures exist, append only; no NeedAppearances, which would have viewers rewrite the file.
  form.data.SigFlags = 3;
  delete form.data.NeedAppearances;
  form.data.Fields.push(widget);
}

/** The PDF of a signed report's JSON (`text`, attached as it is), signed by `signer`. */
export async function renderPdf(text: string, signer: Signer, now: Date = new Date()): Promise<Buffer> {
  const signed = JSON.parse(text) as { report: Parameters<typeof reportView>[0] };
  const view = reportView(signed.report);
  const fonts = await reportFonts();
  await fonts.prepare(viewStrings(view));
  // A character no font has is drawn as the missing-glyph box: the report says which, not silently.
  const lacking = [...new Set(viewStrings(view).join(''))]
    .map((ch) => ch.codePointAt(0) ?? 0)
    .filter((cp) => cp > 0x7f && !/\s/u.test(String.fromCodePoint(cp)))
    .filter((cp) => !fonts.font(fonts.keyFor(cp, false)).hasGlyphForCodePoint(cp));
  if (lacking.length > 0) {
    view.blocks.push({
      kind: 'lines',
      lines: [
        `下列字符无可用字形，以方框显示：${lacking.map((cp) => `U+${cp.toString(16).toUpperCase()}`).join('、')}`,
      ],
    });
  }
  const qr = await QRCode.toBuffer(view.url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
  const issuedAt = new Date(signed.report.issuedAt);
  const unsigned = await new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: MARGINS,
      bufferPages: true,
      // No default font: every run names its own (a default would be embedded again on each switch).
      font: null,
      pdfVersion: '1.7',
      info: {
        Title: `${view.title} ${view.number}`,
        Creator: 'Xinyong',
        CreationDate: issuedAt,
        ModDate: issuedAt,
      },
    }) as Doc;
    const chunks: Buffer[] = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', (err) => reject(err instanceof Error ? err : new Error(String(err))));
    for (const [key, font] of fonts.entries()) {
      doc.registerFont(key, font);
    }
    doc.font('main');
    const t = new Typesetter(doc, fonts);
    t.title(view.title);
    for (const b of view.blocks) {
      t.block(b);
    }
    doc.file(Buffer.from(text, 'utf8'), {
      name: 'credit-report.json',
      type: 'application/json',
      description: '签名的报告数据',
      relationship: 'Data',
      creationDate: issuedAt,
      modifiedDate: issuedAt,
    });
    decorate(doc, fonts, view, doc.openImage(qr));
    reserveSignature(doc, signer, now);
    doc.end();
  });
  return signPdfBytes(unsigned, signer);
}
