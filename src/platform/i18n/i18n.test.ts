import { describe, expect, it } from 'vitest';
import { LOCALES, MESSAGES, msg, negotiate, t, type MessageKey, type MessageTree } from './index.ts';

/** Every message of a tree by its dotted key. */
function flatten(tree: MessageTree, prefix = ''): Map<string, string> {
  const messages = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const dotted = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') {
      messages.set(dotted, value);
    } else {
      for (const [k, v] of flatten(value, dotted)) {
        messages.set(k, v);
      }
    }
  }
  return messages;
}

/** The named placeholders of a message (`{field}`), in vue-i18n's syntax. */
function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1] ?? ''))].sort();
}

describe('the message catalogue', () => {
  const catalogues = LOCALES.map((locale) => ({ locale, messages: flatten(MESSAGES[locale]) }));
  const allKeys = [...new Set(catalogues.flatMap((c) => [...c.messages.keys()]))].sort();

  it('has every message in every language, with the same placeholders', () => {
    const problems: string[] = [];
    for (const key of allKeys) {
      const present = catalogues.filter((c) => c.messages.has(key));
      for (const missing of catalogues.filter((c) => !c.messages.has(key))) {
        problems.push(`${key}: missing in ${missing.locale}`);
      }
      const [first, ...others] = present;
      for (const other of others) {
        const a = placeholders(first?.messages.get(key) ?? '');
        const b = placeholders(other.messages.get(key) ?? '');
        if (a.join() !== b.join()) {
          problems.push(
            `${key}: ${first?.locale} has {${a.join('}, {')}}, ${other.locale} has {${b.join('}, {')}}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('renders every message in every language, each placeholder filled', () => {
    for (const { locale, messages } of catalogues) {
      for (const [key, source] of messages) {
        const params = Object.fromEntries(placeholders(source).map((name) => [name, `<${name}>`]));
        const rendered = t(locale, key as MessageKey, params);
        // A message the compiler cannot read comes back as its source, or throws; a bare `|` or `@`
        // would silently become a plural choice or a linked message: the text must come out whole.
        const expected = source
          .replace(/\{\s*'([^']*)'\s*\}/g, '$1')
          .replace(/\{\s*([A-Za-z_]\w*)\s*\}/g, (_, name: string) => `<${name}>`);
        expect(rendered, `${locale} ${key}`).toBe(expected);
        for (const name of Object.keys(params)) {
          expect(rendered, `${locale} ${key}`).toContain(`<${name}>`);
        }
      }
    }
  });

  it('renders a message given as a placeholder value in the same language', () => {
    const cause = msg('errors.rate_limit.public', { max: 60, seconds: 5 });
    expect(t('zh-CN', 'cli.error', { message: cause })).toBe(
      '错误：请求过于频繁：每个客户端每分钟最多 60 次；请在 5 秒后重试',
    );
    expect(t('en', 'cli.error', { message: cause })).toBe(
      'error: too many requests: at most 60 a minute from one client; retry in 5 s',
    );
  });

  it('speaks Chinese and English', () => {
    expect(t('zh-CN', 'errors.not_found')).toBe('未找到，或无权访问');
    expect(t('en', 'errors.not_found')).toBe('Not found or no access');
    expect(t('en', 'cli.database_unreachable', { cause: 'connect ECONNREFUSED' })).toBe(
      'error: the database cannot be reached (connect ECONNREFUSED): is PostgreSQL running, and is DATABASE_URL right?',
    );
  });
});

describe('negotiate', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['fr', 'zh-CN'],
    ['*', 'zh-CN'],
    ['fr, en;q=0.5', 'en'],
    ['en;q=0.8, zh;q=0.9', 'zh-CN'],
    ['zh;q=0.5, en', 'en'],
    ['en;q=0, zh', 'zh-CN'],
    ['en;q=0', 'zh-CN'],
    ['en, zh', 'en'],
    ['de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7', 'en'],
    ['en;q=abc, zh;q=0.1', 'zh-CN'],
  ] as const)('%j → %s', (header, locale) => {
    expect(negotiate(header)).toBe(locale);
  });

  it('falls back to the configured default', () => {
    expect(negotiate(undefined, 'en')).toBe('en');
    expect(negotiate('fr-FR', 'en')).toBe('en');
    expect(negotiate('zh-CN', 'en')).toBe('zh-CN');
    expect(negotiate(['fr', 'en;q=0.3'], 'zh-CN')).toBe('en');
  });
});
