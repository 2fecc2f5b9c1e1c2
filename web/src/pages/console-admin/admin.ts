/**
 * What the administrator's pages share: loading a list from the API (with its error in the
 * reader's language), dates as the reader reads them, a guard that lets only the right roles in,
 * and a confirmation that says exactly what an action will do before it is done.
 */
import { onMounted, ref, shallowRef, type Ref } from 'vue';
import { ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message-box/style/css';
import { messageOf } from '../../api/client';
import { currentLocale, i18n } from '../../i18n';

export interface Loaded<T> {
  data: Ref<T | undefined>;
  error: Ref<string>;
  loading: Ref<boolean>;
  reload: () => Promise<void>;
}

/** Loads once on mount (and again on `reload`): the data, or the API's message. */
export function useLoad<T>(fetch: () => Promise<{ data?: T; error?: unknown }>): Loaded<T> {
  const data = shallowRef<T | undefined>();
  const error = ref('');
  const loading = ref(true);
  async function reload(): Promise<void> {
    loading.value = true;
    try {
      const answer = await fetch();
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
  onMounted(reload);
  return { data, error, loading, reload };
}

/** A moment, in Beijing time, as the reader's language writes it. */
export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) {
    return '';
  }
  return new Intl.DateTimeFormat(currentLocale(), {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** A ratio as a percentage with one decimal, or a dash when there is none. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
}

/**
 * Asks before an action: what it will do, in a dialog the keyboard can answer (Enter confirms,
 * Escape cancels). True when confirmed.
 */
export async function confirmAction(title: string, message: string, confirm: string): Promise<boolean> {
  const t = i18n.global.t;
  try {
    await ElMessageBox.confirm(message, title, {
      confirmButtonText: confirm,
      cancelButtonText: t('admin.common.cancel'),
      type: 'warning',
      autofocus: true,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * A term of a vocabulary (`admin.levels.county`), or nothing for a missing value: a table renders
 * its cells once without a row while it measures its columns.
 */
export function term(prefix: string, value: unknown): string {
  return typeof value === 'string' && value !== '' ? i18n.global.t(`${prefix}.${value}`) : '';
}
