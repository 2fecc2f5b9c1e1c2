/**
 * A report's trust, with no database: its number and verification code, the signature of the
 * canonical JSON of its content, its fingerprint, and the check a reader runs offline against the
 * published keys. One changed character anywhere is "tampered", never merely "invalid".
 */
import { randomInt } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../../platform/index.ts';
import { checkSignature, type PublishedKey, type Signer } from '../keys/index.ts';
import { REPORT_FORMAT, type ReportContent, type ReportVerdict, type SignedReport } from './reports.types.ts';

/** Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomChars(n: number): string {
  let out = '';
  for (let i = 0; i < n; i += 1) {
    out += ALPHABET[randomInt(ALPHABET.length)];
  }
  return out;
}

/** `XY` + the day (yyyymmdd) + 8 random characters, e.g. XY20261202K7M3Q9TX. */
export function newReportNumber(day: string): string {
  return `XY${day.replaceAll('-', '')}${randomChars(8)}`;
}

/** 8 characters (40 bits), shown as XXXX-XXXX. */
export function newVerificationCode(): string {
  const c = randomChars(8);
  return `${c.slice(0, 4)}-${c.slice(4)}`;
}

/** A code as typed: case, spaces and dashes ignored; I and L read as 1, O as 0 (Crockford). */
export function normaliseCode(code: string): string {
  const c = code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return c.length === 8 ? `${c.slice(0, 4)}-${c.slice(4)}` : c;
}

export function codeHash(code: string): string {
  return sha256Hex(`xinyong-report-code:${normaliseCode(code)}`);
}

/** The SHA-256 of the canonical JSON of the content: what the signature covers. */
export function fingerprintOf(report: ReportContent): string {
  return sha256Hex(canonicalJson(report));
}

export function signReport(signer: Signer, report: ReportContent): SignedReport {
  return {
    format: REPORT_FORMAT,
    report,
    signature: {
      algorithm: signer.algorithm,
      keyId: signer.keyId,
      value: signer.sign(canonicalJson(report)),
    },
  };
}

export interface ReportCheck {
  verdict: ReportVerdict;
  number?: string;
  type?: string;
  issuedAt?: string;
  fingerprint?: string;
  keyId?: string;
  algorithm?: string;
  /** For a revoked key: when and why. */
  key?: PublishedKey;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Verifies a report's JSON as issued against the published keys. Text that names the report
 * format but no longer parses, or no longer has a report's shape, was changed: "tampered".
 */
export function verifyReportJson(text: string, keys: readonly PublishedKey[]): ReportCheck {
  const names = text.includes(REPORT_FORMAT);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { verdict: names ? 'tampered' : 'not_a_report' };
  }
  if (!isObject(parsed) || !isObject(parsed.report) || !isObject(parsed.signature)) {
    return { verdict: names ? 'tampered' : 'not_a_report' };
  }
  const report = parsed.report as unknown as ReportContent;
  const signature = parsed.signature;
  const about = {
    number: String(report.number),
    type: String(report.type),
    issuedAt: String(report.issuedAt),
    fingerprint: fingerprintOf(report),
    keyId: String(signature.keyId),
    algorithm: String(signature.algorithm),
  };
  if (parsed.format !== REPORT_FORMAT || report.format !== REPORT_FORMAT) {
    return { verdict: 'tampered', ...about };
  }
  const check = checkSignature(keys, {
    keyId: about.keyId,
    text: canonicalJson(report),
    signature: String(signature.value),
    signedAt: about.issuedAt,
  });
  if (check.ok) {
    return check.key.algorithm === about.algorithm
      ? { verdict: 'valid', ...about, key: check.key }
      : { verdict: 'tampered', ...about };
  }
  const verdict: Record<typeof check.problem, ReportVerdict> = {
    bad_signature: 'tampered',
    revoked: 'key_revoked',
    unknown_key: 'unknown_key',
    outside_validity: 'outside_validity',
  };
  return {
    verdict: verdict[check.problem],
    ...about,
    ...(check.key === undefined ? {} : { key: check.key }),
  };
}
