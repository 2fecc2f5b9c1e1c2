/** The parts of untyped packages the platform uses (they ship no types of their own). */
declare module 'fontkit' {
  export interface Glyph {
    advanceWidth: number;
  }
  export interface Font {
    unitsPerEm: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
  }
  export function create(buffer: Buffer): Font;
}

declare module 'wawoff2' {
  const wawoff2: { decompress(woff2: Uint8Array): Promise<Uint8Array> };
  export default wawoff2;
}

declare module 'pdfkit' {
  const PDFDocument: new (options: Record<string, unknown>) => unknown;
  export default PDFDocument;
}
