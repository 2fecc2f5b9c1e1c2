/**
 * The law a catalog must obey before it is loaded (国办发〔2020〕49号 and the national credit repair
 * measures). Pure: given a parsed catalog file and the legal bases known, returns the expanded
 * items and every rule the catalog breaks, each with the rule's name, the place and the value.
 */
import { msg, render, type Message } from '../../platform/i18n/index.ts';
import type { CatalogFile, CatalogItem, Field, LegalBasis, LegalRank, Tier } from './catalog.schema.ts';

export interface Violation {
  rule: string;
  /** Rendered in the reader's language (the request's, the command's). */
  message: Message;
  field: string;
  value?: unknown;
}

/** D49 (一): recording rests on a law, a regulation or a central policy document. */
const RECORD_RANKS: readonly LegalRank[] = [
  'law',
  'administrative_regulation',
  'state_council_decision',
  'central_policy',
];
/** D49 (一): a local supplementary catalog may also rest on a local regulation. */
const LOCAL_RECORD_RANKS: readonly LegalRank[] = [...RECORD_RANKS, 'local_regulation'];
/** D49 (四): personal information is disclosed only on a law, a regulation or a State Council decision or order. */
export const PERSONAL_DISCLOSURE_RANKS: readonly LegalRank[] = [
  'law',
  'administrative_regulation',
  'local_regulation',
  'state_council_decision',
];
/** D49 (十一): information is unrepairable only where a law, a regulation or a central policy document says so. */
const UNREPAIRABLE_RANKS: readonly LegalRank[] = [
  'law',
  'administrative_regulation',
  'local_regulation',
  'state_council_decision',
  'central_policy',
];
/**
 * Items whose records only a designation case may make (国办发〔2020〕49号 (八)): a serious-dishonesty
 * listing needs prior notice, an objection window and a decision document; a red list, its
 * announcement. Neither ingest nor a department's revocation writes them.
 */
export const DESIGNATED_ITEMS: readonly string[] = ['serious_dishonesty_list', 'red_list'];

/** 信用修复管理办法: the longest display period of each tier, in months. */
export const NATIONAL_LONGEST_MONTHS: Record<Tier, number> = { minor: 3, general: 12, serious: 36 };

export interface CheckedCatalog {
  items: CatalogItem[];
  violations: Violation[];
}

function expandFields(file: CatalogFile, index: number, violations: Violation[]): Field[] {
  const item = file.items[index];
  const fields: Field[] = [];
  item?.fields.forEach((entry, f) => {
    if (typeof entry !== 'string') {
      fields.push(entry);
      return;
    }
    const set = file.fieldSets[entry.slice(1)];
    if (set === undefined) {
      violations.push({
        rule: 'catalog.field_set_unknown',
        message: msg('catalog.rule.field_set_unknown', { set: entry }),
        field: `items.${index}.fields.${f}`,
        value: entry,
      });
      return;
    }
    fields.push(...set);
  });
  return fields;
}

function checkFields(item: CatalogItem, at: string, violations: Violation[]): void {
  const keys = new Set<string>();
  const names = new Set<string>();
  item.fields.forEach((field, f) => {
    const path = `${at}.fields.${f}`;
    if (keys.has(field.key)) {
      violations.push({
        rule: 'catalog.field_key_duplicate',
        message: msg('catalog.rule.field_key_duplicate', { key: field.key }),
        field: `${path}.key`,
        value: field.key,
      });
    }
    keys.add(field.key);
    for (const name of [field.nameZh, field.nameEn, ...field.aliases]) {
      if (names.has(name)) {
        violations.push({
          rule: 'catalog.field_name_duplicate',
          message: msg('catalog.rule.field_name_duplicate', { name }),
          field: `${path}.nameZh`,
          value: name,
        });
      }
      names.add(name);
    }
    if ((field.type === 'enum') !== (field.values !== undefined)) {
      violations.push({
        rule: 'catalog.enum_values',
        message: msg(
          field.type === 'enum' ? 'catalog.rule.enum_needs_values' : 'catalog.rule.only_enum_values',
          {
            key: field.key,
          },
        ),
        field: `${path}.values`,
      });
    }
    if (field.identifierKind !== undefined && field.type !== 'code') {
      violations.push({
        rule: 'catalog.identifier_kind',
        message: msg('catalog.rule.identifier_kind', { key: field.key }),
        field: `${path}.type`,
        value: field.type,
      });
    }
    if (field.personal !== false && field.masking === undefined) {
      violations.push({
        rule: 'D49.4.masking',
        message: msg('catalog.rule.masking', { key: field.key }),
        field: `${path}.masking`,
      });
    }
  });
  const dates = new Set(item.fields.filter((f) => f.type === 'date').map((f) => f.key));
  item.fields.forEach((field, f) => {
    if (
      (field.role === 'valid_until' || field.role === 'disclosure_until') &&
      field.notBefore === undefined
    ) {
      violations.push({
        rule: 'catalog.date_order',
        message: msg('catalog.rule.date_ends', { key: field.key }),
        field: `${at}.fields.${f}.notBefore`,
      });
    }
    (field.notBefore ?? []).forEach((other, o) => {
      if (field.type !== 'date' || !dates.has(other) || other === field.key) {
        violations.push({
          rule: 'catalog.date_order',
          message: msg('catalog.rule.date_order', { key: field.key, other }),
          field: `${at}.fields.${f}.notBefore.${o}`,
          value: other,
        });
      }
    });
  });
  const roles = new Set(item.fields.map((f) => f.role));
  if (!roles.has('subject_name') || !(roles.has('subject_code') || roles.has('subject_person_id'))) {
    violations.push({
      rule: 'catalog.subject_fields',
      message: msg('catalog.rule.subject_fields', { item: item.code }),
      field: `${at}.fields`,
    });
  }
}

