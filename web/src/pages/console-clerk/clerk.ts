/**
 * What the data clerk's pages share: the clerk's department and the catalog items it collects
 * (the platform's own rule: the item names the department, or one of the department's domains at
 * one of the item's levels), batches' words, dates and figures in the reader's language, the
 * upload of a file with its progress, and the download of a batch's rows to correct.
 */
import { computed, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { api, messageOf, type ApiError } from '../../api/client';
import { me } from '../../api/session';
import type { paths } from '../../api/schema';
import { currentLocale, i18n, type Locale } from '../../i18n';

export type Batch =
  paths['/api/ingest/batches/{id}']['get']['responses']['200']['content']['application/json'];
export type CatalogItem =
  paths['/api/catalog']['get']['responses']['200']['content']['application/json']['items'][number];
export type Department =
  paths['/api/departments']['get']['responses']['200']['content']['application/json'][number];
export type ReviewRow =
  paths['/api/ingest/review']['get']['responses']['200']['content']['application/json'][number];
export type QualityRow =
  paths['/api/quality']['get']['responses']['200']['content']['application/json'][number];

/**
 * Items whose records only a designation case makes (notice, objection window, decision): the
 * platform refuses them in a file and has no template for them (catalog.rules DESIGNATED_ITEMS).
 */
export const DESIGNATED_ITEMS: readonly string[] = ['serious_dishonesty_list', 'red_list'];

export const locale = computed<Locale>(() => i18n.global.locale.value);

/** An instant as the reader writes it, in the platform's time zone (Asia/Shanghai). */
export function formatInstant(at: string | null | undefined, as: Locale = locale.value): string {
  if (at === null || at === undefined || Number.isNaN(Date.parse(at))) {
    return at ?? '';
  }
  return new Intl.DateTimeFormat(as, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
    hour12: false,
  }).format(new Date(at));
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : new Intl.NumberFormat(locale.value).format(n);
}

