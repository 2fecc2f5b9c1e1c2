/**
 * The application's languages: Chinese by default, English on request (remembered in the browser).
 * Its own words are in zh-CN.json and en.json; what the platform says (errors, reasons) comes from
 * the API in the language each request asks for.
 */
import { createI18n } from 'vue-i18n';
import en from './en.json';
import zhCN from './zh-CN.json';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

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
