/**
 * Verifying a report as a reader holds it, offline, against the published keys: a PDF's byte
 * signature first (before anything of it is parsed), then the signed JSON it carries; or the JSON
 * alone. One changed byte of either is "tampered".
 */
import type { PublishedKey } from '../keys/index.ts';
import { verifyPdfBytes } from './reports.pdf-signature.ts';
import { verifyReportJson, type ReportCheck } from './reports.signing.ts';

export type FileCheck = ReportCheck & { format: 'pdf' | 'json'; why?: string };

export function verifyReportFile(bytes: Buffer, keys: readonly PublishedKey[]): FileCheck {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
    return { ...verifyReportJson(bytes.toString('utf8'), keys), format: 'json' };
  }
  const pdf = verifyPdfBytes(bytes, keys);
  if (!pdf.ok) {
    if (pdf.problem === 'key') {
      const verdicts = {
        revoked: 'key_revoked',
        unknown_key: 'unknown_key',
        outside_validity: 'outside_validity',
      } as const;
      const verdict = pdf.check.problem === 'bad_signature' ? 'tampered' : verdicts[pdf.check.problem];
      return {
        verdict,
        keyId: pdf.keyId,
        ...(pdf.check.key === undefined ? {} : { key: pdf.check.key }),
        format: 'pdf',
      };
    }
    return {
      verdict: pdf.problem === 'not_signed' ? 'not_a_report' : 'tampered',
      why: pdf.why,
      format: 'pdf',
    };
  }
  if (pdf.json === undefined) {
    return { verdict: 'tampered', why: 'the signed report data is not attached', format: 'pdf' };
  }
  return { ...verifyReportJson(pdf.json, keys), format: 'pdf' };
}
