/**
 * One row against its catalog item: every field's type and rule, identifiers through the
 * identifiers module, dates in the usual forms, the decision date not in the future, validity not
 * before the decision, the subject kinds, the severity tier and the display window. Pure: the
 * same row always gives the same outcome, and every refusal names the field, the value and the rule.
 */
import { canonicalJson, msg, storableText, textProblem, type Message } from '../../platform/index.ts';
import {
  decideTier,
  displayPeriod,
  displayWindow,
  type CatalogItem,
  type Field,
  type SubjectKind,
} from '../catalog/index.ts';
import {
  crossCheck,
  validate as validateCode,
  validateOrgCode,
  type IdentifierKind,
} from '../identifiers/index.ts';
import type { Cell } from './ingest.parsers.ts';
import { joined, type Reason } from './ingest.reasons.ts';
import { cellText, parseDate, parseDecimal, parseInteger, type Parsed } from './ingest.values.ts';

export type { Reason };

export interface RowOutcome {
  status: 'accepted' | 'rejected' | 'review';
  /** Raw text by field key: catalog-named fields only. */
  payload: Record<string, string>;
  /** Normalised values by field key (accepted and review rows). */
  normalized: Record<string, string>;
  reasons: Reason[];
  warnings: Reason[];
  subject?: {
    kind: SubjectKind;
    name: string;
    /** The code that identifies the subject best. */
    code?: SubjectCode;
    /** Every code of the subject the row gives, `code` first, with the organisation code inside a unified code. */
    codes: SubjectCode[];
  };
  /** The person a role row names (registration items with a person and a role). */
  person?: { code?: SubjectCode; name: string; role: string; since?: string; until?: string };
  /** 当前状态 = 撤销: the row withdraws the record. */
  revokes?: boolean;
  /** 登记状态 of a registration row. */
  registrationStatus?: string;
  identityKey?: string;
  payloadDigest?: string;
  decisionDate?: string;
  tier?: { tier: string; source: string };
  display?: { public: boolean; shortestUntil: string | null; longestUntil: string | null };
}

export interface SubjectCode {
  kind: IdentifierKind;
  value: string;
}

export interface RowContext {
  fromSpreadsheet: boolean;
  /** Keyed hash of a personal value, for identity keys that must not reveal it. */
  hash: (value: string) => string;
  /** Today in Asia/Shanghai. */
  today: string;
  /** A problem with the row as a whole (too many columns, not JSON). */
  problem?: Message;
  /** The sending department: a row's source code (数据来源单位统一社会信用代码) must be its own. */
  source?: { code: string; uscc: string | null };
}

const CATEGORY_KINDS: Record<string, SubjectKind> = {
  法人及非法人组织: 'legal_person',
  自然人: 'natural_person',
  个体工商户: 'individual_business',
};

/** Subject codes in the order that identifies a subject best. */
const CODE_PREFERENCE: readonly IdentifierKind[] = [
  'uscc',
  'reg_no15',
  'org_code',
  'taxpayer_id15',
  'institution_cert12',
];

function kindOfCode(code: { kind: IdentifierKind; value: string }): SubjectKind {
  if (code.kind === 'citizen_id' || code.kind === 'citizen_id15') {
    return 'natural_person';
  }
  if (code.kind !== 'uscc') {
    return 'legal_person';
  }
  const [authority, category] = [code.value[0], code.value[1]];
  if (authority === '9') {
    return category === '2' ? 'individual_business' : 'legal_person';
  }
  return authority === '1' && category === '1' ? 'government_body' : 'other_org';
}

function parseCell(field: Field, cell: Cell, ctx: RowContext): Parsed & { warning?: Message } {
  // Codes (the authority's, the source's) and dates repeat from row to row: each is parsed once.
  if (typeof cell !== 'string' || (field.type !== 'code' && field.type !== 'date')) {
    return parseField(field, cell, ctx);
  }
  const key = `${field.type}\u0000${field.identifierKind ?? ''}\u0000${ctx.fromSpreadsheet ? 'x' : ''}\u0000${cell}`;
  let parsed = checkedCodes.get(key);
  if (parsed === undefined) {
    if (checkedCodes.size >= 20_000) {
      checkedCodes.clear();
    }
    parsed = parseField(field, cell, ctx);
    checkedCodes.set(key, parsed);
  }
  return parsed;
}

