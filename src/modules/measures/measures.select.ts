/**
 * Which measures a credit check returns, and why: a pure function of the subject's list entries,
 * the measures their memoranda attach, the matter and the clock. A measure follows only from a
 * list entry through its memorandum, only in a matter it covers; one resting on an entry under
 * objection is suspended (国发〔2016〕33号 (二十二)); a person is reached through a role the measure
 * names; the green channel rests on three clean years (国发〔2016〕33号 (四)).
 */
import { msg, t, type Locale } from '../../platform/i18n/index.ts';
import type { AttachedMeasure } from './measures.repository.ts';
import type { Measure } from './measures.types.ts';

export interface Entry {
  recordId: number;
  item: string;
  listType: { code: string; name: string; kind: string };
  decisionDate: string | null;
  documentNumber: string;
  /** The department that sent the record or decided the listing. */
  department: string;
  status: string;
  validUntil: string | null;
  /** For a person reached through an organisation: the role and the organisation listed. */
  via?: { role: string; organisation: { id: number; name: string } };
}

export interface Evidence {
  kind: 'list_entry' | 'clean_record';
  recordId?: number;
  listType?: string;
  documentNumber?: string;
  decisionDate?: string | null;
  via?: Entry['via'];
  /** Clean record: the day from which three years are counted, and the registration date. */
  since?: string;
}

export interface SelectedMeasure {
  measure: Measure;
  listType: string;
  memorandum: string | null;
  obligation: 'mandatory' | 'recommended';
  status: 'applicable' | 'suspended';
  evidence: Evidence;
  explanation: string;
}

export interface SelectInput {
  subjectKind: string;
  matter: string;
  entries: readonly Entry[];
  attached: ReadonlyMap<string, readonly AttachedMeasure[]>;
  /** Clean for three years: no general or serious dishonesty record decided since `since`. */
  clean?: { since: string; registeredOn: string | null };
  /** Measures on the list (for the clean-record incentives, which rest on the measure's own text). */
  measures: readonly Measure[];
  /** The language of the explanations; the legal texts they quote stay as written. */
  locale: Locale;
}

export function selectMeasures(input: SelectInput): SelectedMeasure[] {
  const out: SelectedMeasure[] = [];
  for (const entry of input.entries) {
    for (const a of input.attached.get(entry.listType.code) ?? []) {
      // The memorandum's matters, within those the measure covers today.
      if (
        !a.matters.includes(input.matter) ||
        !(a.measure.matters as readonly string[]).includes(input.matter)
      ) {
        continue;
      }
      const reaches =
        entry.via === undefined
          ? (a.measure.subjectKinds as readonly string[]).includes(input.subjectKind)
          : (a.measure.personRoles as readonly string[]).includes(entry.via.role);
      if (!reaches) {
        continue;
      }
      const suspended = entry.status === 'under_objection';
      out.push({
        measure: a.measure,
        listType: entry.listType.code,
        memorandum: a.memorandum,
        obligation: a.obligation,
        status: suspended ? 'suspended' : 'applicable',
        evidence: {
          kind: 'list_entry',
          recordId: entry.recordId,
          listType: entry.listType.code,
          documentNumber: entry.documentNumber,
          decisionDate: entry.decisionDate,
          ...(entry.via === undefined ? {} : { via: entry.via }),
        },
        explanation:
          t(
            input.locale,
            entry.via === undefined ? 'measures.explanation.listed' : 'measures.explanation.listed_via',
            {
              ...(entry.via === undefined
                ? {}
                : { role: entry.via.role, organisation: entry.via.organisation.name }),
              list: entry.listType.name,
              document: entry.documentNumber,
              date: entry.decisionDate ?? msg('measures.explanation.date_unknown'),
              memorandum: a.memorandum,
              measure: a.measure.nameZh,
              obligation: msg(`measures.explanation.obligation.${a.obligation}`),
              binding: msg(`measures.explanation.binding.${a.measure.binding}`),
              basis: a.measure.legalBasis.basis,
            },
          ) + (suspended ? t(input.locale, 'measures.explanation.suspended') : ''),
      });
    }
  }
  if (input.clean !== undefined) {
    for (const m of input.measures) {
      if (
        (m.effect === 'green_channel' || m.effect === 'accept_with_missing') &&
        (m.matters as readonly string[]).includes(input.matter) &&
        (m.subjectKinds as readonly string[]).includes(input.subjectKind)
      ) {
        out.push({
          measure: m,
          listType: 'clean_record',
          memorandum: null,
          obligation: m.obligation,
          status: 'applicable',
          evidence: { kind: 'clean_record', since: input.clean.since },
          explanation: t(input.locale, 'measures.explanation.clean', {
            since: input.clean.since,
            basis: m.legalBasis.basis,
            quote: m.legalBasis.quote,
            measure: m.nameZh,
          }),
        });
      }
    }
  }
  return out;
}
