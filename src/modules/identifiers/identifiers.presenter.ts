import { LOCALES, render, type Locale, type Message } from '../../platform/i18n/index.ts';
import type {
  Check,
  IdentifierValidation,
  PresentedCheck,
  PresentedValidation,
} from './identifiers.types.ts';

/**
 * Explanations already rendered, by locale. Most checks are shared objects built once (a check
 * character that is right, a division in the list), so their messages are too: a batch of a
 * thousand codes renders each of them once, not once a code.
 */
const rendered = new Map<Locale, WeakMap<Message, string>>(LOCALES.map((l) => [l, new WeakMap()]));

function text(locale: Locale, message: Message): string {
  const cache = rendered.get(locale);
  let known = cache?.get(message);
  if (known === undefined) {
    known = render(locale, message);
    cache?.set(message, known);
  }
  return known;
}

/** `check` with its explanation in `locale`. */
export function presentCheck(locale: Locale, check: Check): PresentedCheck {
  return { name: check.name, result: check.result, message: text(locale, check.message) };
}

/**
 * The validation as it leaves the platform: the listed fields only, every explanation in `locale`.
 * Parts never carry a citizen ID's birth date or sex (validate() does not produce them); this copy
 * keeps it that way.
 */
export function presentValidation(v: IdentifierValidation, locale: Locale): PresentedValidation {
  return {
    input: v.input,
    normalized: v.normalized,
    changes: v.changes.map((c) => ({ rule: c.rule, message: text(locale, c.message) })),
    kind: v.kind,
    valid: v.valid,
    checks: v.checks.map((c) => presentCheck(locale, c)),
    parts: v.parts,
    alternatives: v.alternatives.map((a) => ({
      kind: a.kind,
      checks: a.checks.map((c) => presentCheck(locale, c)),
    })),
  };
}
