/**
 * The rules of the measure list and of memoranda, as pure functions: a measure cites its legal
 * basis directly; a measure others carry out is never mandatory; a memorandum attaches to a list
 * only measures of the list's direction, for the matters each covers (国办发〔2020〕49号 (九)(十)).
 */
import type { LegalBasis } from '../catalog/index.ts';
import type { Matter } from '../disclosure/index.ts';
import type { ListKind, Refusal } from '../lists/index.ts';
import type { Measure, Obligation } from './measures.types.ts';

export interface MemorandumEntry {
  listType: string;
  measure: string;
  obligation?: Obligation;
  matters?: Matter[];
  implementers?: string[];
}

export interface MemorandumDefinition {
  code: string;
  name: string;
  signedOn: string;
  signatories: string[];
  /** The legal basis the memorandum rests on (a catalog legal basis). */
  basis: string;
  entries: MemorandumEntry[];
}

/** What keeps a shipped measure off the list. */
export function checkMeasure(m: Measure, bases: ReadonlyMap<string, LegalBasis>): Refusal[] {
  const out: Refusal[] = [];
  if (!bases.has(m.legalBasis.basis)) {
    out.push({
      rule: 'measure.legal_basis',
      message: `${m.code}: no legal basis ${m.legalBasis.basis}`,
      field: `${m.code}.legalBasis`,
    });
  }
  if (m.binding === 'reference' && m.obligation === 'mandatory') {
    out.push(referenceOnly(m));
  }
  if (m.matters.length === 0) {
    out.push({
      rule: 'measure.matter',
      message: `${m.code}: names no matter it applies in`,
      field: `${m.code}.matters`,
    });
  }
  return out;
}

function referenceOnly(m: Measure): Refusal {
  return {
    rule: 'measure.reference_only',
    message: `${m.code} ${m.nameZh} is carried out by ${m.implementers.join('、') || 'others'}: a reference measure, which no department may make mandatory (国办发〔2020〕49号 (九))`,
    field: 'obligation',
    value: 'mandatory',
  };
}

/** Punishment lists take punishment measures, red lists incentives; the watch list none at all. */
export function directionOf(kind: ListKind): 'incentive' | 'punishment' | undefined {
  return kind === 'red' ? 'incentive' : kind === 'watch' ? undefined : 'punishment';
}

/** Everything that keeps a memorandum from being signed in; empty when it may be. */
export function checkMemorandum(
  memo: MemorandumDefinition,
  measures: ReadonlyMap<string, Measure>,
  listKinds: ReadonlyMap<string, ListKind>,
  bases: ReadonlyMap<string, LegalBasis>,
): Refusal[] {
  const out: Refusal[] = [];
  if (!bases.has(memo.basis)) {
    out.push({
      rule: 'memorandum.basis',
      message: `no legal basis ${memo.basis}`,
      field: 'basis',
      value: memo.basis,
    });
  }
  if (memo.entries.length === 0) {
    out.push({
      rule: 'memorandum.entries',
      message: 'a memorandum attaches at least one measure to a list',
      field: 'entries',
    });
  }
  memo.entries.forEach((e, i) => {
    const at = `entries[${i}]`;
    const m = measures.get(e.measure);
    const kind = listKinds.get(e.listType);
    if (m === undefined) {
      out.push({
        rule: 'measure.not_listed',
        message: `${at}: ${e.measure} is not on the measure list; nothing outside it may be applied (国办发〔2020〕49号 (九))`,
        field: `${at}.measure`,
        value: e.measure,
      });
      return;
    }
    if (kind === undefined) {
      out.push({
        rule: 'memorandum.list_type',
        message: `${at}: no list type ${e.listType}`,
        field: `${at}.listType`,
        value: e.listType,
      });
      return;
    }
    const direction = directionOf(kind);
    if (direction === undefined) {
      out.push({
        rule: 'memorandum.watch_list',
        message: `${at}: the watch list is a supervisory flag, never a basis for a measure`,
        field: `${at}.listType`,
        value: e.listType,
      });
    } else if (direction !== m.direction) {
      out.push({
        rule: 'memorandum.direction',
        message: `${at}: ${m.code} is an ${m.direction} measure; ${e.listType} takes ${direction} measures`,
        field: `${at}.measure`,
        value: e.measure,
      });
    }
    if (e.obligation === 'mandatory' && m.binding === 'reference') {
      out.push({ ...referenceOnly(m), field: `${at}.obligation` });
    }
    for (const matter of e.matters ?? []) {
      if (!m.matters.includes(matter)) {
        out.push({
          rule: 'measure.matter',
          message: `${at}: ${m.code} does not cover the matter ${matter} (it covers ${m.matters.join(', ')})`,
          field: `${at}.matters`,
          value: matter,
        });
      }
    }
  });
  return out;
}
