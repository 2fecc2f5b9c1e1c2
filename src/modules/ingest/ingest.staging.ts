/**
 * A validated row as batch_row keeps it: personal values sealed, the subject's codes protected, the
 * reasons by their messages' keys; and the row's timeliness and completeness.
 */
import type { WorkingDayCalendar } from '../../platform/calendar/index.ts';
import type { DataProtector } from '../../platform/index.ts';
import type { CatalogItem } from '../catalog/index.ts';
import { applyMask, maskName } from '../identifiers/index.ts';
import { protectCode, protectPerson } from './ingest.protect.ts';
import { storedReason } from './ingest.reasons.ts';
import type { StagedRow } from './ingest.repository.ts';
import type { RowOutcome } from './ingest.validate.ts';

/** 行政许可、行政处罚等信息自作出行政决定之日起7个工作日内上网公开 (国办发〔2015〕51号, seeds 002:L319). */
const TIMELY_WORKING_DAYS = 7;
const TIMED_CATEGORIES: ReadonlySet<string> = new Set(['administrative_licensing', 'administrative_penalty']);

/**
 * Timeliness and completeness of a row. Licensing and penalty decisions must reach the platform
 * (which discloses on receipt) within 7 working days of the decision; completeness is the share
 * of the item's optional fields the row fills.
 */
export function rowQuality(
  item: CatalogItem,
  today: string,
  calendar: WorkingDayCalendar,
): (o: RowOutcome) => Pick<StagedRow, 'working_days' | 'late' | 'completeness'> {
  const timed = TIMED_CATEGORIES.has(item.category);
  const optional = item.fields.filter((f) => !f.required).map((f) => f.key);
  const days = new Map<string, number>();
  return (o) => {
    const filled = optional.filter((k) => o.normalized[k] !== undefined).length;
    const completeness = optional.length === 0 ? 1 : filled / optional.length;
    if (!timed || o.decisionDate === undefined || o.status === 'rejected') {
      return { working_days: null, late: null, completeness };
    }
    let n = days.get(o.decisionDate);
    if (n === undefined) {
      n = calendar.workingDaysBetween(o.decisionDate, today).value;
      days.set(o.decisionDate, n);
    }
    return { working_days: n, late: n > TIMELY_WORKING_DAYS, completeness };
  };
}

/**
 * Personal values (a person's name or ID number) are stored sealed: encrypted, with the masked
 * form beside it, so neither a record nor a quarantined row holds them in clear.
 */
function sealed(
  protector: DataProtector,
  item: CatalogItem,
  subjectKind: string | undefined,
  values: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const f of item.fields) {
    const value = values[f.key];
    const personal =
      f.personal === true || (f.personal === 'natural_person' && subjectKind === 'natural_person');
    if (value !== undefined && personal) {
      out[f.key] = {
        $sealed: protector.encrypt(value),
        masked: applyMask(value, f.masking ?? { kind: 'full' }),
      };
    }
  }
  return out;
}

/**
 * A validated row as staged: the subject's codes protected. Rows of the batch that are the same
 * record are found at commit, once their subjects are known (in SQL: memory stays flat however
 * large the batch).
 */
export function stagedRow(
  protector: DataProtector,
  item: CatalogItem,
  batchId: number,
  rowNo: number,
  o: RowOutcome,
): StagedRow {
  const status: StagedRow['status'] = o.status;
  const personalFields = personalFieldsOf(item);
  const reasons = o.reasons;
  // The subject's codes protected once: the first is the one that identifies it best.
  const codes = (o.subject?.codes ?? []).map((c) => protectCode(protector, c));
  const primary = codes[0];
  const codeHash = primary?.hash ?? null;
  const naturalPerson = o.subject?.kind === 'natural_person';
  const name = o.subject?.name;
  return {
    batch_id: batchId,
    row_no: rowNo,
    status,
    // The row as sent is kept for the rows a department must correct; an accepted row keeps
    // only its normalised values (a row found wrong at commit is shown from those).
    payload:
      status === 'accepted' ? '{}' : JSON.stringify(sealed(protector, item, o.subject?.kind, o.payload)),
    normalized:
      status === 'rejected' ? null : JSON.stringify(sealed(protector, item, o.subject?.kind, o.normalized)),
    reasons: JSON.stringify(
      reasons.map((r) => storedReason(r, personalFields.has(r.field) ? PERSONAL_VALUE : r.value)),
    ),
    warnings: JSON.stringify(
      o.warnings.map((r) => storedReason(r, personalFields.has(r.field) ? PERSONAL_VALUE : r.value)),
    ),
    subject_kind: o.subject?.kind ?? null,
    subject_name: name === undefined ? null : naturalPerson ? maskName(name) : name,
    subject_name_encrypted: name !== undefined && naturalPerson ? protector.encrypt(name) : null,
    code_kind: primary?.kind ?? null,
    code_hash: codeHash,
    code_value: primary?.value ?? null,
    code_encrypted: primary?.encrypted ?? null,
    code_masked: primary?.masked ?? null,
    codes: JSON.stringify(status === 'rejected' ? [] : codes),
    identity_key: o.identityKey ?? null,
    payload_digest: o.payloadDigest ?? null,
    decision_date: o.decisionDate ?? null,
    tier: o.tier?.tier ?? null,
    tier_source: o.tier?.source ?? null,
    shortest_until: o.display?.shortestUntil ?? null,
    longest_until: o.display?.longestUntil ?? null,
    display_public: o.display?.public ?? null,
    revokes: o.revokes === true,
    registration_status: o.registrationStatus ?? null,
    person: o.person === undefined ? null : JSON.stringify(protectPerson(protector, o.person)),
  };
}

/** The value a stored reason shows for a personal field: the row itself keeps it, sealed. */
const PERSONAL_VALUE = '(personal: see the row)';

const personalFieldSets = new WeakMap<CatalogItem, ReadonlySet<string>>();

/** The keys of an item's fields that can hold personal information. */
function personalFieldsOf(item: CatalogItem): ReadonlySet<string> {
  let keys = personalFieldSets.get(item);
  if (keys === undefined) {
    keys = new Set(item.fields.filter((f) => f.personal !== false).map((f) => f.key));
    personalFieldSets.set(item, keys);
  }
  return keys;
}