function parseField(field: Field, cell: Cell, ctx: RowContext): Parsed & { warning?: Message } {
  switch (field.type) {
    case 'date':
      return parseDate(cell, ctx.fromSpreadsheet);
    case 'decimal':
      return parseDecimal(cell);
    case 'integer':
      return parseInteger(cell);
    case 'boolean': {
      const t = cellText(cell);
      return ['是', 'true', '1', 'Y'].includes(t)
        ? { ok: true, value: 'true' }
        : ['否', 'false', '0', 'N'].includes(t)
          ? { ok: true, value: 'false' }
          : { ok: false, rule: 'boolean.format', message: msg('ingest.reason.boolean') };
    }
    case 'enum': {
      const t = cellText(cell).normalize('NFKC');
      const values = field.values ?? [];
      const found = values.find((v) => v.normalize('NFKC') === t);
      return found === undefined
        ? { ok: false, rule: 'enum.value', message: msg('ingest.reason.enum', { values: values.join('、') }) }
        : { ok: true, value: found };
    }
    case 'code': {
      const raw = typeof cell === 'number' ? cell.toString() : cellText(cell);
      if (field.identifierKind === undefined) {
        return { ok: true, value: raw.normalize('NFKC').trim() };
      }
      if (typeof cell === 'number' && !Number.isSafeInteger(cell)) {
        return {
          ok: false,
          rule: 'identifier.number',
          message: msg('ingest.reason.identifier_number'),
        };
      }
      const v = validateCode(raw);
      const failed = v.checks.find((c) => c.result === 'fail');
      if (!v.valid) {
        return {
          ok: false,
          rule: `identifier.${failed?.name ?? 'invalid'}`,
          message: failed?.message ?? msg('ingest.reason.not_a_code'),
        };
      }
      const expected = field.identifierKind;
      const upgraded =
        expected === 'citizen_id' && v.kind === 'citizen_id15' ? (v.parts.upgraded ?? undefined) : undefined;
      const ofKind = v.kind === expected || v.alternatives.some((a) => a.kind === expected);
      if (!ofKind && upgraded === undefined) {
        return {
          ok: false,
          rule: 'identifier.kind',
          message: msg('ingest.reason.identifier_kind', { kind: v.kind, expected }),
        };
      }
      const value = upgraded ?? v.normalized;
      const warning = joined([
        ...v.changes.map((c) => c.message),
        ...(upgraded === undefined ? [] : [msg('ingest.reason.upgraded')]),
      ]);
      return warning === undefined ? { ok: true, value } : { ok: true, value, warning };
    }
    case 'text': {
      const t = cellText(cell);
      return field.maxLength !== undefined && t.length > field.maxLength
        ? {
            ok: false,
            rule: 'text.length',
            message: msg('ingest.reason.text_length', { max: field.maxLength }),
          }
        : { ok: true, value: t };
    }
  }
}

/** What validation needs of an item, worked out once per item rather than once per row. */
interface Plan {
  byRole: Map<string, Field>;
  /** The key of the 证件类型 column that goes with an ID-number field. */
  typeKey: Map<string, string>;
  windows: Map<string, RowOutcome['display']>;
}
const plans = new WeakMap<CatalogItem, Plan>();

function planOf(item: CatalogItem): Plan {
  let plan = plans.get(item);
  if (plan === undefined) {
    plan = {
      byRole: new Map(item.fields.filter((f) => f.role !== undefined).map((f) => [f.role as string, f])),
      typeKey: new Map(item.fields.map((f) => [f.key, f.key.replace(/_no$/, '_type')])),
      windows: new Map(),
    };
    plans.set(item, plan);
  }
  return plan;
}

/** Values that repeat across rows, parsed once: codes and dates. */
const checkedCodes = new Map<string, Parsed & { warning?: Message }>();

