/**
 * What the reviewer's pages share: the shapes of the API's answers, deadlines in working days
 * (counted on the platform's own calendar, `GET /api/public/calendar/{year}`), dates as the
 * reader reads them, department and catalog item names in the reader's language, loading one
 * answer of the API, and the confirmation every action asks for.
 */
import { computed, ref, watch, type Ref } from 'vue';
import { ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message-box/style/css';
import 'element-plus/es/components/button/style/css';
import { messageOf } from '../../api/client';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { i18n, type Locale } from '../../i18n';

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;

export type Objection = Json<paths['/api/objections/{id}']['get']>;
export type Repair = Json<paths['/api/repairs/{id}']['get']>;
export type ListCase = Json<paths['/api/list-cases/{id}']['get']>;
export type CaseSummary = Json<paths['/api/list-cases']['get']>[number];
export type ListType = Json<paths['/api/list-types']['get']>[number];
export type Commitment = Json<paths['/api/commitments/{id}']['get']>;
export type ConductReport = Json<paths['/api/conduct-reports']['get']>[number];

/** The reader's language as a reactive value. */
export const locale = computed<Locale>(() => i18n.global.locale.value);

// ---------------------------------------------------------------------------------------------
// Working days

/**
 * The platform's holidays and make-up workdays (an operator's table included), asked for once per
 * year; reactive, so a deadline counted before they arrive (weekdays only) is counted again.
 */
const holidays = ref(new Set<string>());
const workdays = ref(new Set<string>());
const askedYears = new Set<number>();

function askCalendar(year: number): void {
  if (askedYears.has(year)) {
    return;
  }
  askedYears.add(year);
  void api.GET('/api/public/calendar/{year}', { params: { path: { year } } }).then(({ data }) => {
    if (data === undefined) {
      return;
    }
    holidays.value = new Set([
      ...holidays.value,
      ...data.days.filter((d) => d.kind === 'holiday').map((d) => d.date),
    ]);
    workdays.value = new Set([
      ...workdays.value,
      ...data.days.filter((d) => d.kind === 'workday').map((d) => d.date),
    ]);
  });
}

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

function dayOf(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

function working(n: number): boolean {
  const day = dayOf(n);
  askCalendar(Number(day.slice(0, 4)));
  if (workdays.value.has(day)) {
    return true;
  }
  if (holidays.value.has(day)) {
    return false;
  }
  const weekday = new Date(n * 86_400_000).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Working days after `from` up to and including `to`; negative when `to` is before `from`. */
export function workingDaysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let n = lo + 1; n <= hi; n += 1) {
    if (working(n)) {
      count += 1;
    }
  }
  return sign * count;
}

/** Today in the platform's time zone (Asia/Shanghai), as `YYYY-MM-DD`. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

export interface Deadline {
  /** The last day. */
  dueOn: string;
  state: 'overdue' | 'today' | 'left';
  /** Working days left (state `left`) or past (state `overdue`). */
  days: number;
}

/** Where a deadline stands today: working days left, due today, or overdue (by how many). */
export function deadline(dueOn: string, on: string = today()): Deadline {
  const due = dueOn.slice(0, 10);
  if (due < on) {
    return { dueOn: due, state: 'overdue', days: workingDaysBetween(due, on) };
  }
  if (due === on) {
    return { dueOn: due, state: 'today', days: 0 };
  }
  return { dueOn: due, state: 'left', days: workingDaysBetween(on, due) };
}

/**
 * Open cases first (overdue ones at the very top, then the nearest deadline), then the closed,
 * the latest first.
 */
export function queueOrder<T>(
  items: readonly T[],
  open: (item: T) => boolean,
  dueOn: (item: T) => string | null,
  id: (item: T) => number,
): T[] {
  return [...items].sort((a, b) => {
    const oa = open(a);
    const ob = open(b);
    if (oa !== ob) {
      return oa ? -1 : 1;
    }
    if (!oa) {
      return id(b) - id(a);
    }
    return (dueOn(a) ?? '9999').localeCompare(dueOn(b) ?? '9999') || id(a) - id(b);
  });
}

