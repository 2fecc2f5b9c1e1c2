/**
 * The rules of the measure list and of memoranda, as pure functions: a measure cites its legal
 * basis directly; a measure others carry out is never mandatory; a memorandum attaches to a list
 * only measures of the list's direction, for the matters each covers (国办发〔2020〕49号 (九)(十)).
 */
import { msg } from '../../platform/i18n/index.ts';
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
      message: msg('measures.rule.legal_basis', { measure: m.code, basis: m.legalBasis.basis }),
      field: `${m.code}.legalBasis`,
    });
  }
  if (m.binding === 'reference' && m.obligation === 'mandatory') {
    out.push(referenceOnly(m));
  }
  if (m.matters.length === 0) {
    out.push({
      rule: 'measure.matter',
      message: msg('measures.rule.no_matter', { measure: m.code }),
      field: `${m.code}.matters`,
    });
  }
  return out;
}

function referenceOnly(m: Measure): Refusal {
  return {
    rule: 'measure.reference_only',
    message: msg('measures.rule.reference_only', {
      measure: m.code,
      name: m.nameZh,
      implementers: m.implementers.length === 0 ? msg('measures.others') : m.implementers.join('、'),
    }),
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
      message: msg('measures.rule.memorandum_basis', { basis: memo.basis }),
      field: 'basis',
      value: memo.basis,
    });
  }
  if (memo.entries.length === 0) {
    out.push({
      rule: 'memorandum.entries',
      message: msg('measures.rule.memorandum_entries'),
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
        message: msg('measures.rule.not_listed', { at, measure: e.measure }),
        field: `${at}.measure`,
        value: e.measure,
      });
      return;
    }
    if (kind === undefined) {
      out.push({
        rule: 'memorandum.list_type',
        message: msg('measures.rule.no_list_type', { at, listType: e.listType }),
        field: `${at}.listType`,
        value: e.listType,
      });
      return;
    }
    const direction = directionOf(kind);
    if (direction === undefined) {
      out.push({
        rule: 'memorandum.watch_list',
        message: msg('measures.rule.watch_list', { at }),
        field: `${at}.listType`,
        value: e.listType,
      });
    } else if (direction !== m.direction) {
      out.push({
        rule: 'memorandum.direction',
        message: msg(
          m.direction === 'incentive'
            ? 'measures.rule.incentive_on_punishment_list'
            : 'measures.rule.punishment_on_incentive_list',
          { at, measure: m.code, listType: e.listType },
        ),
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
          message: msg('measures.rule.matter', {
            at,
            measure: m.code,
            matter,
            matters: m.matters.join(', '),
          }),
          field: `${at}.matters`,
          value: matter,
        });
      }
    }
  });
  return out;
}