/** Validates one mapped row (field key → cell) against `item`. */
export function validateRow(
  item: CatalogItem,
  cells: ReadonlyMap<string, Cell>,
  ctx: RowContext,
): RowOutcome {
  const payload: Record<string, string> = {};
  const normalized: Record<string, string> = {};
  const reasons: Reason[] = [];
  const warnings: Reason[] = [];
  const plan = planOf(item);
  const fieldsByRole = plan.byRole;
  function refuse(field: Field | undefined, value: string, rule: string, message: Message): void {
    reasons.push({ field: field?.key ?? '', column: field?.nameZh ?? '', value, rule, message });
  }

  if (ctx.problem !== undefined) {
    refuse(undefined, '', 'ingest.row', ctx.problem);
  }
  for (const field of item.fields) {
    const rawCell = cells.get(field.key) ?? null;
    const rawText = cellText(rawCell);
    // A NUL or a lone surrogate cannot be stored as text; the row is refused (and kept) with the
    // character shown as �.
    const problem = textProblem(rawText);
    const text = problem === undefined ? rawText : storableText(rawText);
    const cell = problem === undefined ? rawCell : text;
    if (text !== '') {
      payload[field.key] = text;
    }
    if (problem !== undefined) {
      refuse(field, text, problem.rule, msg('ingest.reason.unstorable', { problem: problem.message }));
      continue;
    }
    // An ID number goes with its type: only an identity card number is checked as a citizen ID.
    const idType =
      field.identifierKind === 'citizen_id'
        ? cellText(cells.get(plan.typeKey.get(field.key) ?? '') ?? null)
        : '';
    if (idType !== '' && idType !== '身份证') {
      if (text !== '') {
        normalized[field.key] = text.normalize('NFKC').replace(/\s+/g, '');
      }
      continue;
    }
    if (cell !== null && typeof cell === 'object' && !(cell instanceof Date)) {
      refuse(field, text, 'xlsx.formula_without_value', msg('ingest.reason.formula'));
      continue;
    }
    if (text === '') {
      if (field.required) {
        refuse(field, '', 'required', msg('ingest.reason.required', { column: field.nameZh }));
      }
      continue;
    }
    const parsed = parseCell(field, cell, ctx);
    if (!parsed.ok) {
      refuse(field, text, parsed.rule, parsed.message);
      continue;
    }
    normalized[field.key] = parsed.value;
    if (parsed.warning !== undefined) {
      warnings.push({
        field: field.key,
        column: field.nameZh,
        value: text,
        rule: 'identifier.normalized',
        message: parsed.warning,
      });
    }
  }

  // Dates: the decision is not in the future, validity does not end before it begins.
  const decisionField = fieldsByRole.get('decision_date');
  const decisionDate = decisionField === undefined ? undefined : normalized[decisionField.key];
  if (decisionField !== undefined && decisionDate !== undefined && decisionDate > ctx.today) {
    refuse(
      decisionField,
      decisionDate,
      'date.future',
      msg('ingest.reason.future', { date: decisionDate, today: ctx.today }),
    );
  }
  const sourceField = fieldsByRole.get('source_code');
  const sourceCode = sourceField === undefined ? undefined : normalized[sourceField.key];
  if (sourceField !== undefined && sourceCode !== undefined && ctx.source !== undefined) {
    if (sourceCode !== ctx.source.uscc) {
      refuse(
        sourceField,
        sourceCode,
        'collect.source',
        msg('ingest.reason.source', {
          column: sourceField.nameZh,
          code: sourceCode,
          department: ctx.source.code,
          uscc: ctx.source.uscc ?? msg('ingest.reason.no_uscc'),
        }),
      );
    }
  }

  // A date that ends or follows something may not precede it (the catalog names the pairs).
  const byKey = new Map(item.fields.map((f) => [f.key, f]));
  for (const field of item.fields) {
    const value = normalized[field.key];
    const before = (field.notBefore ?? [])
      .map((key) => ({ other: byKey.get(key), start: normalized[key] }))
      .find(({ start }) => value !== undefined && start !== undefined && value < start);
    if (value !== undefined && before !== undefined) {
      refuse(
        field,
        value,
        'date.order',
        msg('ingest.reason.order', {
          column: field.nameZh,
          value,
          other: before.other?.nameZh ?? '',
          start: before.start ?? '',
        }),
      );
    }
  }

  // The subject: its kind, name and best code.
  const nameField = fieldsByRole.get('subject_name');
  const name = nameField === undefined ? '' : (normalized[nameField.key] ?? '');
  const codes: Array<{ kind: IdentifierKind; value: string }> = [];
  for (const f of item.fields) {
    const value = normalized[f.key];
    const typed = cellText(cells.get(plan.typeKey.get(f.key) ?? '') ?? null);
    if (f.identifierKind === 'citizen_id' && typed !== '' && typed !== '身份证') {
      continue; // a passport or permit number identifies nobody here: review decides
    }
    if (
      value !== undefined &&
      f.identifierKind !== undefined &&
      (f.role === 'subject_code' || f.role === 'subject_person_id')
    ) {
      codes.push({ kind: f.identifierKind === 'citizen_id' ? 'citizen_id' : f.identifierKind, value });
    }
  }
  const categoryField = fieldsByRole.get('subject_category');
  const stated =
    categoryField === undefined ? undefined : CATEGORY_KINDS[normalized[categoryField.key] ?? ''];
  const personCode = codes.find((c) => c.kind === 'citizen_id');
  const orgCodes = CODE_PREFERENCE.flatMap((k) => codes.filter((c) => c.kind === k));
  const orgCode = orgCodes[0];
  const code =
    stated === 'natural_person' ? personCode : (orgCode ?? (stated === undefined ? personCode : undefined));
  const subjectCodes = code === undefined ? [] : code === orgCode ? withEmbeddedOrgCode(orgCodes) : [code];
  pairCodes(subjectCodes, item, refuse, warnings);
  const kind: SubjectKind = stated ?? (code === undefined ? 'legal_person' : kindOfCode(code));
  if (!item.subjectKinds.includes(kind)) {
    refuse(
      categoryField ?? nameField,
      normalized[categoryField?.key ?? ''] ?? '',
      'catalog.subject_kind',
      msg('ingest.reason.subject_kind', { item: item.nameZh, kind }),
    );
  }

  // Dishonesty information: its tier decides the display window.
  let tier: RowOutcome['tier'];
  if (item.severity !== undefined && reasons.length === 0) {
    const decided = decideTier(item, normalized, kind);
    if (decided === undefined) {
      const f =
        'field' in item.severity
          ? item.fields.find((x) => x.key === (item.severity as { field: string }).field)
          : undefined;
      refuse(
        f,
        f === undefined ? '' : (payload[f.key] ?? ''),
        'catalog.severity',
        msg('ingest.reason.severity'),
      );
    } else {
      tier = { tier: decided.tier, source: decided.source };
    }
  }

  if (reasons.length > 0) {
    return { status: 'rejected', payload, normalized, reasons, warnings };
  }
  const period = displayPeriod(item, tier?.tier as never);
  let display: RowOutcome['display'];
  if (period !== undefined && decisionDate !== undefined) {
    const key = `${tier?.tier ?? ''}|${decisionDate}`;
    display = plan.windows.get(key);
    if (display === undefined) {
      display = displayWindow(period, decisionDate);
      plan.windows.set(key, display);
    }
  }
  const docField = fieldsByRole.get('document_number');
  const personField = fieldsByRole.get('person_id');
  const roleField = fieldsByRole.get('person_role');
  // Record identity: the decision document; else the department's own record id; a subject has
  // one registration; a role is the person's in it; else the decision date (and the list).
  const sourceId = normalized[fieldsByRole.get('source_record_id')?.key ?? '']?.normalize('NFKC').trim();
  const document = docField === undefined ? undefined : normalized[docField.key];
  const identityKey =
    document !== undefined && document !== ''
      ? document.normalize('NFKC').replace(/\s+/g, '')
      : sourceId !== undefined && sourceId !== ''
        ? `source:${sourceId}`
        : personField !== undefined
          ? `${normalized[roleField?.key ?? ''] ?? ''}:${ctx.hash(normalized[personField.key] ?? '').slice(0, 32)}`
          : isRegistration(item)
            ? 'registration'
            : [decisionDate ?? '', normalized[fieldsByRole.get('list_type')?.key ?? ''] ?? ''].join('|');
  const outcome: RowOutcome = {
    status: code === undefined ? 'review' : 'accepted',
    payload,
    normalized,
    reasons,
    warnings,
    subject: code === undefined ? { kind, name, codes: [] } : { kind, name, code, codes: subjectCodes },
    identityKey,
    // Keyed: the digest of a record with a person's ID in it must not be a brute-force oracle.
    payloadDigest: ctx.hash(canonicalJson(normalized)),
  };
  if (decisionDate !== undefined) {
    outcome.decisionDate = decisionDate;
  }
  const statusField = fieldsByRole.get('record_status');
  if (statusField !== undefined && normalized[statusField.key] === '撤销') {
    outcome.revokes = true;
  }
  const registrationField = fieldsByRole.get('registration_status');
  if (registrationField !== undefined && normalized[registrationField.key] !== undefined) {
    outcome.registrationStatus = normalized[registrationField.key];
  }
  const person = personOf(item, normalized, cells);
  if (person !== undefined) {
    outcome.person = person;
  }
  if (tier !== undefined) {
    outcome.tier = tier;
  }
  if (display !== undefined) {
    outcome.display = display;
  }
  if (code === undefined) {
    outcome.reasons = [
      {
        field: nameField?.key ?? '',
        column: nameField?.nameZh ?? '',
        value: name,
        rule: 'subject.no_code',
        message: msg('ingest.reason.no_code'),
      },
    ];
  }
  return outcome;
}

