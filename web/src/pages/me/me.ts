/**
 * What the pages of a signed-in subject share: the shapes of the API's answers, the subject's own
 * credit file and its open cases, catalog item names in the reader's language, dates as the reader
 * reads them, the `?next=` address a sign-in may return to, and attachments read into base64.
 */
import { computed, ref, watch, type Ref } from 'vue';
import { api, messageOf } from '../../api/client';
import { me } from '../../api/session';
import type { paths } from '../../api/schema';
import { i18n, type Locale } from '../../i18n';

type Json<T> = T extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;

export type CreditFile = Json<paths['/api/subjects/{code}/file']['get']>;
export type FileRecord = CreditFile['categories'][number]['records'][number];
export type Objection = Json<paths['/api/objections/{id}']['get']>;
export type Repair = Json<paths['/api/repairs/{id}']['get']>;

/**
 * Working days a department has to decide, unless the catalog item sets its own: 5 for an
 * objection, 3 for a repair application (the platform's defaults; the due date of a filed case is
 * the platform's own).
 */
export const WORKING_DAYS = { objection: 5, repair: 3 } as const;

/** Attachments as the API takes them: PDF, JPEG, PNG or OFD, at most 5 files of 5 MiB each. */
export const ATTACHMENT_LIMITS = { count: 5, bytes: 5 * 1024 * 1024 } as const;
export const ATTACHMENT_ACCEPT =
  '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png,application/ofd';
const ATTACHMENT_EXTENSIONS = /\.(pdf|jpe?g|png|ofd)$/i;

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

/** An instant as the reader writes it, in the platform's time zone (Asia/Shanghai). */
export function formatInstant(at: string | null | undefined, as: Locale = locale.value): string {
  if (at === null || at === undefined) {
    return '';
  }
  const date = new Date(at);
  return Number.isNaN(date.getTime())
    ? at
    : new Intl.DateTimeFormat(as, {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'Asia/Shanghai',
      }).format(date);
}

/** A size in bytes as the reader reads it (KB, MB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(0)} KB`;
  }
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Where a sign-in may send the reader back to: a path of this site (`/…`), never another site
 * (`//host`, `/\host`, `http:…`) and never the sign-in page again; otherwise the reader's own page.
 */
export function safeNext(next: unknown): string {
  const fallback = '/me';
  if (typeof next !== 'string' || next === '' || next.length > 2000) {
    return fallback;
  }
  if (
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.includes('\\') ||
    [...next].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  ) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(next, window.location.origin);
  } catch {
    return fallback;
  }
  if (url.origin !== window.location.origin || url.pathname === '/sign-in') {
    return fallback;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Catalog items' names in the reader's language (the file names them in Chinese). */
const itemNames = ref<Map<string, { zh: string; en: string }>>(new Map());
let itemsAsked = false;

function askItemNames(): void {
  if (itemsAsked) {
    return;
  }
  itemsAsked = true;
  void api.GET('/api/catalog').then(
    ({ data }) => {
      itemNames.value = new Map((data?.items ?? []).map((i) => [i.code, { zh: i.nameZh, en: i.nameEn }]));
    },
    () => {
      itemsAsked = false;
    },
  );
}

/**
 * A catalog item's name by its code, in the reader's language as the catalog gives it (`fallback`,
 * or the code, until the catalog is read).
 */
export function useItemName(): (code: string, fallback?: string) => string {
  askItemNames();
  return (code, fallback) => {
    const names = itemNames.value.get(code);
    if (names === undefined) {
      return fallback ?? code;
    }
    return locale.value === 'en' && names.en !== '' ? names.en : names.zh;
  };
}

/** The departments the subject's file names, by code: the cases name their department by code. */
export function departmentNames(file: CreditFile | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of file?.categories ?? []) {
    for (const r of c.records) {
      names.set(r.provenance.department.code, r.provenance.department.name);
    }
  }
  return names;
}

/**
 * The signed-in subject's own credit file (every record, public or not), asked again when the
 * reader changes language (the platform words its reasons in the language asked).
 */