// ---------------------------------------------------------------------------------------------
// Dates

/** A civil date as the reader writes it: 2026年12月8日, December 8, 2026. */
export function formatDay(day: string | null | undefined): string {
  if (day === null || day === undefined || !/^\d{4}-\d{2}-\d{2}/.test(day)) {
    return day ?? '';
  }
  return new Intl.DateTimeFormat(locale.value, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day.slice(0, 10)}T00:00:00Z`),
  );
}

/** An instant as the reader writes it, in the platform's time zone. */
export function formatInstant(at: string | null | undefined): string {
  if (at === null || at === undefined) {
    return '';
  }
  const date = new Date(at);
  return Number.isNaN(date.getTime())
    ? at
    : new Intl.DateTimeFormat(locale.value, {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'Asia/Shanghai',
      }).format(date);
}

/** A size in bytes (KB, MB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------------------------
// Names

interface ItemNames {
  zh: string;
  en: string;
}
const items = ref<Map<string, ItemNames>>(new Map());
const departments = ref<Map<string, string>>(new Map());
let namesAsked = false;

function askNames(): void {
  if (namesAsked) {
    return;
  }
  namesAsked = true;
  void Promise.all([api.GET('/api/catalog'), api.GET('/api/departments')]).then(
    ([catalog, depts]) => {
      items.value = new Map((catalog.data?.items ?? []).map((i) => [i.code, { zh: i.nameZh, en: i.nameEn }]));
      departments.value = new Map((depts.data ?? []).map((d) => [d.code, d.name]));
    },
    () => {
      namesAsked = false;
    },
  );
}

/** Catalog items and departments by their codes, in the reader's language (the code until known). */
export function useNames() {
  askNames();
  return {
    item: (code: string): string => {
      const n = items.value.get(code);
      return n === undefined ? code : locale.value === 'en' && n.en !== '' ? n.en : n.zh;
    },
    department: (code: string): string => departments.value.get(code) ?? code,
  };
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * One answer of the API, asked again when the reader changes language (the platform words its
 * messages in the language asked) or when `reload` is called.
 */
export function useLoad<T>(ask: () => Promise<{ data?: T; error?: unknown }>): {
  data: Ref<T | undefined>;
  error: Ref<string>;
  loading: Ref<boolean>;
  reload: () => Promise<void>;
} {
  const data: Ref<T | undefined> = ref<T>();
  const error = ref('');
  const loading = ref(true);
  async function reload(): Promise<void> {
    loading.value = true;
    try {
      const answer = await ask();
      if (answer.error !== undefined) {
        error.value = messageOf(answer.error);
      } else {
        error.value = '';
        data.value = answer.data;
      }
    } catch (failure) {
      error.value = messageOf(failure instanceof Error ? failure.message : failure);
    } finally {
      loading.value = false;
    }
  }
  watch(locale, () => void reload());
  void reload();
  return { data, error, loading, reload };
}

// ---------------------------------------------------------------------------------------------
// Confirmation

/**
 * Asks the reader to confirm an action, saying what it will do; true when confirmed. The dialog
 * is a modal `alertdialog` (Element Plus's message box): Escape or Cancel answers no.
 */
export async function confirmAction(options: {
  title: string;
  consequence: string;
  confirm: string;
  cancel: string;
  danger?: boolean;
}): Promise<boolean> {
  try {
    await ElMessageBox.confirm(options.consequence, options.title, {
      confirmButtonText: options.confirm,
      cancelButtonText: options.cancel,
      type: options.danger === true ? 'warning' : 'info',
      confirmButtonClass: options.danger === true ? 'el-button--danger' : '',
      closeOnClickModal: false,
      autofocus: false,
    });
    return true;
  } catch {
    return false;
  }
}