function basisViolations(
  item: CatalogItem,
  at: string,
  local: boolean,
  bases: ReadonlyMap<string, LegalBasis>,
  violations: Violation[],
): void {
  const cited = item.legalBases.map((b, i) => ({ ...b, index: i, known: bases.get(b.basis) }));
  for (const c of cited) {
    if (c.known === undefined) {
      violations.push({
        rule: 'catalog.basis_unknown',
        message: msg('catalog.rule.basis_unknown_add', { basis: c.basis }),
        field: `${at}.legalBases.${c.index}.basis`,
        value: c.basis,
      });
    }
  }
  const usedFor = (use: string) =>
    cited.filter((c) => c.known !== undefined && c.uses.includes(use as never));
  const recordRanks = local ? LOCAL_RECORD_RANKS : RECORD_RANKS;
  if (!usedFor('record').some((c) => c.known !== undefined && recordRanks.includes(c.known.rank))) {
    violations.push({
      rule: 'D49.1.record_basis',
      message: msg('catalog.rule.record_basis', { item: item.code, ranks: recordRanks.join(', ') }),
      field: `${at}.legalBases`,
      value:
        usedFor('record')
          .map((c) => `${c.basis} (${c.known?.rank ?? '?'})`)
          .join(', ') || null,
    });
  }
  for (const c of usedFor('disclose_personal')) {
    if (c.known !== undefined && !PERSONAL_DISCLOSURE_RANKS.includes(c.known.rank)) {
      violations.push({
        rule: 'D49.4.personal_disclosure_basis',
        message: msg('catalog.rule.personal_disclosure_rank', { basis: c.basis, rank: c.known.rank }),
        field: `${at}.legalBases.${c.index}`,
        value: c.basis,
      });
    }
  }
  if (item.personalDisclosureBasis !== undefined) {
    const basis = cited.find((c) => c.basis === item.personalDisclosureBasis);
    if (basis === undefined || !basis.uses.includes('disclose_personal')) {
      violations.push({
        rule: 'D49.4.personal_disclosure_basis',
        message: msg('catalog.rule.personal_disclosure_basis', { basis: item.personalDisclosureBasis }),
        field: `${at}.personalDisclosureBasis`,
        value: item.personalDisclosureBasis,
      });
    }
  }
  if (item.disclosure === 'public' && usedFor('disclose').length === 0) {
    violations.push({
      rule: 'D49.4.disclose_basis',
      message: msg('catalog.rule.disclose_basis', { item: item.code }),
      field: `${at}.legalBases`,
    });
  }
  if (item.sharing !== 'none' && usedFor('share').length === 0) {
    violations.push({
      rule: 'D49.3.share_basis',
      message: msg('catalog.rule.share_basis', { item: item.code }),
      field: `${at}.legalBases`,
    });
  }
  if (
    item.repair?.repairable === false &&
    !usedFor('unrepairable').some((c) => c.known !== undefined && UNREPAIRABLE_RANKS.includes(c.known.rank))
  ) {
    violations.push({
      rule: 'D49.11.unrepairable_basis',
      message: msg('catalog.rule.unrepairable_basis', { item: item.code }),
      field: `${at}.repair.repairable`,
      value: false,
    });
  }
}

