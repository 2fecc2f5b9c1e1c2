/**
 * Masking (脱敏): the one place personal identifiers and names are hidden before they leave the
 * platform. Catalog items name a rule per personal field; these are the rules.
 */
import { createRequire } from 'node:module';

export type MaskRule =
  | { kind: 'citizen_id' }
  | { kind: 'name' }
  | { kind: 'keep'; first: number; last: number }
  | { kind: 'full' }
  | { kind: 'none' };

const MASK = '*';
const require = createRequire(import.meta.url);
const COMPOUND_SURNAMES = new Set(
  (require('./data/compound-surnames.json') as { surnames: string[] }).surnames,
);
/** The interpunct in transcribed names (买买提·艾力), and look-alikes that data entry produces. */
const NAME_SEPARATORS = /[·•・‧∙.．]/;

/** Keeps `first` characters at the start and `last` at the end; masks the rest (never less than one). */
export function keepEnds(value: string, first: number, last: number): string {
  const chars = [...value];
  if (chars.length <= first + last) {
    // Too short to keep anything without showing all of it: keep the first character at most.
    return chars.length <= 1 ? MASK : chars[0] + MASK.repeat(chars.length - 1);
  }
  return (
    chars.slice(0, first).join('') +
    MASK.repeat(chars.length - first - last) +
    chars.slice(chars.length - last).join('')
  );
}

/** A citizen ID keeps its first 6 (the division) and last 4 characters: 110105********002X. */
export function maskCitizenId(value: string): string {
  return keepEnds(value, 6, 4);
}

/** Keeps the first `keep` characters of a part; a part no longer than that is masked whole. */
function maskNamePart(part: string, keep: number): string {
  const chars = [...part];
  if (chars.length <= keep) {
    return MASK.repeat(chars.length);
  }
  return chars.slice(0, keep).join('') + MASK.repeat(chars.length - keep);
}

/**
 * A person's name keeps the surname: 张* , 张** , 欧阳** for a compound surname. Names written
 * with an interpunct (transcribed names) keep the first character of each part: 买**·艾*.
 * A name of Latin words keeps each word's initial: J*** S****.
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) {
    return '';
  }
  if (NAME_SEPARATORS.test(trimmed)) {
    return trimmed
      .split(NAME_SEPARATORS)
      .map((part) => maskNamePart(part.trim(), 1))
      .join('·');
  }
  if (/^[\p{Script=Latin}\s'-]+$/u.test(trimmed)) {
    return trimmed
      .split(/\s+/)
      .map((word) => maskNamePart(word, 1))
      .join(' ');
  }
  const chars = [...trimmed];
  if (chars.length === 1) {
    return MASK;
  }
  const surname = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return chars.slice(0, surname).join('') + MASK.repeat(chars.length - surname);
}

/** Applies a catalog masking rule to a value. */
export function applyMask(value: string, rule: MaskRule): string {
  switch (rule.kind) {
    case 'citizen_id':
      return maskCitizenId(value);
    case 'name':
      return maskName(value);
    case 'keep':
      return keepEnds(value, rule.first, rule.last);
    case 'full':
      return MASK.repeat(Math.max(1, [...value].length));
    case 'none':
      return value;
  }
}
