/**
 * What a report says, from the credit file its audience may see (the same decision as every file):
 * records by category, list entries and commitments apart; for a special report, per domain and
 * per section, the findings in the window or "none found", or "not held by this platform".
 */
import { MESSAGES, t, type Locale, type MessageKey } from '../../platform/index.ts';
import type { Category } from '../catalog/index.ts';
import type { Audience, CreditFile, FileRecord } from '../disclosure/index.ts';
import {
  REPORT_FORMAT,
  SPECIAL_SECTIONS,
  type ReportContent,
  type ReportType,
  type SpecialDomain,
  type SpecialFinding,
  type SpecialMark,
} from './reports.types.ts';

/** Reports are legal documents: written in Chinese whatever the reader's language (i18n/). */
export const REPORT_LOCALE: Locale = 'zh-CN';

const LIST_CATEGORIES: readonly Category[] = ['serious_dishonesty_list', 'red_list', 'watch_list'];

export interface Department {
  code: string;
  name: string;
  domains: string[];
  lastBatchAt: Date | null;
}

export interface ContentInput {
  number: string;
  code: string;
  type: ReportType;
  issuedAt: Date;
  issuer: { name: string; publicUrl: string };
  audience: Audience;
  file: CreditFile;
  catalog: Array<{ code: string; version: number | null }>;
  departments: Department[];
  /** Special reports only. */
  special?: {
    from: string;
    to: string;
    domains: string[];
    /** Each record's domain (the batch's, else its department's first). */
    recordDomains: ReadonlyMap<number, string | null>;
    /** Categories the catalog holds at all. */
    held: ReadonlySet<Category>;
  };
}

export function domainName(domain: string): string {
  const names = (MESSAGES[REPORT_LOCALE].reports as { domain?: Record<string, string> }).domain ?? {};
  return names[domain] ?? domain;
}

export function verificationUrl(publicUrl: string, number: string, code: string): string {
  return `${publicUrl}/verify?number=${encodeURIComponent(number)}&code=${encodeURIComponent(code)}`;
}

const say = (key: MessageKey, params: Record<string, string | number> = {}) => t(REPORT_LOCALE, key, params);

function marksOf(r: FileRecord): SpecialMark[] {
  const has: Record<SpecialMark, boolean> = {
    minor: r.tier === 'minor',
    display_ended: r.display.ended,
    repaired: r.status === 'repaired' || r.marks.includes('repaired'),
    under_objection: r.marks.includes('under_objection'),
    corrected: r.marks.includes('corrected'),
    not_public: r.disclosure.public?.shown === false,
  };
  return (Object.keys(has) as SpecialMark[]).filter((m) => has[m]);
}

function specialDomains(input: ContentInput, special: NonNullable<ContentInput['special']>): SpecialDomain[] {
  const byCategory = new Map(input.file.categories.map((c) => [c.category, c.records]));
  return special.domains.map((domain) => {
    const findings: SpecialFinding[] = SPECIAL_SECTIONS.map((section) => {
      const categories: readonly Category[] = section.categories;
      if (!categories.some((c) => special.held.has(c))) {
        return {
          section: section.key,
          status: 'not_held',
          statement: say('reports.special.not_held'),
          records: [],
        };
      }
      const records = categories
        .flatMap((c) => byCategory.get(c) ?? [])
        // A revoked decision was withdrawn as wrong: it is no finding.
        .filter((r) => r.status !== 'revoked')
        .filter(
          (r) => r.decisionDate !== null && r.decisionDate >= special.from && r.decisionDate <= special.to,
        )
        .filter((r) => special.recordDomains.get(r.id) === domain)
        .map((record) => ({ marks: marksOf(record), record }));
      return records.length === 0
        ? {
            section: section.key,
            status: 'none_found',
            statement: say('reports.special.none_found', { from: special.from, to: special.to }),
            records,
          }
        : {
            section: section.key,
            status: 'found',
            statement: say('reports.special.found', {
              n: records.length,
              from: special.from,
              to: special.to,
            }),
            records,
          };
    });
    return {
      domain,
      name: domainName(domain),
      departments: input.departments
        .filter((d) => d.domains.includes(domain))
        .map((d) => ({ code: d.code, name: d.name, lastBatchAt: d.lastBatchAt?.toISOString() ?? null })),
      findings,
    };
  });
}

/** The rules the report applied, stated for its audience. */
function rulesFor(type: ReportType): ReportContent['rules'] {
  const own = type === 'self' || type === 'special';
  const rules: ReportContent['rules'] = [
    { rule: 'masking', text: say(own ? 'reports.rule.masking_own' : 'reports.rule.masking') },
    {
      rule: 'display_periods',
      text: say(
        own
          ? 'reports.rule.display_own'
          : type === 'matter'
            ? 'reports.rule.display_shared'
            : 'reports.rule.display',
      ),
    },
    { rule: 'repair', text: say(own ? 'reports.rule.repair_own' : 'reports.rule.repair') },
  ];
  if (type === 'special') {
    rules.push(
      { rule: 'special.window', text: say('reports.rule.special_window') },
      { rule: 'special.not_held', text: say('reports.rule.special_not_held') },
      { rule: 'special.revoked', text: say('reports.rule.special_revoked') },
    );
  }
  return rules;
}

export function reportContent(input: ContentInput): ReportContent {
  const { file, audience } = input;
  const dept =
    audience.kind === 'department'
      ? input.departments.find((d) => d.code === audience.department)
      : undefined;
  const shownDepartments = new Set(
    file.categories.flatMap((c) => c.records.map((r) => r.provenance.department.code)),
  );
  const special = input.special === undefined ? undefined : specialDomains(input, input.special);
  for (const d of special ?? []) {
    for (const x of d.departments) {
      shownDepartments.add(x.code);
    }
  }
  const pick = (wanted: (c: Category) => boolean) =>
    input.type === 'special' ? [] : file.categories.filter((c) => wanted(c.category));
  return {
    format: REPORT_FORMAT,
    number: input.number,
    type: input.type,
    issuedAt: input.issuedAt.toISOString(),
    asOf: file.asOf,
    issuer: input.issuer,
    verification: {
      code: input.code,
      url: verificationUrl(input.issuer.publicUrl, input.number, input.code),
    },
    audience: {
      kind: audience.kind,
      ...(audience.kind === 'department'
        ? {
            department: { code: audience.department, name: dept?.name ?? audience.department },
            purpose: audience.purpose,
            ...(audience.matter === undefined ? {} : { matter: audience.matter }),
          }
        : {}),
    },
    subject: { ...file.subject, codes: file.codes },
    records: pick((c) => !LIST_CATEGORIES.includes(c) && c !== 'commitment'),
    lists: pick((c) => LIST_CATEGORIES.includes(c)).flatMap((c) => c.records),
    commitments: pick((c) => c === 'commitment').flatMap((c) => c.records),
    ...(special === undefined || input.special === undefined
      ? {}
      : { special: { window: { from: input.special.from, to: input.special.to }, domains: special } }),
    catalog: input.catalog,
    freshness: input.departments
      .filter((d) => shownDepartments.has(d.code))
      .map((d) => ({
        department: { code: d.code, name: d.name },
        lastBatchAt: d.lastBatchAt?.toISOString() ?? null,
      })),
    rules: rulesFor(input.type),
  };
}
