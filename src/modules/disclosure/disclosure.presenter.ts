/**
 * The credit file as it leaves the platform: only what the decisions allow, personal values
 * masked or withheld as decided, records the audience may not see left out altogether.
 */
import { render, type DataProtector, type Locale } from '../../platform/index.ts';
import type { CatalogItem, Category } from '../catalog/index.ts';
import { applyMask, lookupDivision } from '../identifiers/index.ts';
import { isSealed } from '../records/index.ts';
import type { SubjectRow } from '../subjects/index.ts';
import type { CodeRow, FileRecordRow, RoleRow } from './disclosure.repository.ts';
import type { Audience, Decision, Reason, StatedReason, Treatment } from './disclosure.types.ts';

export interface FileField {
  key: string;
  name: string;
  /** Null when withheld. */
  value: string | null;
  treatment: Treatment;
}

export interface FileRecord {
  id: number;
  item: { code: string; name: string };
  status: FileRecordRow['status'];
  marks: Decision['marks'];
  decisionDate: string | null;
  tier: string | null;
  display: { from: string | null; until: string | null; ended: boolean };
  repair: Omit<Decision['repair'], 'message'> & { message: string };
  provenance: {
    department: { code: string; name: string };
    batchId: number | null;
    rowNo: number | null;
    catalogVersion: number;
    document: { type: string | null; number: string | null };
    receivedAt: string;
    version: number;
    origin: string | null;
  };
  fields: FileField[];
  disclosure: {
    visibility: Decision['visibility'];
    reasons: StatedReason[];
    public?: { shown: boolean; reason: StatedReason };
  };
}

export interface CreditFile {
  asOf: string;
  audience: Audience['kind'];
  subject: {
    kind: string;
    name: string;
    status: string;
    division: { code: string; name: string | null } | null;
    formerNames: Array<{ name: string; replacedOn: string }>;
  };
  codes: Array<{ kind: string; value: string }>;
  roles: Array<{
    role: string;
    name: string;
    kind: string | null;
    since: string | null;
    until: string | null;
  }>;
  categories: Array<{ category: Category; records: FileRecord[] }>;
  consents?: Array<{ id: number; item: string | null; givenAt: string }>;
}

export function presentFile(input: {
  subject: SubjectRow;
  audience: Audience;
  today: string;
  codes: CodeRow[];
  names: Array<{ name: string; replaced_on: string }>;
  roles: RoleRow[];
  records: Array<{ row: FileRecordRow; item: CatalogItem; decision: Decision }>;
  consents: Array<{ id: number; item_code: string | null; given_at: Date }>;
  protector: DataProtector;
  /** The reader's language, for the reasons' messages. */
  locale: Locale;
}): { file: CreditFile; visible: boolean } {
  const { subject, audience, protector } = input;
  const inFull = audience.kind === 'subject' || audience.kind === 'auditor';
  const clear = (sealed: string | null, fallback: string) =>
    inFull && sealed !== null ? protector.decrypt(sealed) : fallback;

  const shown = input.records.filter((r) => r.decision.visibility !== 'hidden');
  const shownIds = new Set(shown.map((r) => r.row.id));
  const categories = new Map<Category, FileRecord[]>();
  for (const r of shown) {
    const list = categories.get(r.item.category) ?? [];
    list.push(presentRecord(r.row, r.item, r.decision, protector, input.locale));
    categories.set(r.item.category, list);
  }
  const file: CreditFile = {
    asOf: input.today,
    audience: audience.kind,
    subject: {
      kind: subject.kind,
      name: clear(subject.name_encrypted, subject.name),
      status: subject.status,
      division:
        subject.division === null
          ? null
          : { code: subject.division, name: lookupDivision(subject.division).name },
      formerNames: input.names.map((n) => ({ name: n.name, replacedOn: n.replaced_on })),
    },
    codes: input.codes.map((c) => ({ kind: c.kind, value: c.value ?? clear(c.value_encrypted, c.masked) })),
    roles: input.roles
      .filter((r) => shownIds.has(r.record_id))
      .map((r) => ({ role: r.role, name: r.other_name, kind: r.other_kind, since: r.since, until: r.until })),
    categories: [...categories].map(([category, records]) => ({ category, records })),
  };
  if (audience.kind === 'subject') {
    file.consents = input.consents.map((c) => ({
      id: c.id,
      item: c.item_code,
      givenAt: c.given_at.toISOString(),
    }));
  }
  // An organisation on the register is public knowledge; anyone else only through a record shown.
  const visible = shown.length > 0 || (subject.kind !== 'natural_person' && subject.status !== 'provisional');
  return { file, visible };
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function presentRecord(
  row: FileRecordRow,
  item: CatalogItem,
  decision: Decision,
  protector: DataProtector,
  locale: Locale,
): FileRecord {
  const stated = (r: Reason): StatedReason => ({ ...r, message: render(locale, r.message) });
  const payload = row.payload;
  const fields: FileField[] = [];
  for (const field of item.fields) {
    const value = payload[field.key];
    if (value === undefined || value === null) {
      continue;
    }
    const treatment = decision.fields[field.key]?.treatment ?? 'withheld';
    const text =
      treatment === 'withheld'
        ? null
        : treatment === 'masked'
          ? isSealed(value)
            ? value.masked
            : applyMask(textOf(value), field.masking ?? { kind: 'full' })
          : isSealed(value)
            ? protector.decrypt(value.$sealed)
            : textOf(value);
    fields.push({ key: field.key, name: field.nameZh, value: text, treatment });
  }
  const valueOf = (role: string): string | null => {
    const f = item.fields.find((x) => x.role === role);
    const v = f === undefined ? undefined : payload[f.key];
    return typeof v === 'string' ? v : null;
  };
  return {
    id: row.id,
    item: { code: item.code, name: item.nameZh },
    status: row.status,
    marks: decision.marks,
    decisionDate: row.decision_date,
    tier: row.tier,
    display: { from: row.display_from, until: row.longest_until, ended: decision.displayEnded },
    repair: { ...decision.repair, message: render(locale, decision.repair.message) },
    provenance: {
      department: { code: row.department_code, name: row.department_name },
      batchId: row.batch_id,
      rowNo: row.row_no,
      catalogVersion: row.catalog_version,
      document: { type: item.document?.type ?? valueOf('document_type'), number: valueOf('document_number') },
      receivedAt: row.received_at.toISOString(),
      version: row.version,
      origin: row.origin,
    },
    fields,
    disclosure: {
      visibility: decision.visibility,
      reasons: decision.reasons.map(stated),
      ...(decision.publicView === undefined
        ? {}
        : { public: { shown: decision.publicView.shown, reason: stated(decision.publicView.reason) } }),
    },
  };
}