/** A unified code carries the organisation code (GB 11714) of its subject: it identifies it too. */
export function withEmbeddedOrgCode(codes: SubjectCode[]): SubjectCode[] {
  const uscc = codes.find((c) => c.kind === 'uscc');
  if (uscc === undefined || codes.some((c) => c.kind === 'org_code')) {
    return codes;
  }
  const embedded = uscc.value.slice(8, 17);
  const sound = validateOrgCode(embedded).checks.every((c) => c.result === 'ok');
  return sound ? [...codes, { kind: 'org_code', value: embedded }] : codes;
}

/**
 * Codes given together must belong together: an organisation code or taxpayer ID that is not the
 * one inside the unified code refuses the row; a registration number from another division is
 * only a warning (a subject keeps its first registration's number when it moves).
 */
function pairCodes(
  codes: SubjectCode[],
  item: CatalogItem,
  refuse: (field: Field | undefined, value: string, rule: string, message: Message) => void,
  warnings: Reason[],
): void {
  const uscc = codes.find((c) => c.kind === 'uscc');
  if (uscc === undefined) {
    return;
  }
  for (const other of codes) {
    if (other.kind !== 'reg_no15' && other.kind !== 'org_code' && other.kind !== 'taxpayer_id15') {
      continue;
    }
    const check = crossCheck(uscc.value, other.kind, other.value);
    const field = item.fields.find((f) => f.role === 'subject_code' && f.identifierKind === other.kind);
    if (check.result === 'fail') {
      refuse(field, other.value, 'identifier.pairing', check.message);
    } else if (check.result === 'warn') {
      warnings.push({
        field: field?.key ?? '',
        column: field?.nameZh ?? '',
        value: other.value,
        rule: 'identifier.pairing',
        message: check.message,
      });
    }
  }
}

