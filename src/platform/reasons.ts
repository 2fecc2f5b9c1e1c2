/**
 * Why input was refused, in the reader's language. zod keeps an issue's reason as one string, so a
 * schema's own reasons are written in the catalogue and handed to zod as their English text (what
 * `err.message` and the logs read); the error finds the message again by that text. zod's own
 * words (`Too small: …`) come from zod's locale of the reader's language.
 */
import { z } from 'zod';
import { msg, render, type Locale, type Message, type MessageKey, type MessageParams } from './i18n/index.ts';

/** Words rendered for whichever language is asked for. */
export type Wording = (locale: Locale) => string;

/** A reason: written once (a schema's words not in the catalogue), a message, or zod's own words. */
export type Reason = string | Message | Wording;

/** `reason` in `locale`. */
export function reasonIn(locale: Locale, reason: Reason): string {
  return typeof reason === 'string'
    ? reason
    : typeof reason === 'function'
      ? reason(locale)
      : render(locale, reason);
}

// English text → the message it was rendered from. Filled as schemas are defined, so it holds a
// fixed set; a reason that varies with the input travels in the issue's params (reasonIssue).
const byEnglish = new Map<string, Message>();

/**
 * A schema's reason from the catalogue, as zod takes it: `.regex(re, reason('auth.reason.org_code'))`.
 * Call it where the schema is defined, never once per input.
 */
export function reason(key: MessageKey, params?: MessageParams): string {
  const message = msg(key, params);
  const english = render('en', message);
  if (!byEnglish.has(english)) {
    byEnglish.set(english, message);
  }
  return english;
}

/**
 * A refinement's reason that depends on the input, as zod takes it:
 * `ctx.addIssue({ code: 'custom', path, ...reasonIssue(msg('…', { date })) })` or
 * `.refine(ok, reasonIssue(msg('…')))`.
 */
export function reasonIssue(message: Message): { message: string; params: { reason: Message } } {
  return { message: render('en', message), params: { reason: message } };
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

const ZOD_LOCALES: Readonly<Record<Locale, z.core.$ZodErrorMap>> = {
  'zh-CN': z.locales.zhCN().localeError,
  en: z.locales.en().localeError,
};

function zodWords(locale: Locale, issue: z.core.$ZodIssue): string | undefined {
  const said = ZOD_LOCALES[locale](issue as unknown as z.core.$ZodRawIssue);
  return typeof said === 'string' ? said : said?.message;
}

/**
 * Text and lists too short or too long, said as a form says it ("must not be empty", "at most 4000
 * characters") rather than in zod's words about types.
 */
function lengthReason(issue: z.core.$ZodIssue): Message | undefined {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') {
    return undefined;
  }
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (issue.code === 'too_small') {
      return bound <= 1 ? msg('errors.length.empty') : msg('errors.length.min', { min: bound });
    }
    return msg('errors.length.max', { max: bound });
  }
  if (issue.origin === 'array') {
    return issue.code === 'too_small'
      ? msg('errors.length.items_min', { min: bound })
      : msg('errors.length.items_max', { max: bound });
  }
  return undefined;
}

/**
 * The reason of a zod issue, in any language: the catalogue's message when the schema gave one,
 * zod's own words in each language when the schema gave none, else the schema's string as written.
 * `issue.input` must be the value the issue is about (parse with `reportInput`): zod's words name
 * its type.
 */
export function issueReason(issue: z.core.$ZodIssue): Reason {
  const params = (issue as { params?: Record<string, unknown> }).params;
  if (issue.code === 'custom' && isMessage(params?.reason)) {
    return params.reason;
  }
  const registered = byEnglish.get(issue.message);
  if (registered !== undefined) {
    return registered;
  }
  if (zodWords('en', issue) !== issue.message) {
    return issue.message;
  }
  const length = lengthReason(issue);
  if (length !== undefined) {
    return length;
  }
  // Rendered now: the issue holds the input, which may be a secret, and the error outlives it.
  const words = { 'zh-CN': zodWords('zh-CN', issue) ?? issue.message, en: issue.message };
  return (locale) => words[locale];
}
