/**
 * What the pages about the platform share: the API's answers as types, the deadlines the platform
 * applies when a catalog item sets none, and the words for display periods, legal bases and
 * working days, in the reader's language.
 */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { paths } from '../../api/schema';

type Answer<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;

export type Catalog = Answer<'/api/catalog'>;
export type CatalogItem = Catalog['items'][number];
export type ItemBasis = CatalogItem['legalBases'][number];
export type DisplayPeriod = CatalogItem['display'][number];
export type CatalogField = CatalogItem['fields'][number];
export type ListType = Answer<'/api/list-types'>[number];
export type ListKind = ListType['kind'];
export type Measure = Answer<'/api/measures'>[number];
export type Memorandum = Answer<'/api/memoranda'>[number];

/** Working days the supplying department has to decide an objection, unless the item sets its own. */
export const OBJECTION_WORKING_DAYS = 5;
/** Working days the determining department has to decide a complete repair application, likewise. */
export const REPAIR_WORKING_DAYS = 3;
/** A report of dishonest conduct: acknowledged within, and answered within, these working days. */
export const REPORT_ACKNOWLEDGE_WORKING_DAYS = 3;
export const REPORT_ANSWER_WORKING_DAYS = 20;

/** The order in which catalog categories are shown (the catalog's own order). */
export const CATEGORY_ORDER: readonly CatalogItem['category'][] = [
  'registration',
  'administrative_licensing',
  'administrative_penalty',
  'administrative_compulsion',
  'judicial',
  'serious_dishonesty_list',
  'red_list',
  'watch_list',
  'commitment',
  'other',
];

export const LIST_KIND_ORDER: readonly ListKind[] = [
  'serious_dishonesty',
  'dishonest_debtor',
  'abnormal_operation',
  'red',
  'watch',
];

/**
 * Which measures a list of this kind may take (the platform's rule for memoranda): red lists
 * incentives, the watch list none at all, every other list punishments.
 */
export function directionOf(kind: ListKind): Measure['direction'] | undefined {
  return kind === 'red' ? 'incentive' : kind === 'watch' ? undefined : 'punishment';
}

/**
 * An item's own deadline in working days, or undefined where the platform's default applies (the
 * catalog's answer says which, `deadlines.*.source`).
 */
export function itemWorkingDays(
  item: CatalogItem,
  key: 'objectionWorkingDays' | 'repairWorkingDays',
): number | undefined {
  const deadline = key === 'objectionWorkingDays' ? item.deadlines.objection : item.deadlines.repair;
  return deadline.source === 'item' ? deadline.workingDays : undefined;
}

/** Person roles as the API names them (in Chinese), and their message keys. */
const PERSON_ROLE_KEYS: Readonly<Record<string, string>> = {
  法定代表人: 'legalRepresentative',
  主要负责人: 'principal',
  实际控制人: 'controller',
  董事: 'director',
  监事: 'supervisor',
  高级管理人员: 'manager',
  股东: 'shareholder',
  直接责任人员: 'responsible',
};

/** The legal bases the catalog names, by code: lists and measures cite them by code only. */
export function basesOf(items: readonly CatalogItem[]): Map<string, ItemBasis> {
  const bases = new Map<string, ItemBasis>();
  for (const item of items) {
    for (const basis of item.legalBases) {
      if (!bases.has(basis.code)) {
        bases.set(basis.code, basis);
      }
    }
  }
  return bases;
}

/** The words of these pages that depend on the reader's language. */
export function useAbout() {
  const { t, locale } = useI18n();
  const english = computed(() => locale.value === 'en');
  const sep = computed(() => t('about.sep'));
  /** For text the platform holds only in Chinese (names of laws, departments): its language, on an English page. */
  const zh = computed(() => (english.value ? 'zh-CN' : undefined));

  function duration(months: number): string {
    return months % 12 === 0 ? t('about.duration.years', months / 12) : t('about.duration.months', months);
  }

  function workingDays(days: number): string {
    return t('about.duration.workingDays', days);
  }

  function join(values: readonly string[]): string {
    return values.join(t('about.listSep'));
  }

  /** Names the platform holds only in Chinese, listed the Chinese way whatever the page's language. */
  function joinZh(values: readonly string[]): string {
    return values.join('、');
  }

  /** In English, a phrase that starts a sentence or a cell starts with a capital. */
  function capital(text: string): string {
    return english.value ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  /**
   * A display period in words: for how long, when repair may be applied for, and for a severity tier
   * whether it is disclosed or only shared (an item without tiers says so in its disclosure).
   */
  function period(p: DisplayPeriod, isList: boolean): string {
    const parts = p.tier === null ? [] : [t(p.public ? 'about.period.public' : 'about.period.shared')];
    if (p.longestMonths === null) {
      parts.push(t(isList ? 'about.period.untilRemoved' : 'about.period.noEnd'));
    } else {
      parts.push(t('about.period.longest', { duration: duration(p.longestMonths) }));
    }
    if (p.shortestMonths !== null && p.shortestMonths > 0) {
      parts.push(t('about.period.repairAfter', { duration: duration(p.shortestMonths) }));
    }
    return parts.join(sep.value);
  }

  function tier(p: DisplayPeriod): string {
    return p.tier === null
      ? ''
      : capital(t('about.period.tier', { tier: t(`platform.catalog.tier.${p.tier}`) }));
  }

  /** A legal basis as a citation: 《title》（document number）article. */
  function citation(basis: { title: string; article: string | null; docNumber: string | null }): string {
    return `《${basis.title}》${basis.docNumber === null ? '' : `（${basis.docNumber}）`}${basis.article ?? ''}`;
  }

  /** A basis cited by code (lists, measures, memoranda), named as the catalog names it. */
  function citeCode(bases: ReadonlyMap<string, ItemBasis>, code: string, article?: string): string {
    const basis = bases.get(code);
    return basis === undefined
      ? `${code}${article ?? ''}`
      : citation({ title: basis.title, article: article ?? null, docNumber: basis.docNumber });
  }

  function name(x: { nameZh: string; nameEn: string }): string {
    return english.value ? x.nameEn : x.nameZh;
  }

  function domain(code: string): string {
    return t(`about.domain.${code}`, code);
  }

  function personRole(role: string): string {
    const key = PERSON_ROLE_KEYS[role];
    return key === undefined ? role : t(`about.personRole.${key}`);
  }

  /** How the item's severity tier is decided, from the catalog's description of it. */
  function severity(item: CatalogItem): string | undefined {
    if (item.severity === null) {
      return undefined;
    }
    const fixed = /^always (minor|general|serious)$/.exec(item.severity);
    if (fixed?.[1] !== undefined) {
      return t('about.severity.fixed', { tier: t(`platform.catalog.tier.${fixed[1]}`) });
    }
    const stated = /^stated in ([a-z0-9_]+)(, otherwise derived by the rule)?$/.exec(item.severity);
    if (stated?.[1] !== undefined) {
      const field = item.fields.find((f) => f.key === stated[1]);
      return t(stated[2] === undefined ? 'about.severity.field' : 'about.severity.fieldOrRule', {
        field: field === undefined ? stated[1] : name(field),
      });
    }
    return item.severity;
  }

  return {
    t,
    english,
    zh,
    duration,
    workingDays,
    join,
    joinZh,
    capital,
    period,
    tier,
    citation,
    citeCode,
    name,
    domain,
    personRole,
    severity,
  };
}
