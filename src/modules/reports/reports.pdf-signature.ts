/**
 * The signature of a PDF over its bytes (the ByteRange scheme of PDF signatures): every byte of the
 * file is signed except a reserved hex slot, the /Contents of one /Sig dictionary, which holds the
 * signature (lowercase hex, as written: any other spelling is a change). Checked on the raw bytes before anything of the file is parsed: exactly one ByteRange,
 * covering the whole file but the slot, and a signature that matches — so one changed byte anywhere
 * is found. The key ID and algorithm are read from the signed bytes (the /Sig's /Name).
 */
import { inflateSync } from 'node:zlib';
import { checkSignature, type PublishedKey, type SignatureCheck, type Signer } from '../keys/index.ts';

/** Written as three PDF names of 10 characters, replaced in place by the real offsets. */
export const BYTE_RANGE_PLACEHOLDER = '**********';
/** The slot: 128 bytes (256 hex digits); Ed25519 and SM2 (r‖s) signatures take 64. */
export const SIGNATURE_SLOT_BYTES = 128;

const PLACEHOLDER = `/ByteRange [0 /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER} /${BYTE_RANGE_PLACEHOLDER}]`;

/** Fills the ByteRange and signs everything outside the slot. */
export function signPdfBytes(pdf: Buffer, signer: Signer): Buffer {
  const s = pdf.toString('latin1');
  const at = s.indexOf(PLACEHOLDER);
  if (at < 0 || s.indexOf(PLACEHOLDER, at + 1) >= 0) {
    throw new Error('a report PDF has exactly one signature placeholder');
  }
  const contents = /\/Contents\s*</g;
  contents.lastIndex = at;
  if (contents.exec(s) === null) {
    throw new Error('no /Contents after the ByteRange');
  }
  const b = contents.lastIndex - 1;
  const c = s.indexOf('>', b) + 1;
  const range = `/ByteRange [0 ${b} ${c} ${pdf.length - c}]`;
  const out = Buffer.from(pdf);
  out.write(`${range.slice(0, -1)}${' '.repeat(PLACEHOLDER.length - range.length)}]`, at, 'latin1');
  const signature = Buffer.from(signer.sign(Buffer.concat([out.subarray(0, b), out.subarray(c)])), 'base64');
  const hex = signature.toString('hex');
  if (hex.length > c - b - 2) {
    throw new Error('the signature does not fit its slot');
  }
  out.write(hex.padEnd(c - b - 2, '0'), b + 1, 'latin1');
  return out;
}

export type PdfCheck =
  | { ok: true; keyId: string; key: PublishedKey; json: string | undefined }
  | { ok: false; problem: 'not_signed' | 'tampered'; why: string }
  | { ok: false; problem: 'key'; keyId: string; check: Extract<SignatureCheck, { ok: false }> };

/** Checks a PDF's byte signature against published keys, then reads its attached JSON. */
export function verifyPdfBytes(pdf: Buffer, keys: readonly PublishedKey[]): PdfCheck {
  const s = pdf.toString('latin1');
  if (!s.startsWith('%PDF-')) {
    return { ok: false, problem: 'not_signed', why: 'not a PDF' };
  }
  const ranges = [...s.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (ranges.length === 0 && !s.includes('/ByteRange')) {
    return { ok: false, problem: 'not_signed', why: 'no signature' };
  }
  const tampered = (why: string): PdfCheck => ({ ok: false, problem: 'tampered', why });
  if (ranges.length !== 1) {
    return tampered(`expected one /ByteRange, found ${ranges.length}`);
  }
  const [a, b, c, d] = (ranges[0] ?? []).slice(1).map(Number) as [number, number, number, number];
  if (a !== 0 || !(b > 0 && c > b && c + d === pdf.length)) {
    return tampered('the ByteRange does not cover the whole file but the signature');
  }
  if (s[b] !== '<' || s[c - 1] !== '>' || !/\/Contents\s*$/.test(s.slice(Math.max(0, b - 20), b))) {
    return tampered('the signature slot is not the /Contents of the signature');
  }
  const hex = s.slice(b + 1, c - 1);
  if (!/^[0-9a-f]*$/.test(hex) || !/^0*$/.test(hex.slice(128))) {
    return tampered('the signature slot holds more than a signature');
  }
  const signed = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c)]);
  const name = /\/Name\s*\(xinyong:(ed25519|sm2):([0-9a-f]{16})\)/.exec(s.slice(0, b) + s.slice(c));
  if (name === null) {
    return tampered('the signature names no key of the platform');
  }
  const keyId = name[2] ?? '';
  // When the file was signed (the signature's /M, in the signed bytes): the key must have been valid then.
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z\)/.exec(s.slice(c, c + 2000));
  if (m === null) {
    return tampered('the signature has no time');
  }
  const check = checkSignature(keys, {
    keyId,
    text: signed,
    signature: Buffer.from(hex.slice(0, 128), 'hex').toString('base64'),
    signedAt: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`,
  });
  if (!check.ok) {
    return check.problem === 'bad_signature'
      ? tampered('the signature does not match the bytes')
      : { ok: false, problem: 'key', keyId, check };
  }
  if (check.key.algorithm !== name[1]) {
    return tampered('the signature names another algorithm than its key');
  }
  return { ok: true, keyId, key: check.key, json: attachedJson(s, pdf) };
}

/** The attached report JSON (an /EmbeddedFile stream, Flate-compressed by the writer), once the bytes are trusted. */
function attachedJson(s: string, pdf: Buffer): string | undefined {
  const at = s.indexOf('/Type /EmbeddedFile');
  if (at < 0) {
    return undefined;
  }
  const dictStart = s.lastIndexOf('<<', at);
  const streamAt = s.indexOf('stream', at);
  const length = /\/Length (\d+)/.exec(s.slice(dictStart, streamAt));
  if (length === null) {
    return undefined;
  }
  const start = streamAt + (s[streamAt + 6] === '\r' ? 8 : 7);
  const body = pdf.subarray(start, start + Number(length[1]));
  const flate = /\/Filter \/FlateDecode/.test(s.slice(dictStart, streamAt));
  try {
    return (flate ? inflateSync(body) : body).toString('utf8');
  } catch {
    return undefined;
  }
}
