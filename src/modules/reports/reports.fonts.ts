/**
 * The fonts a report is typeset in, all from npm packages (nothing downloaded at run time): Noto
 * Sans CJK SC (@embedpdf/fonts-sc) for Chinese, and HanaMin (hanamin, split by Unicode block) for
 * what it lacks — rare characters of real names, CJK Extension B and beyond. Coverage is decided
 * per character (`hasGlyphForCodePoint`); HanaMin's WOFF2 files are decompressed once, when a
 * character first needs one. Parsed once per process.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import wawoff2 from 'wawoff2';

const require = createRequire(import.meta.url);

export type FontKey = string;

interface Range {
  lo: number;
  hi: number;
  file: string;
}

export class FontSet {
  private readonly fallback = new Map<string, fontkit.Font>();
  private readonly advances = new Map<string, number>();
  /** Code points no font has: drawn with the main font's missing-glyph box, and reported. */
  readonly missing = new Set<number>();

  private constructor(
    readonly main: fontkit.Font,
    readonly bold: fontkit.Font,
    private readonly ranges: Range[],
    private readonly fallbackDir: string,
  ) {}

  static async load(): Promise<FontSet> {
    // The package's exports hide package.json: its main entry sits beside the fonts folder.
    const noto = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    const hanamin = path.dirname(require.resolve('hanamin/package.json'));
    const [regular, bold, css] = await Promise.all([
      fs.readFile(path.join(noto, 'NotoSansHans-Regular.otf')),
      fs.readFile(path.join(noto, 'NotoSansHans-Bold.otf')),
      fs.readFile(path.join(hanamin, 'HanaMin.css'), 'utf8'),
    ]);
    const ranges: Range[] = [];
    for (const m of css.matchAll(/url\(([^)]+\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)) {
      for (const r of (m[2] ?? '').split(',')) {
        const [lo, hi] = r
          .trim()
          .replace(/^U\+/i, '')
          .split('-')
          .map((h) => parseInt(h, 16));
        if (lo !== undefined && !Number.isNaN(lo)) {
          ranges.push({ lo, hi: hi ?? lo, file: m[1] ?? '' });
        }
      }
    }
    return new FontSet(fontkit.create(regular), fontkit.create(bold), ranges, hanamin);
  }

  /** Loads the fallback fonts `strings` need (asynchronous: call it before typesetting). */
  async prepare(strings: Iterable<string>): Promise<void> {
    for (const s of strings) {
      for (const ch of s) {
        const cp = ch.codePointAt(0) ?? 0;
        if (cp < 0x80 || this.main.hasGlyphForCodePoint(cp) || this.fallbackFor(cp) !== undefined) {
          continue;
        }
        for (const r of this.ranges) {
          if (cp < r.lo || cp > r.hi || this.fallback.has(r.file)) {
            continue;
          }
          const ttf = Buffer.from(
            await wawoff2.decompress(await fs.readFile(path.join(this.fallbackDir, r.file))),
          );
          this.fallback.set(r.file, fontkit.create(ttf));
          if (this.fallback.get(r.file)?.hasGlyphForCodePoint(cp) === true) {
            break;
          }
        }
        if (this.fallbackFor(cp) === undefined) {
          this.missing.add(cp);
        }
      }
    }
  }

  private fallbackFor(cp: number): FontKey | undefined {
    for (const [file, font] of this.fallback) {
      if (font.hasGlyphForCodePoint(cp)) {
        return `fb:${file}`;
      }
    }
    return undefined;
  }

  /** The font that draws `cp`: the main (or bold) one when it has the glyph, else a fallback. */
  keyFor(cp: number, bold: boolean): FontKey {
    const base = bold ? 'bold' : 'main';
    return this.main.hasGlyphForCodePoint(cp) ? base : (this.fallbackFor(cp) ?? base);
  }

  font(key: FontKey): fontkit.Font {
    if (key === 'main') {
      return this.main;
    }
    if (key === 'bold') {
      return this.bold;
    }
    return this.fallback.get(key.slice(3)) ?? this.main;
  }

  /** The advance of `ch` in `key` at `size` points. */
  advance(key: FontKey, ch: string, size: number): number {
    const k = key + ch;
    let a = this.advances.get(k);
    if (a === undefined) {
      const f = this.font(key);
      a = f.glyphForCodePoint(ch.codePointAt(0) ?? 0).advanceWidth / f.unitsPerEm;
      this.advances.set(k, a);
    }
    return a * size;
  }

  /** Every font a document may use, by key (pdfkit embeds only what is drawn, subset). */
  entries(): Array<[FontKey, fontkit.Font]> {
    return [
      ['main', this.main],
      ['bold', this.bold],
      ...[...this.fallback].map(([file, font]): [FontKey, fontkit.Font] => [`fb:${file}`, font]),
    ];
  }
}

let loading: Promise<FontSet> | undefined;

/** The process's fonts, loaded on first use. */
export function reportFonts(): Promise<FontSet> {
  loading ??= FontSet.load();
  return loading;
}
