/**
 * What the credit officer's pages share: the shapes of the API's answers, the matters a check is
 * made for, the names the platform gives by code (catalog items, legal bases, memoranda, list
 * types, departments: asked once), and dates as the reader reads them.
 */
import { computed, ref } from 'vue';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { i18n, type Locale } from '../../i18n';

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;

export type CheckResult = Json<paths['/api/checks']['post']>;
export type SelectedMeasure = CheckResult['measures'][number];
export type Entry = CheckResult['entries'][number];
export type BatchAnswer = Json<paths['/api/checks/batch']['post']>;
export type BatchItem = BatchAnswer['results'][number];
export type Review = Json<paths['/api/checks/review']['get']>[number];
export type MeasureStat = Json<paths['/api/measures/stats']['get']>[number];
export type Measure = Json<paths['/api/measures']['get']>[number];

/** The matters a check is made for, as the API names them. */
export const MATTERS = [
  'bidding',
  'government_procurement',
  'subsidy',
  'licensing',
  'hiring',
  'honours',
  'financing',
  'supervision',
  'enforcement',
] as const;
export type Matter = (typeof MATTERS)[number];

/** Subjects one batch may hold. */
export const MAX_BATCH = 1000;

/** The reader's language as a reactive value (the i18n global's). */
export const locale = computed<Locale>(() => i18n.global.locale.value);

/** A civil date (`YYYY-MM-DD`) as the reader writes it: 2026年12月8日, December 8, 2026. */
export function formatDay(day: string | null | undefined, as: Locale = locale.value): string {
  if (day === null || day === undefined || !/^\d{4}-\d{2}-\d{2}/.test(day)) {
    return day ?? '';
  }
  return new Intl.DateTimeFormat(as, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day.slice(0, 10)}T00:00:00Z`),
  );
}

/** An instant as the reader writes it, in the platform's time zone (Asia/Shanghai), to the second. */
export function formatInstant(at: string | null | undefined, as: Locale = locale.value): string {
  if (at === null || at === undefined) {
    return '';
  }
  const date = new Date(at);
  return Number.isNaN(date.getTime())
    ? at
    : new Intl.DateTimeFormat(as, {
        dateStyle: 'medium',
        timeStyle: 'medium',
        timeZone: 'Asia/Shanghai',
      }).format(date);
}

interface Names {
  items: Map<string, { zh: string; en: string }>;
  bases: Map<string, { title: string; docNumber: string | null }>;
  memoranda: Map<string, string>;
  listTypes: Map<string, string>;
  departments: Map<string, string>;
  measures: Map<string, { zh: string; en: string }>;
}

const names = ref<Names>({
  items: new Map(),
  bases: new Map(),
  memoranda: new Map(),
  listTypes: new Map(),
  departments: new Map(),
  measures: new Map(),
});
let asked: Promise<void> | undefined;

/** The names the platform gives by code, asked once per visit (each list is public or the role's). */
function askNames(): Promise<void> {
  asked ??= (async () => {
    const [catalog, memoranda, listTypes, departments, measures] = await Promise.all([
      api.GET('/api/catalog'),
      api.GET('/api/memoranda'),
      api.GET('/api/list-types'),
      api.GET('/api/departments'),
      api.GET('/api/measures'),
    ]);
    const next: Names = {
      items: new Map(),
      bases: new Map(),
      memoranda: new Map(),
      listTypes: new Map(),
      departments: new Map(),
      measures: new Map(),
    };
    for (const item of catalog.data?.items ?? []) {
      next.items.set(item.code, { zh: item.nameZh, en: item.nameEn });
      for (const b of item.legalBases) {
        if (!next.bases.has(b.code)) {
          next.bases.set(b.code, { title: b.title, docNumber: b.docNumber });
        }
      }
    }
    for (const m of memoranda.data ?? []) {
      next.memoranda.set(m.code, m.name);
    }
    for (const l of listTypes.data ?? []) {
      next.listTypes.set(l.code, l.nameZh);
    }
    for (const d of departments.data ?? []) {
      next.departments.set(d.code, d.name);
    }
    for (const m of measures.data ?? []) {
      next.measures.set(m.code, { zh: m.nameZh, en: m.nameEn });
    }
    names.value = next;
  })().catch(() => {
    asked = undefined;
  });
  return asked;
}

/** Names by code in the reader's language where the platform has one, the code itself otherwise. */
export function useNames() {
  void askNames();
  const en = () => locale.value === 'en';
  return {
    item: (code: string) => {
      const n = names.value.items.get(code);
      return n === undefined ? code : en() && n.en !== '' ? n.en : n.zh;
    },
    /** A legal basis cited by code: 《title》（document number）. */
    basis: (code: string) => {
      const b = names.value.bases.get(code);
      return b === undefined ? code : `《${b.title}》${b.docNumber === null ? '' : `（${b.docNumber}）`}`;
    },
    memorandum: (code: string | null) => (code === null ? '' : (names.value.memoranda.get(code) ?? code)),
    listType: (code: string) => names.value.listTypes.get(code) ?? code,
    department: (code: string) => names.value.departments.get(code) ?? code,
    measure: (code: string) => {
      const n = names.value.measures.get(code);
      return n === undefined ? code : en() ? n.en : n.zh;
    },
    /** A measure as the check returned it, in the reader's language. */
    measureName: (m: { nameZh: string; nameEn: string }) => (en() ? m.nameEn : m.nameZh),
  };
}

/** The measures of a check that feedback can be given on: each measure and list once. */
export function feedbackKey(m: { measure: { code: string }; listType: string }): string {
  return `${m.measure.code}|${m.listType}`;
}
