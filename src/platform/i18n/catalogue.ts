/**
 * The message catalogue, one JSON file per locale in vue-i18n's message syntax (named
 * interpolation `{field}`), so that the web application imports the same files. Rendered here with
 * @intlify/core-base, the engine under vue-i18n.
 */
import {
  compile,
  createCoreContext,
  fallbackWithSimple,
  registerLocaleFallbacker,
  registerMessageCompiler,
  registerMessageResolver,
  resolveValue,
  translate,
  type CoreOptions,
  type LocaleMessage,
} from '@intlify/core-base';
import en from './messages/en.json' with { type: 'json' };
import zhCN from './messages/zh-CN.json' with { type: 'json' };
import type { Locale } from './locale.ts';

// core-base leaves its compiler, resolver and fallbacker to be chosen (vue-i18n registers these).
registerMessageCompiler(compile);
registerMessageResolver(resolveValue);
registerLocaleFallbacker(fallbackWithSimple);

/** Every locale's messages, the same keys in each (a test holds them to it). */
export const MESSAGES: Readonly<Record<Locale, MessageTree>> = { 'zh-CN': zhCN, en };

export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}`;
}[keyof T & string];

/** A key of the catalogue, dotted: `http.body_size`. */
export type MessageKey = Paths<typeof zhCN>;

/** Values for a message's named placeholders. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** A message by its key, to be rendered in whichever language the reader asked for. */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

const options: CoreOptions<string> = {
  locale: 'zh-CN',
  // A key missing in one locale is a defect the catalogue's test catches; nothing is filled in.
  fallbackLocale: false,
  messages: MESSAGES,
  missingWarn: false,
  fallbackWarn: false,
  // The messages are plain text, never HTML: nothing to warn about or escape.
  warnHtmlMessage: false,
};
// Typed with a fixed locale (not a detector function), as `translate` takes it.
const context = createCoreContext<
  string,
  CoreOptions<string>,
  Record<Locale, LocaleMessage>,
  never,
  never,
  string
>(options);

/** The message `key` in `locale`, its placeholders filled from `params`. */
export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  return String(translate(context, key, { ...params }, { locale }));
}

/** `message` rendered in `locale`. */
export function render(locale: Locale, message: Message): string {
  return t(locale, message.key, message.params);
}