/** A share (0–1) as a percentage with one decimal; none: a dash. */
export function formatShare(share: number | null | undefined): string {
  return share === null || share === undefined
    ? '—'
    : new Intl.NumberFormat(locale.value, {
        style: 'percent',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(share);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const kb = bytes / 1024;
  return kb < 1024 ? `${kb.toFixed(1)} KB` : `${(kb / 1024).toFixed(1)} MB`;
}

/** Whether the department collects the item: the same rule the platform applies to a file. */
export function collects(item: CatalogItem, department: Department): boolean {
  const c = item.collectors;
  if (c.departments.includes(department.code)) {
    return true;
  }
  return (
    department.domains.some((d) => c.domains.includes(d)) &&
    (c.levels.length === 0 || c.levels.includes(department.level))
  );
}

const catalog = ref<CatalogItem[]>();
const departments = ref<Department[]>();
const loadError = ref('');
let asked: Promise<void> | undefined;

function askCatalog(): Promise<void> {
  asked ??= Promise.all([api.GET('/api/catalog'), api.GET('/api/departments')]).then(([c, d]) => {
    if (c.data === undefined || d.data === undefined) {
      loadError.value = messageOf(c.error ?? d.error);
      asked = undefined;
      return;
    }
    loadError.value = '';
    catalog.value = c.data.items;
    departments.value = d.data;
  });
  return asked;
}

/**
 * The clerk's department and the items it collects (those a file may carry, and those only a
 * designation case makes), asked once per visit.
 */
export function useCollected(): {
  loading: Ref<boolean>;
  error: Ref<string>;
  department: Ref<Department | undefined>;
  items: Ref<CatalogItem[]>;
  designated: Ref<CatalogItem[]>;
  item: (code: string) => CatalogItem | undefined;
} {
  const loading = ref(catalog.value === undefined);
  void askCatalog().finally(() => {
    loading.value = false;
  });
  const department = computed(() => departments.value?.find((d) => d.code === me.value?.department));
  const collected = computed(() =>
    department.value === undefined
      ? []
      : (catalog.value ?? []).filter((i) => collects(i, department.value as Department)),
  );
  return {
    loading,
    error: loadError,
    department,
    items: computed(() => collected.value.filter((i) => !DESIGNATED_ITEMS.includes(i.code))),
    designated: computed(() => collected.value.filter((i) => DESIGNATED_ITEMS.includes(i.code))),
    item: (code) => catalog.value?.find((i) => i.code === code),
  };
}

/** A catalog item's name in the reader's language (its code until the catalog is read). */
export function useItemName(): (code: string) => string {
  void askCatalog();
  return (code) => {
    const item = catalog.value?.find((i) => i.code === code);
    if (item === undefined) {
      return code;
    }
    return locale.value === 'en' && item.nameEn !== '' ? item.nameEn : item.nameZh;
  };
}

/** A catalog field's name in the reader's language, by its key. */
export function fieldName(item: CatalogItem | undefined, key: string): string {
  const field = item?.fields.find((f) => f.key === key);
  if (field === undefined) {
    return key;
  }
  return locale.value === 'en' && field.nameEn !== '' ? field.nameEn : field.nameZh;
}

/** The words and tag colours of a batch's status. */
export function useBatchWords() {
  const { t } = useI18n();
  return {
    status: (b: Pick<Batch, 'status'>) => t(`clerk.status.${b.status}`),
    tag: (b: Pick<Batch, 'status'>): 'success' | 'warning' | 'danger' | 'info' =>
      b.status === 'committed'
        ? 'success'
        : b.status === 'failed' || b.status === 'interrupted'
          ? 'danger'
          : 'info',
  };
}

/** Rows of a batch that its department has to look at again: refused, or waiting for review. */
export const problemRows = (b: Pick<Batch, 'rejected' | 'review'>) => b.rejected + b.review;

export interface UploadRequest {
  file: File;
  item: string;
  encoding?: string;
  sheet?: string;
  corrects?: number;
}

export type UploadAnswer = { data: Batch; error?: undefined } | { data?: undefined; error: ApiError };

/**
 * Sends one file as a batch (POST /api/ingest/batches, multipart), reporting the share sent.
 * `fetch` cannot report an upload's progress, so this one request goes by XMLHttpRequest: the
 * session cookie goes with it (same origin) and it says the reader's language as every other
 * request does (`api` in client.ts), so the platform answers in it.
 */
export function uploadBatch(
  request: UploadRequest,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadAnswer> {
  const body = new FormData();
  body.append('item', request.item);
  if (request.encoding !== undefined && request.encoding !== '') {
    body.append('encoding', request.encoding);
  }
  if (request.sheet !== undefined && request.sheet !== '') {
    body.append('sheet', request.sheet);
  }
  if (request.corrects !== undefined) {
    body.append('corrects', String(request.corrects));
  }
  // The file last: the platform reads the fields before the file's bytes.
  body.append('file', request.file, request.file.name);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/ingest/batches');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept-language', currentLocale());
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        onProgress(e.loaded, e.total);
      }
    };
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed !== undefined) {
        resolve({ data: parsed as Batch });
        return;
      }
      const error =
        typeof parsed === 'object' && parsed !== null && 'message' in parsed
          ? (parsed as ApiError)
          : {
              error: String(xhr.status),
              message: i18n.global.t('clerk.upload.failedStatus', { status: xhr.status }),
            };
      if (xhr.status === 401) {
        // The session ended: the same as the `api` client does, sign in and come back.
        window.location.assign(
          `/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`,
        );
      }
      resolve({ error });
    };
    xhr.onerror = () =>
      resolve({ error: { error: 'network', message: i18n.global.t('clerk.upload.network') } });
    xhr.send(body);
  });
}

/**
 * Downloads a batch's rows to correct. Asked through `api` rather than a plain link so that the
 * reasons come in the language the reader chose here, not the browser's.
 */
export async function downloadErrors(batchId: number, format: 'csv' | 'xlsx'): Promise<string | undefined> {
  const { data, error } = await api.GET('/api/ingest/batches/{id}/errors', {
    params: { path: { id: batchId }, query: { format } },
    parseAs: 'blob',
  });
  if (data === undefined) {
    return messageOf(error);
  }
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = `batch-${batchId}-errors.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return undefined;
}
