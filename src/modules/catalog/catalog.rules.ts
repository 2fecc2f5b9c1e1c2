/**
 * The law a catalog must obey before it is loaded (国办发〔2020〕49号 and the national credit repair
 * measures). Pure: given a parsed catalog file and the legal bases known, returns the expanded
 * items and every rule the catalog breaks, each with the rule's name, the place and the value.
 */
import type { CatalogFile, CatalogItem, Field, LegalBasis, LegalRank, Tier } from './catalog.schema.ts';

export interface Violation {
  rule: string;
  message: string;
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
        message: `field set ${entry} is not defined in fieldSets`,
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
        message: `field key ${field.key} appears twice`,
        field: `${path}.key`,
        value: field.key,
      });
    }
    keys.add(field.key);
    for (const name of [field.nameZh, field.nameEn, ...field.aliases]) {
      if (names.has(name)) {
        violations.push({
          rule: 'catalog.field_name_duplicate',
          message: `column name ${name} would map to two fields`,
          field: `${path}.nameZh`,
          value: name,
        });
      }
      names.add(name);
    }
    if ((field.type === 'enum') !== (field.values !== undefined)) {
      violations.push({
        rule: 'catalog.enum_values',
        message:
          field.type === 'enum'
            ? `enum field ${field.key} needs its values`
            : `only an enum field lists values (${field.key})`,
        field: `${path}.values`,
      });
    }
    if (field.identifierKind !== undefined && field.type !== 'code') {
      violations.push({
        rule: 'catalog.identifier_kind',
        message: `field ${field.key} has an identifier kind, so its type must be code`,
        field: `${path}.type`,
        value: field.type,
      });
    }
    if (field.personal !== false && field.masking === undefined) {
      violations.push({
        rule: 'D49.4.masking',
        message: `personal field ${field.key} needs a masking rule: personal information is always desensitised (国办发〔2020〕49号（四）)`,
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
        message: `field ${field.key} ends something: name the dates it may not precede (notBefore)`,
        field: `${at}.fields.${f}.notBefore`,
      });
    }
    (field.notBefore ?? []).forEach((other, o) => {
      if (field.type !== 'date' || !dates.has(other) || other === field.key) {
        violations.push({
          rule: 'catalog.date_order',
          message: `field ${field.key} may not precede ${other}: both must be date fields of the item, and different`,
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
      message: `item ${item.code} needs a subject_name field and a subject_code or subject_person_id field to find its subject`,
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
        message: `legal basis ${c.basis} is not known: add it to legalBases`,
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
      message:
        `item ${item.code} needs a basis for recording of rank ${recordRanks.join(', ')} ` +
        '(国办发〔2020〕49号（一）: 必须严格以法律、法规或者党中央、国务院政策文件为依据)',
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
        message:
          `${c.basis} is a ${c.known.rank}: disclosing personal information needs a law, a regulation or a ` +
          'State Council decision or order (国办发〔2020〕49号（四）)',
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
        message: `personalDisclosureBasis ${item.personalDisclosureBasis} must be one of the item's legal bases, cited for disclose_personal`,
        field: `${at}.personalDisclosureBasis`,
        value: item.personalDisclosureBasis,
      });
    }
  }
  if (item.disclosure === 'public' && usedFor('disclose').length === 0) {
    violations.push({
      rule: 'D49.4.disclose_basis',
      message: `item ${item.code} is disclosed to the public but cites no basis for disclosure (国办发〔2020〕49号（四）)`,
      field: `${at}.legalBases`,
    });
  }
  if (item.sharing !== 'none' && usedFor('share').length === 0) {
    violations.push({
      rule: 'D49.3.share_basis',
      message: `item ${item.code} is shared but cites no basis for sharing (国办发〔2020〕49号（三）)`,
      field: `${at}.legalBases`,
    });
  }
  if (
    item.repair?.repairable === false &&
    !usedFor('unrepairable').some((c) => c.known !== undefined && UNREPAIRABLE_RANKS.includes(c.known.rank))
  ) {
    violations.push({
      rule: 'D49.11.unrepairable_basis',
      message:
        `item ${item.code} is declared unrepairable without a law, regulation or central policy document saying so ` +
        '(国办发〔2020〕49号（十一）: 除…明确规定不可修复的失信信息外…均可申请信用修复)',
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
        message: `only dishonesty information has a severity tier (${item.code})`,
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
      message:
        `dishonesty item ${item.code} needs a legally effective document: its type and a required document_number field ` +
        '(国办发〔2020〕49号（二）: 认定失信行为必须以具有法律效力的文书为依据)',
      field: `${at}.document`,
    });
  }
  const decisionDate = roles.get('decision_date');
  if (decisionDate === undefined || !decisionDate.required || decisionDate.type !== 'date') {
    violations.push({
      rule: 'catalog.decision_date',
      message: `dishonesty item ${item.code} needs a required decision_date field: display periods run from it`,
      field: `${at}.fields`,
    });
  }
  if (item.severity === undefined) {
    violations.push({
      rule: 'catalog.severity',
      message: `dishonesty item ${item.code} needs a severity tier`,
      field: `${at}.severity`,
    });
  } else if (!('fixed' in item.severity)) {
    const field = item.fields.find((f) => f.key === (item.severity as { field: string }).field);
    if (field === undefined || field.type !== 'enum') {
      violations.push({
        rule: 'catalog.severity',
        message: `severity field ${item.severity.field} must be an enum field of the item`,
        field: `${at}.severity.field`,
        value: item.severity.field,
      });
    } else {
      for (const value of field.values ?? []) {
        if (!(value in item.severity.values)) {
          violations.push({
            rule: 'catalog.severity',
            message: `severity value ${value} maps to no tier`,
            field: `${at}.severity.values`,
            value,
          });
        }
      }
    }
    if (item.severity.rule === undefined && item.severity.default === undefined) {
      violations.push({
        rule: 'catalog.severity',
        message: `when the severity field is empty, a rule or a default must decide the tier (${item.code})`,
        field: `${at}.severity`,
      });
    }
  }
  if (item.repair === undefined || (item.repair.repairable && item.repair.outcome === null)) {
    violations.push({
      rule: 'D49.11.repair',
      message: `dishonesty item ${item.code} must say whether it is repairable and what repair does to it`,
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
          message:
            `the ${tier} tier of ${item.code} is displayed for at most ${NATIONAL_LONGEST_MONTHS[tier]} months ` +
            '(信用修复管理办法), and the period must end by itself',
          field: `${path}.longestMonths`,
          value: period.longestMonths,
        });
      }
    }
    if (tiers.length === 3 && item.display.tiers === undefined) {
      violations.push({
        rule: 'catalog.display',
        message: `${item.code} has three severity tiers, so it needs a display period for each`,
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
        message: `the shortest period (${period.shortestMonths} months) is longer than the longest (${period.longestMonths})`,
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
        message: `legal basis ${code} is not known`,
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
        message: `item code ${item.code} appears twice`,
        field: `${at}.code`,
        value: item.code,
      });
    }
    codes.add(item.code);
    checkFields(item, at, violations);
    if (item.collectors.domains.length === 0 && item.collectors.departments.length === 0) {
      violations.push({
        rule: 'D49.1.collector',
        message: `item ${item.code} names no collector: give the domains or the departments that collect it (国办发〔2020〕49号（一）)`,
        field: `${at}.collectors`,
      });
    }
    basisViolations(item, at, local, bases, violations);
    dishonestyViolations(item, at, violations);
    displayViolations(item, at, violations);
    if (item.category === 'watch_list' && (item.disclosure !== 'none' || item.dishonesty)) {
      violations.push({
        rule: 'D35.watch_list',
        message:
          'a watch list is a supervisory flag: never disclosed, never a basis for punishment (国办发〔2019〕35号)',
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

/** The collectors of an item in a sentence, for refusals and the catalog's pages. */
export function describeCollectors(item: Pick<CatalogItem, 'collectors'>): string {
  const c = item.collectors;
  const parts: string[] = [];
  if (c.domains.length > 0) {
    parts.push(
      `departments of ${c.domains.join(', ')}${c.levels.length > 0 ? ` at ${c.levels.join(', ')} level` : ''}`,
    );
  }
  if (c.departments.length > 0) {
    parts.push(`the departments ${c.departments.join(', ')}`);
  }
  return parts.join(' and ');
}
