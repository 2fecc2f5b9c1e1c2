/**
 * The application's languages: Chinese by default, English on request (remembered in the browser).
 * Its own words are in `zh-CN/*.json` and `en/*.json`, one file per area of the application whose
 * top-level keys are merged (a key defined twice is an error at start); the platform's own
 * catalogue (`src/platform/i18n/messages`, the server's words for tiers, statuses and rules) is
 * shared under `platform.<namespace>`. What the platform says in answers (errors, reasons) comes
 * from the API in the language each request asks for.
 */
import { createI18n } from 'vue-i18n';
import catalogEn from '../../../src/platform/i18n/messages/en/catalog.json';
import catalogZh from '../../../src/platform/i18n/messages/zh-CN/catalog.json';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

interface Messages {
  [key: string]: string | Messages;
}

function merge(files: Record<string, Messages>, shared: Messages): Messages {
  const messages: Messages = { platform: shared };
  for (const [path, file] of Object.entries(files)) {
    for (const [key, value] of Object.entries(file)) {
      if (key in messages) {
        throw new Error(`${path}: message key ${key} is defined twice`);
      }
      messages[key] = value;
    }
  }
  return messages;
}

const zhCN = merge(import.meta.glob<Messages>('./zh-CN/*.json', { eager: true, import: 'default' }), {
  catalog: catalogZh,
});
const en = merge(import.meta.glob<Messages>('./en/*.json', { eager: true, import: 'default' }), {
  catalog: catalogEn,
});

function initial(): Locale {
  const saved = globalThis.localStorage?.getItem('xinyong.locale');
  return saved === 'en' ? 'en' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initial(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  globalThis.localStorage?.setItem('xinyong.locale', locale);
  document.documentElement.lang = locale;
}