/** The person of a role row: identified by an identity card number, or named only (review decides). */
function personOf(
  item: CatalogItem,
  normalized: Record<string, string>,
  cells: ReadonlyMap<string, Cell>,
): RowOutcome['person'] {
  const byRole = (role: string) => item.fields.find((f) => f.role === role);
  const idField = byRole('person_id');
  const roleField = byRole('person_role');
  if (idField === undefined || roleField === undefined) {
    return undefined;
  }
  const value = normalized[idField.key];
  const idType = cellText(cells.get(idField.key.replace(/_no$/, '_type')) ?? null);
  const person: NonNullable<RowOutcome['person']> = {
    name: normalized[byRole('person_name')?.key ?? ''] ?? '',
    role: normalized[roleField.key] ?? '',
  };
  if (value !== undefined && (idType === '' || idType === '身份证')) {
    person.code = { kind: 'citizen_id', value };
  }
  const since = normalized[byRole('decision_date')?.key ?? ''];
  const until = normalized[byRole('valid_until')?.key ?? ''];
  if (since !== undefined) {
    person.since = since;
  }
  if (until !== undefined) {
    person.until = until;
  }
  return person;
}

/**
 * Registration data proper: the item that carries a subject's 登记状态. It names and registers
 * subjects; other registration items (主要人员) only refer to them.
 */
export function isRegistration(item: CatalogItem): boolean {
  return item.fields.some((f) => f.role === 'registration_status');
}

/** Items whose rows name a person in a role in the subject (主要人员). */
export function hasRoles(item: CatalogItem): boolean {
  return item.fields.some((f) => f.role === 'person_role') && item.fields.some((f) => f.role === 'person_id');
}
