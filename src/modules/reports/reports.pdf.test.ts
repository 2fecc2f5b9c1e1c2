/**
 * Reports as PDF and HTML, as a receiving officer sees them: a company whose name has rare
 * characters (䶮, 骉, and 𠇔 from CJK Extension B) gets a multi-page PDF whose pages render with
 * every glyph drawn, whose QR code decodes to the verification address, whose table header repeats
 * on every page with "第 n 页 共 m 页", which carries its signed JSON, and in which one changed
 * byte anywhere is found as tampering.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord, registrationRecord } from '../../../test/support/records.ts';
import { reportFonts } from './reports.fonts.ts';
import { verifyReportFile, type IssuedReport } from './index.ts';

const COMPANY = codes.uscc('91350100', 'MA7RPD01');
const NAME = '福州䶮骉𠇔科技有限公司'; // synthetic, with two rare characters and one of CJK Extension B
const RARE = ['䶮', '骉', '𠇔'];
// jsqr is CommonJS with its function as `default`: taken whichever way the loader presents it.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: Decode =
  (jsQRModule as unknown as { default?: Decode }).default ?? (jsQRModule as unknown as Decode);
const poppler = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let t: TestApp;
let issued: IssuedReport;
let pdf: Buffer;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  const c = t.container;
  const clerk = (await c.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
  const send = async (item: string, records: Array<Record<string, unknown>>) =>
    expect((await c.ingest.ingestRecords(clerk, { department: 'FZ-SCJG', item, records })).rejected).toBe(0);
  await send('registration', [registrationRecord(COMPANY, NAME)]);
  // Enough penalties for the table to run over several pages.
  await send(
    'admin_penalty',
    Array.from({ length: 45 }, (_, i) =>
      penaltyRecord({
        行政相对人名称: NAME,
        统一社会信用代码: COMPANY,
        行政处罚决定书文号: `榕市监处〔2026〕${100 + i}号`,
        处罚决定日期: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`,
        处罚类别: '罚款',
        处罚内容: `罚款人民币${i + 1}万元，责令改正`,
        '罚款金额（万元）': String(i + 1),
      }),
    ),
  );
  issued = await c.reports.issue({ kind: 'system', name: 'test' }, { type: 'self', code: COMPANY });
  pdf = await c.reports.render(issued.text, 'pdf');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinyong-report-pdf-'));
  fs.writeFileSync(path.join(dir, 'report.pdf'), pdf);
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('the PDF', () => {
  it('verifies, carries its signed JSON, and one changed byte anywhere is "tampered"', async () => {
    const keys = await t.container.keys.list();
    expect(verifyReportFile(pdf, keys)).toMatchObject({
      verdict: 'valid',
      format: 'pdf',
      number: issued.number,
    });
    // Bytes at the start, in the middle of the content, in the signature slot, and at the very end.
    const slot = pdf.toString('latin1').indexOf('/Contents <') + 12;
    for (const at of [9, Math.floor(pdf.length / 3), Math.floor(pdf.length / 2), slot, pdf.length - 2]) {
      const changed = Buffer.from(pdf);
      changed[at] = (changed[at] ?? 0) ^ 0x01;
      expect(verifyReportFile(changed, keys).verdict, `byte ${at}`).toBe('tampered');
    }
    expect(verifyReportFile(Buffer.concat([pdf, Buffer.from('\n')]), keys).verdict).toBe('tampered');
    // The signature itself spelt otherwise: a hex digit in capitals is a change too.
    const hexAt = pdf.toString('latin1').indexOf('/Contents <') + 11;
    const digits = pdf.toString('latin1').slice(hexAt, hexAt + 128);
    const letter = digits.search(/[a-f]/);
    const upper = Buffer.from(pdf);
    upper[hexAt + letter] = (upper[hexAt + letter] ?? 0) ^ 0x20;
    expect(verifyReportFile(upper, keys).verdict).toBe('tampered');
    expect(verifyReportFile(Buffer.from(issued.text), keys)).toMatchObject({
      verdict: 'valid',
      format: 'json',
    });
  });

  it.skipIf(!poppler)(
    'has the number, the code and "第 n 页 共 m 页" on every page, and the table header again',
    () => {
      const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'report.pdf'), '-']).toString('utf8');
      const pages = text.split('\f').filter((p) => p.trim() !== '');
      expect(pages.length).toBeGreaterThanOrEqual(3);
      pages.forEach((page, i) => {
        // pdftotext drops the spaces between Chinese characters.
        expect(page.replace(/\s+/g, '')).toContain(`第${i + 1}页共${pages.length}页`);
        expect(page).toContain(issued.number);
        expect(page).toContain(issued.code);
      });
      expect(pages[0]).toContain(NAME);
      // A later page of the penalties' table starts with its header.
      expect(pages.slice(1).filter((p) => p.includes('决定文书号')).length).toBeGreaterThanOrEqual(1);
      expect(execFileSync('pdfdetach', ['-list', path.join(dir, 'report.pdf')]).toString()).toContain(
        'credit-report.json',
      );
    },
  );

  it.skipIf(!poppler)('has a QR code on each page that decodes to the verification address', () => {
    execFileSync('pdftoppm', ['-r', '110', '-png', path.join(dir, 'report.pdf'), path.join(dir, 'page')]);
    const pages = fs.readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const file of [pages[0], pages[pages.length - 1]]) {
      const png = PNG.sync.read(fs.readFileSync(path.join(dir, file ?? '')));
      const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(code?.data).toBe(
        `https://credit.example.gov.cn/verify?number=${issued.number}&code=${issued.code}`,
      );
    }
  });
});

describe('rare characters', () => {
  it('are each covered by a font that arrives with npm install', async () => {
    const fonts = await reportFonts();
    await fonts.prepare([NAME]);
    for (const ch of RARE) {
      const cp = ch.codePointAt(0) ?? 0;
      const key = fonts.keyFor(cp, false);
      expect(fonts.font(key).hasGlyphForCodePoint(cp), ch).toBe(true);
    }
    expect(fonts.keyFor(0x201d4, false)).toMatch(/^fb:/);
    expect([...fonts.missing]).toEqual([]);
  });

  it.skipIf(!poppler)('render with ink, and not as the missing-glyph box', async () => {
    const text = execFileSync('pdftotext', [path.join(dir, 'report.pdf'), '-']).toString('utf8');
    for (const ch of RARE) {
      expect(text).toContain(ch);
    }
    // The rare characters as the report draws them, one per cell, beside the main font's box for a
    // character it lacks; rendered by pdftoppm, each cell compared.
    const cells = await renderCells([...RARE, '\u{E000}']);
    const box = cells[cells.length - 1] ?? [];
    expect(box.filter((v) => v).length).toBeGreaterThan(20);
    RARE.forEach((ch, i) => {
      const cell = cells[i] ?? [];
      const ink = cell.filter((v) => v).length;
      expect(ink, `${ch} is drawn`).toBeGreaterThan(40);
      const same = cell.filter((v, j) => v === box[j]).length / cell.length;
      expect(same, `${ch} is not the missing-glyph box`).toBeLessThan(0.97);
    });
  });
});

/** Draws each character in an 80-point cell with the report's font choice, renders, and reads each cell's pixels. */
async function renderCells(chars: string[]): Promise<boolean[][]> {
  const fonts = await reportFonts();
  await fonts.prepare(chars);
  const file = path.join(dir, 'cells.pdf');
  const doc = new PDFDocument({ size: [80 * chars.length, 80], margin: 0, font: null }) as CellDoc;
  const chunks: Buffer[] = [];
  doc.on('data', (c) => chunks.push(c));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  for (const [key, font] of fonts.entries()) {
    doc.registerFont(key, font);
  }
  chars.forEach((ch, i) => {
    doc
      .font(fonts.keyFor(ch.codePointAt(0) ?? 0, false))
      .fontSize(60)
      .text(ch, 80 * i + 10, 70, { lineBreak: false, baseline: 'alphabetic' });
  });
  doc.end();
  await ended;
  fs.writeFileSync(file, Buffer.concat(chunks));
  execFileSync('pdftoppm', ['-r', '72', '-png', '-singlefile', file, path.join(dir, 'cells')]);
  const png = PNG.sync.read(fs.readFileSync(path.join(dir, 'cells.png')));
  return chars.map((_, i) => {
    const out: boolean[] = [];
    for (let y = 0; y < png.height; y += 1) {
      for (let x = i * 80; x < (i + 1) * 80 && x < png.width; x += 1) {
        out.push((png.data[(y * png.width + x) * 4] ?? 255) < 128);
      }
    }
    return out;
  });
}

interface CellDoc {
  on(event: string, listener: (chunk: Buffer) => void): void;
  registerFont(name: string, font: unknown): void;
  font(name: string): CellDoc;
  fontSize(size: number): CellDoc;
  text(text: string, x: number, y: number, options: Record<string, unknown>): CellDoc;
  end(): void;
}
