/**
 * Which measures a credit check returns, and why: a pure function of the subject's list entries,
 * the measures their memoranda attach, the matter and the clock. A measure follows only from a
 * list entry through its memorandum, only in a matter it covers; one resting on an entry under
 * objection is suspended (国发〔2016〕33号 (二十二)); a person is reached through a role the measure
 * names; the green channel rests on three clean years (国发〔2016〕33号 (四)).
 */
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
}

const OBLIGATION_ZH = { mandatory: '强制性', recommended: '推荐性' } as const;
const BINDING_ZH = {
  binding: '约束性',
  reference: '参考性（由金融机构、行业协会等自行实施，不得强制）',
} as const;

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
      const who = entry.via === undefined ? '' : `作为${entry.via.organisation.name}的${entry.via.role}，`;
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
          `${who}因列入${entry.listType.name}（${entry.documentNumber}，${entry.decisionDate ?? '日期不详'}），` +
          `依${a.memorandum}在此事项适用「${a.measure.nameZh}」：${OBLIGATION_ZH[a.obligation]}、${BINDING_ZH[a.measure.binding]}措施，` +
          `依据${a.measure.legalBasis.basis}。` +
          (suspended ? '该名单信息正在异议核实中，措施暂不执行（国发〔2016〕33号（二十二））。' : ''),
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
          explanation:
            `自${input.clean.since}起连续三年无一般或严重失信记录（已修复的不计），` +
            `依${m.legalBasis.basis}（${m.legalBasis.quote}）可适用「${m.nameZh}」。`,
        });
      }
    }
  }
  return out;
}
