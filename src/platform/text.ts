/**
 * Text PostgreSQL cannot store. A NUL (U+0000) is refused by `text` and by `jsonb` alike, and a
 * lone surrogate (half of a UTF-16 pair, e.g. `\ud800` in JSON) is not Unicode at all: encoded as
 * UTF-8 it becomes bytes PostgreSQL rejects, and `jsonb` refuses its escape. Either one reaching
 * SQL fails the whole statement, so every place a client can put text checks it first.
 */
import { msg, render, type Message } from './i18n/index.ts';

export type TextRule = 'text.nul' | 'text.lone_surrogate';

export interface TextProblem {
  rule: TextRule;
  /** One-based position of the first offending UTF-16 unit. */
  position: number;
  /** The problem in words, for a person: which character and where (in English; `reason`: in any language). */
  message: string;
  reason: Message;
}

function problem(rule: TextRule, position: number, reason: Message): TextProblem {
  return { rule, position, message: render('en', reason), reason };
}

// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const NUL_OR_SURROGATE = /[\u0000\ud800-\udfff]/;

/** The first character of `value` that cannot be stored, or undefined when all of it can. */
export function textProblem(value: string): TextProblem | undefined {
  // The common case costs one regular-expression test: most text has neither.
  if (!NUL_OR_SURROGATE.test(value)) {
    return undefined;
  }
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c === 0) {
      return problem('text.nul', i + 1, msg('errors.text.nul', { position: i + 1 }));
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1; // a proper pair: one character outside the Basic Multilingual Plane
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const hex = `U+${c.toString(16).toUpperCase()}`;
      return problem(
        'text.lone_surrogate',
        i + 1,
        msg('errors.text.lone_surrogate', { code: hex, position: i + 1 }),
      );
    }
  }
  return undefined;
}

/** `value` with every character that cannot be stored replaced by U+FFFD, so it can be kept and shown. */
export function storableText(value: string): string {
  return NUL_OR_SURROGATE.test(value) ? value.replaceAll('\u0000', '\uFFFD').toWellFormed() : value;
}

export interface BadText extends TextProblem {
  /** Dotted path to the offending key or value; a key is named as the path of its object. */
  field: string;
  /** The offending text, made storable (and so printable). */
  value: string;
  /** Whether the problem is in a key of an object rather than in a value. */
  inKey: boolean;
}

const MAX_DEPTH = 64;

/**
 * The first string in `input` — a value or a key, at any depth of objects and arrays — that
 * cannot be stored, with its path; undefined when there is none. Anything nested deeper than
 * MAX_DEPTH is reported as it is (a body that deep is refused by the schema anyway, and a
 * recursion without bound would let a client exhaust the stack).
 */
export function findBadText(input: unknown, path: readonly string[] = []): BadText | undefined {
  if (typeof input === 'string') {
    const problem = textProblem(input);
    return problem === undefined
      ? undefined
      : { ...problem, field: path.join('.'), value: storableText(input), inKey: false };
  }
  if (input === null || typeof input !== 'object' || path.length > MAX_DEPTH) {
    return undefined;
  }
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i += 1) {
      const found = findBadText(input[i], [...path, String(i)]);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  for (const [key, value] of Object.entries(input)) {
    const problem = textProblem(key);
    if (problem !== undefined) {
      return { ...problem, field: path.join('.'), value: storableText(key), inKey: true };
    }
    const found = findBadText(value, [...path, key]);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe inside HTML, in an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