function tiersOf(item: CatalogItem): Tier[] {
  if (item.severity === undefined) {
    return [];
  }
  return 'fixed' in item.severity ? [item.severity.fixed] : ['minor', 'general', 'serious'];
}

function dishonestyViolations(item: CatalogItem, at: string, violations: Violation[]): void {
  const roles = new Map(item.fields.map((f) => [f.role, f]));
  if (!item.dishonesty) {
    if (item.severity !== undefined) {
      violations.push({
        rule: 'catalog.severity',
        message: msg('catalog.rule.severity_only_dishonesty', { item: item.code }),
        field: `${at}.severity`,
      });
    }
    return;
  }
  const docNumber = roles.get('document_number');
  if (
    (item.document === undefined && !roles.has('document_type')) ||
    docNumber === undefined ||
    !docNumber.required
  ) {
    violations.push({
      rule: 'D49.2.document',
      message: msg('catalog.rule.document', { item: item.code }),
      field: `${at}.document`,
    });
  }
  const decisionDate = roles.get('decision_date');
  if (decisionDate === undefined || !decisionDate.required || decisionDate.type !== 'date') {
    violations.push({
      rule: 'catalog.decision_date',
      message: msg('catalog.rule.decision_date', { item: item.code }),
      field: `${at}.fields`,
    });
  }
  if (item.severity === undefined) {
    violations.push({
      rule: 'catalog.severity',
      message: msg('catalog.rule.severity_needed', { item: item.code }),
      field: `${at}.severity`,
    });
  } else if (!('fixed' in item.severity)) {
    const field = item.fields.find((f) => f.key === (item.severity as { field: string }).field);
    if (field === undefined || field.type !== 'enum') {
      violations.push({
        rule: 'catalog.severity',
        message: msg('catalog.rule.severity_field', { field: item.severity.field }),
        field: `${at}.severity.field`,
        value: item.severity.field,
      });
    } else {
      for (const value of field.values ?? []) {
        if (!(value in item.severity.values)) {
          violations.push({
            rule: 'catalog.severity',
            message: msg('catalog.rule.severity_value', { value }),
            field: `${at}.severity.values`,
            value,
          });
        }
      }
    }
    if (item.severity.rule === undefined && item.severity.default === undefined) {
      violations.push({
        rule: 'catalog.severity',
        message: msg('catalog.rule.severity_default', { item: item.code }),
        field: `${at}.severity`,
      });
    }
  }
  if (item.repair === undefined || (item.repair.repairable && item.repair.outcome === null)) {
    violations.push({
      rule: 'D49.11.repair',
      message: msg('catalog.rule.repair', { item: item.code }),
      field: `${at}.repair`,
    });
  }
  // Display periods end by themselves, within the national maxima (lists end by removal instead).
  if (!item.isList) {
    const tiers = tiersOf(item);
    for (const tier of tiers) {
      const period = item.display.tiers?.[tier] ?? item.display.default;
      const path = item.display.tiers === undefined ? `${at}.display.default` : `${at}.display.tiers.${tier}`;
      if (period === undefined) {
        continue;
      }
      if (period.longestMonths === null || period.longestMonths > NATIONAL_LONGEST_MONTHS[tier]) {
        violations.push({
          rule: 'repair-measures.longest_display',
          message: msg('catalog.rule.longest_display', {
            tier: msg(`catalog.tier.${tier}`),
            item: item.code,
            months: NATIONAL_LONGEST_MONTHS[tier],
          }),
          field: `${path}.longestMonths`,
          value: period.longestMonths,
        });
      }
    }
    if (tiers.length === 3 && item.display.tiers === undefined) {
      violations.push({
        rule: 'catalog.display',
        message: msg('catalog.rule.display_tiers', { item: item.code }),
        field: `${at}.display`,
      });
    }
  }
}

function displayViolations(item: CatalogItem, at: string, violations: Violation[]): void {
  const periods = item.display.tiers === undefined ? { default: item.display.default } : item.display.tiers;
  for (const [name, period] of Object.entries(periods)) {
    if (
      period !== undefined &&
      period.shortestMonths !== null &&
      period.longestMonths !== null &&
      period.shortestMonths > period.longestMonths
    ) {
      violations.push({
        rule: 'catalog.display',
        message: msg('catalog.rule.display_order', {
          shortest: period.shortestMonths,
          longest: period.longestMonths,
        }),
        field: `${at}.display.${name === 'default' ? 'default' : `tiers.${name}`}`,
        value: period.shortestMonths,
      });
    }
  }
}

