/** The words of credit reports: their types, what a request names, and what a report holds. */
import type { Category } from '../catalog/index.ts';
import type { CreditFile, FileRecord, Matter } from '../disclosure/index.ts';
import type { Algorithm } from '../keys/index.ts';

/**
 * - `public`: what the public may see.
 * - `matter`: what a department may see, for a stated purpose in an administrative matter.
 * - `self`: the subject's own full report, free; what is no longer public is marked with why.
 * - `special`: the special credit report that replaces certificates of no violations (信用代证,
 *   发改财金〔2025〕565号): per domain the subject picks, within a window of at most five years.
 */
export const REPORT_TYPES = ['public', 'matter', 'self', 'special'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** The longest window a special report may cover (发改财金〔2025〕565号). */
export const SPECIAL_MAX_YEARS = 5;

/** The format every issued report's JSON names, so a reader knows what it holds. */
export const REPORT_FORMAT = 'xinyong.credit-report/1';

export interface ReportRequest {
  type: ReportType;
  /** Any code of the subject. */
  code: string;
  /** Matter reports: why the department reads, and the administrative matter it serves. */
  purpose?: string;
  matter?: string;
  /** Special reports: the domains, and the window (`years` back from today, or `from`–`to`). */
  domains?: string[];
  years?: number;
  from?: string;
  to?: string;
}

/**
 * What a special report finds, per category it must cover: the findings, "none found", or that
 * the platform does not hold the category at all (criminal judgments today) — never "none".
 */
export const SPECIAL_SECTIONS = [
  { key: 'administrative_penalty', categories: ['administrative_penalty'] },
  { key: 'administrative_compulsion', categories: ['administrative_compulsion'] },
  { key: 'serious_dishonesty', categories: ['serious_dishonesty_list'] },
  { key: 'criminal_judgment', categories: [] },
] as const satisfies ReadonlyArray<{ key: string; categories: readonly Category[] }>;
export type SpecialSection = (typeof SPECIAL_SECTIONS)[number]['key'];

/** What a special report says of a record beyond the record itself. */
export type SpecialMark =
  'minor' | 'display_ended' | 'repaired' | 'under_objection' | 'corrected' | 'not_public';

export interface SpecialFinding {
  section: SpecialSection;
  status: 'found' | 'none_found' | 'not_held';
  /** Why, in the report's language. */
  statement: string;
  records: Array<{ marks: SpecialMark[]; record: FileRecord }>;
}

export interface SpecialDomain {
  domain: string;
  name: string;
  /** The departments of the domain and the last batch each sent: how fresh "none found" is. */
  departments: Array<{ code: string; name: string; lastBatchAt: string | null }>;
  findings: SpecialFinding[];
}

export interface ReportContent {
  format: typeof REPORT_FORMAT;
  number: string;
  type: ReportType;
  /** When it was issued (and signed), and the day its records are as of (Asia/Shanghai). */
  issuedAt: string;
  asOf: string;
  issuer: { name: string; publicUrl: string };
  verification: { code: string; url: string };
  audience: {
    kind: CreditFile['audience'];
    department?: { code: string; name: string };
    purpose?: string;
    matter?: Matter;
  };
  subject: CreditFile['subject'] & { codes: CreditFile['codes'] };
  /** Records by category (list entries and commitments apart); empty in a special report. */
  records: CreditFile['categories'];
  lists: FileRecord[];
  commitments: FileRecord[];
  special?: { window: { from: string; to: string }; domains: SpecialDomain[] };
  catalog: Array<{ code: string; version: number | null }>;
  freshness: Array<{ department: { code: string; name: string }; lastBatchAt: string | null }>;
  /** The rules applied, in the report's language: masking, display periods, repair. */
  rules: Array<{ rule: string; text: string }>;
}

/** An issued report as signed: its content and the platform's signature of its canonical JSON. */
export interface SignedReport {
  format: typeof REPORT_FORMAT;
  report: ReportContent;
  signature: { algorithm: Algorithm; keyId: string; value: string };
}

/** What verifying a report found. */
export type ReportVerdict =
  'valid' | 'tampered' | 'key_revoked' | 'unknown_key' | 'outside_validity' | 'not_a_report';