export function useOwnFile(): {
  file: Ref<CreditFile | undefined>;
  error: Ref<string>;
  loading: Ref<boolean>;
  reload: () => Promise<void>;
  record: (id: number) => { record: FileRecord; category: string } | undefined;
} {
  const file = ref<CreditFile | undefined>();
  const error = ref('');
  const loading = ref(true);
  async function reload(): Promise<void> {
    const code = me.value?.subject;
    if (code === undefined) {
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const { data, error: failed } = await api.GET('/api/subjects/{code}/file', {
        params: { path: { code }, query: {} },
      });
      error.value = failed === undefined ? '' : messageOf(failed);
      file.value = data;
    } catch (failure) {
      error.value = messageOf(failure instanceof Error ? failure.message : failure);
    } finally {
      loading.value = false;
    }
  }
  function record(id: number) {
    for (const c of file.value?.categories ?? []) {
      const found = c.records.find((r) => r.id === id);
      if (found !== undefined) {
        return { record: found, category: c.category };
      }
    }
    return undefined;
  }
  watch(locale, () => void reload());
  void reload();
  return { file, error, loading, reload, record };
}

/** The subject's objections and repair applications, and which records have one open. */
export function useOwnCases(): {
  objections: Ref<Objection[]>;
  repairs: Ref<Repair[]>;
  error: Ref<string>;
  loading: Ref<boolean>;
  reload: () => Promise<void>;
  openObjection: (recordId: number) => Objection | undefined;
  openRepair: (recordId: number) => Repair | undefined;
} {
  const objections = ref<Objection[]>([]);
  const repairs = ref<Repair[]>([]);
  const error = ref('');
  const loading = ref(true);
  async function reload(): Promise<void> {
    loading.value = true;
    try {
      const [o, r] = await Promise.all([
        api.GET('/api/objections', { params: { query: { limit: 500 } } }),
        api.GET('/api/repairs', { params: { query: { limit: 500 } } }),
      ]);
      const failed = o.error ?? r.error;
      error.value = failed === undefined ? '' : messageOf(failed);
      objections.value = o.data ?? [];
      repairs.value = r.data ?? [];
    } catch (failure) {
      error.value = messageOf(failure instanceof Error ? failure.message : failure);
    } finally {
      loading.value = false;
    }
  }
  watch(locale, () => void reload());
  void reload();
  return {
    objections,
    repairs,
    error,
    loading,
    reload,
    openObjection: (recordId) => objections.value.find((o) => o.recordId === recordId && o.status === 'open'),
    openRepair: (recordId) =>
      repairs.value.find(
        (r) => r.recordId === recordId && (r.status === 'submitted' || r.status === 'returned'),
      ),
  };
}

/** Whether a case is still with the department (or, returned, with the subject). */
export const objectionOpen = (o: Objection) => o.status === 'open';
export const repairOpen = (r: Repair) => r.status === 'submitted' || r.status === 'returned';

/** A file chosen for upload, read into base64 as the API's schema wants it. */
export interface Chosen {
  fileName: string;
  bytes: number;
  content: string;
}

/** A file the page refused before sending: why, in the reader's words (a message key and values). */
export interface Refusal {
  key: 'type' | 'size' | 'count' | 'read';
  values: Record<string, string | number>;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      const comma = url.indexOf(',');
      resolve(comma < 0 ? '' : url.slice(comma + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read'));
    reader.readAsDataURL(file);
  });
}

/**
 * Adds the files the reader chose to those already chosen: each checked for its type (by name,
 * the platform checks the content), its size and the count, then read into base64.
 */
export async function chooseFiles(
  already: readonly Chosen[],
  files: readonly File[],
): Promise<{ chosen: Chosen[]; refused: Refusal[] }> {
  const chosen = [...already];
  const refused: Refusal[] = [];
  for (const file of files) {
    if (chosen.length >= ATTACHMENT_LIMITS.count) {
      refused.push({ key: 'count', values: { file: file.name, max: ATTACHMENT_LIMITS.count } });
      continue;
    }
    if (!ATTACHMENT_EXTENSIONS.test(file.name)) {
      refused.push({ key: 'type', values: { file: file.name } });
      continue;
    }
    if (file.size === 0 || file.size > ATTACHMENT_LIMITS.bytes) {
      refused.push({ key: 'size', values: { file: file.name, size: formatBytes(file.size) } });
      continue;
    }
    try {
      chosen.push({ fileName: file.name, bytes: file.size, content: await readBase64(file) });
    } catch {
      refused.push({ key: 'read', values: { file: file.name } });
    }
  }
  return { chosen, refused };
}

/**
 * The field paths of a form with attachments: the API names one file as `attachments.0` (its own
 * check of the bytes) or `attachments.0.content` (the schema), both shown at `attachments`.
 */
export function withAttachments(fields: readonly string[]): string[] {
  return [...fields, 'attachments'];
}

/** The API's message about the attachments, whichever path it named. */
export function attachmentsError(fields: Record<string, string>): string {
  return (
    Object.entries(fields).find(([key]) => key === 'attachments' || key.startsWith('attachments.'))?.[1] ?? ''
  );
}
