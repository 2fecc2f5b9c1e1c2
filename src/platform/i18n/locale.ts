/**
 * The languages the platform speaks, and which one a caller asked for. A leaf with no imports, so
 * that the command line can choose its language before it loads the catalogue.
 */

/** Chinese first (the platform's users are Chinese administrations and the Chinese public), English available. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** What the platform speaks when nobody asked for a language (XINYONG_LANG overrides it). */
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale a language tag asks for, by its primary subtag: any Chinese (zh, zh-CN, zh-Hans, also
 * zh-TW: simplified Chinese is closer than English) is zh-CN, any English is en; undefined otherwise.
 */
export function localeOfTag(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'zh') {
    return 'zh-CN';
  }
  return primary === 'en' ? 'en' : undefined;
}

/**
 * The locale an `Accept-Language` header asks for: its tags in order of their q-values (a tag with
 * q=0 is refused), the first the platform speaks; `fallback` when none is, or there is no header.
 */
export function negotiate(
  header: string | readonly string[] | undefined,
  fallback: Locale = DEFAULT_LOCALE,
): Locale {
  const text = header === undefined ? '' : typeof header === 'string' ? header : header.join(',');
  const ranges = text
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.split(';');
      const q = parameters.map((p) => /^\s*q\s*=(.*)$/i.exec(p)?.[1]).find((v) => v !== undefined);
      // No q-value: 1; one that is not a number from 0 to 1 makes the range unusable, not preferred.
      const weight = q === undefined ? 1 : /^\s*[01](\.\d{0,3})?\s*$/.test(q) ? Number(q) : 0;
      return { tag: tag.trim(), weight: Math.min(weight, 1), index };
    })
    .filter((r) => r.tag !== '' && r.weight > 0)
    // Highest q first; equal q-values keep the order the client wrote them in.
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    const locale = localeOfTag(range.tag);
    if (locale !== undefined) {
      return locale;
    }
  }
  return fallback;
}
