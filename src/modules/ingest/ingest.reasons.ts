/**
 * Why a row was refused, sent to review or warned about, as the platform keeps it: in the jsonb of
 * its batch_row, each reason with its message's key and values, so that whoever reads it later (the
 * data clerk downloading the rows to correct, a reviewer) reads it in their own language; and with
 * its English text beside them, which is all that rows stored before messages had keys carry.
 */
import {
  MESSAGES,
  msg,
  render,
  t,
  type Locale,
  type Message,
  type MessageKey,
  type MessageParams,
  type MessageTree,
} from '../../platform/i18n/index.ts';

/** A reason as validation gives it: the field, the value and the rule, and the message explaining it. */
export interface Reason {
  field: string;
  column: string;
  value: string;
  rule: string;
  message: Message;
}

/** A reason as batch_row keeps it. */
export interface StoredReason {
  field: string;
  column: string;
  value: string;
  rule: string;
  /** The message in English: for whoever reads the table, and for rows stored before keys. */
  message: string;
  key?: string;
  params?: MessageParams;
}

/**
 * English texts already rendered, by their message as JSON. The same few reasons repeat from row to
 * row (a column a department always fills wrongly, a code written with hyphens): rendering each
 * again would cost more than validating the row.
 */
const english = new Map<string, string>();

function inEnglish(message: Message): string {
  const id = JSON.stringify(message);
  let text = english.get(id);
  if (text === undefined) {
    if (english.size >= 10_000) {
      english.clear();
    }
    text = render('en', message);
    english.set(id, text);
  }
  return text;
}

/** A reason as stored: its message by key and values, and in English. */
export function storedReason(reason: Reason, value = reason.value): StoredReason {
  return {
    field: reason.field,
    column: reason.column,
    value,
    rule: reason.rule,
    message: inEnglish(reason.message),
    key: reason.message.key,
    params: reason.message.params ?? {},
  };
}

/** Several messages as one, in order (`a; b; c` in English). */
export function joined(messages: readonly Message[]): Message | undefined {
  const [first, ...rest] = messages;
  if (first === undefined) {
    return undefined;
  }
  const tail = joined(rest);
  return tail === undefined ? first : msg('ingest.reason.list', { first, rest: tail });
}

/** True when `key` names a message of every language's catalogue. */
function isKey(key: string): key is MessageKey {
  return Object.values(MESSAGES).every((tree) => {
    let node: MessageTree | string | undefined = tree;
    for (const part of key.split('.')) {
      node = typeof node === 'object' ? node[part] : undefined;
    }
    return typeof node === 'string';
  });
}

/**
 * A message read back from the database, or undefined when it names a key the catalogue no longer
 * has (or values of another shape): its English text is then what is left of it.
 */
function messageOf(key: unknown, params: unknown): Message | undefined {
  if (typeof key !== 'string' || !isKey(key)) {
    return undefined;
  }
  if (params === undefined || params === null) {
    return { key };
  }
  if (typeof params !== 'object' || Array.isArray(params)) {
    return undefined;
  }
  const values: Record<string, string | number | Message> = {};
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') {
      values[name] = value;
      continue;
    }
    const nested =
      value !== null && typeof value === 'object'
        ? messageOf((value as { key?: unknown }).key, (value as { params?: unknown }).params)
        : undefined;
    if (nested === undefined) {
      return undefined;
    }
    values[name] = nested;
  }
  return { key, params: values };
}

/** What batch_row or batch keeps of a message: its key and values, its English text, or both. */
export interface StoredText {
  message?: unknown;
  key?: unknown;
  params?: unknown;
}

/** A stored message in `locale`: rendered from its key when it has one the catalogue knows, else its English. */
export function storedText(locale: Locale, stored: StoredText): string {
  const message = messageOf(stored.key, stored.params);
  if (message !== undefined) {
    return render(locale, message);
  }
  return typeof stored.message === 'string' ? stored.message : '';
}

/** A stored reason in `locale`, with its column and rule: `行政相对人名称: … [required]`. */
export function shownReason(
  locale: Locale,
  stored: StoredText & { column?: unknown; rule?: unknown },
): string {
  const message = storedText(locale, stored);
  const rule = typeof stored.rule === 'string' ? stored.rule : '';
  const column = typeof stored.column === 'string' ? stored.column : '';
  return column === ''
    ? t(locale, 'ingest.reason.shown_row', { message, rule })
    : t(locale, 'ingest.reason.shown', { column, message, rule });
}

/**
 * A message's English text with SQL `format()` placeholders (`%1$s`, `%2$s` …) for the values
 * named, in that order: for reasons a statement builds from the rows it updates.
 */
export function sqlFormat(key: MessageKey, names: readonly string[]): string {
  const marks = Object.fromEntries(names.map((name, i) => [name, `\uE000${i + 1}\uE000`]));
  return t('en', key, marks)
    .replaceAll('%', '%%')
    .replace(/\uE000(\d+)\uE000/g, (_, n: string) => `%${n}$s`);
}