/** Checks a parsed catalog against the law; `bases` are those already registered plus the file's own. */
export function checkCatalog(file: CatalogFile, registered: ReadonlyMap<string, LegalBasis>): CheckedCatalog {
  const violations: Violation[] = [];
  const bases = new Map(registered);
  for (const basis of file.legalBases) {
    bases.set(basis.code, basis);
  }
  const local = file.catalog.kind === 'local_supplementary';
  file.catalog.legalBases.forEach((code, i) => {
    if (!bases.has(code)) {
      violations.push({
        rule: 'catalog.basis_unknown',
        message: msg('catalog.rule.basis_unknown', { basis: code }),
        field: `catalog.legalBases.${i}`,
        value: code,
      });
    }
  });
  const codes = new Set<string>();
  const items = file.items.map((input, index): CatalogItem => {
    const item: CatalogItem = { ...input, fields: expandFields(file, index, violations) };
    const at = `items.${index}`;
    if (codes.has(item.code)) {
      violations.push({
        rule: 'catalog.item_code_duplicate',
        message: msg('catalog.rule.item_code_duplicate', { item: item.code }),
        field: `${at}.code`,
        value: item.code,
      });
    }
    codes.add(item.code);
    checkFields(item, at, violations);
    if (item.collectors.domains.length === 0 && item.collectors.departments.length === 0) {
      violations.push({
        rule: 'D49.1.collector',
        message: msg('catalog.rule.collector', { item: item.code }),
        field: `${at}.collectors`,
      });
    }
    basisViolations(item, at, local, bases, violations);
    dishonestyViolations(item, at, violations);
    displayViolations(item, at, violations);
    if (item.category === 'watch_list' && (item.disclosure !== 'none' || item.dishonesty)) {
      violations.push({
        rule: 'D35.watch_list',
        message: msg('catalog.rule.watch_list'),
        field: `${at}.disclosure`,
        value: item.disclosure,
      });
    }
    return item;
  });
  return { items, violations };
}

/** Whether the item may disclose personal fields to the public on its own legal basis (else only with consent). */
export function personalFieldsDisclosable(
  item: CatalogItem,
  bases: ReadonlyMap<string, LegalBasis>,
): boolean {
  const basis =
    item.personalDisclosureBasis === undefined ? undefined : bases.get(item.personalDisclosureBasis);
  return (
    item.disclosure === 'public' && basis !== undefined && PERSONAL_DISCLOSURE_RANKS.includes(basis.rank)
  );
}

/** A department as the collector rule sees it. */
export interface CollectingDepartment {
  code: string;
  level: string;
  domains: readonly string[];
}

/** Whether `department` collects `item` (its collectors name it, or its domain at one of their levels). */
export function collects(item: Pick<CatalogItem, 'collectors'>, department: CollectingDepartment): boolean {
  const c = item.collectors;
  if (c.departments.includes(department.code)) {
    return true;
  }
  return (
    department.domains.some((d) => c.domains.includes(d)) &&
    (c.levels.length === 0 || c.levels.includes(department.level as (typeof c.levels)[number]))
  );
}

/** The collectors of an item in a sentence, for refusals (in the reader's language). */
export function collectorsMessage(item: Pick<CatalogItem, 'collectors'>): Message {
  const c = item.collectors;
  const domains =
    c.domains.length === 0
      ? undefined
      : c.levels.length > 0
        ? msg('catalog.collectors.domains_at_levels', {
            domains: c.domains.join(', '),
            levels: c.levels.join(', '),
          })
        : msg('catalog.collectors.domains', { domains: c.domains.join(', ') });
  const departments =
    c.departments.length === 0
      ? undefined
      : msg('catalog.collectors.departments', { departments: c.departments.join(', ') });
  if (domains !== undefined && departments !== undefined) {
    return msg('catalog.collectors.both', { domains, departments });
  }
  return domains ?? departments ?? msg('catalog.collectors.none');
}

/** The collectors of an item in a sentence, in English: the catalog's public pages describe items in English. */
export function describeCollectors(item: Pick<CatalogItem, 'collectors'>): string {
  return render('en', collectorsMessage(item));
}
