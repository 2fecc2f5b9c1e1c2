/**
 * Normalisation of a code as departments send it: surrounding spaces, full-width digits from
 * Chinese input methods (９１３５…), lower case, spaces and hyphens inside (7760-4965-3). Each
 * change is reported, so a data clerk sees what the platform altered.
 */
import { msg } from '../../platform/i18n/index.ts';
import type { Change } from './identifiers.types.ts';

export interface Normalized {
  normalized: string;
  changes: Change[];
  /** True when the result has only digits and capital letters: nothing else to inspect. */
  plain: boolean;
}

const NO_CHANGES: Change[] = [];
/** Each change's explanation, one object each: shared by every result, rendered once a language. */
const CHANGED = {
  trim: msg('identifiers.change.trim'),
  nfkc: msg('identifiers.change.nfkc'),
  upper_case: msg('identifiers.change.upper_case'),
  inner_space: msg('identifiers.change.inner_space'),
  hyphen: msg('identifiers.change.hyphen'),
} as const;
Object.freeze(NO_CHANGES);

/** Hyphens and dashes that appear inside codes (after NFKC, ｰ and － are already '-'). */
const DASHES = /[-\u2010-\u2015\u2212]/g;
/** Only spaces (NFKC has already made U+3000 and U+00A0 plain spaces): a tab, CR or LF inside a
 * code is a control character, reported as such rather than removed. */
const SPACES = / +/g;

export function isPlainCode(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) {
      return false;
    }
  }
  return true;
}

export function normalizeCode(input: string): Normalized {
  if (isPlainCode(input)) {
    return { normalized: input, changes: NO_CHANGES, plain: true };
  }
  const changes: Change[] = [];
  let value = input.trim();
  if (value !== input) {
    changes.push({ rule: 'trim', message: CHANGED.trim });
  }
  const nfkc = value.normalize('NFKC');
  if (nfkc !== value) {
    changes.push({ rule: 'nfkc', message: CHANGED.nfkc });
    value = nfkc;
  }
  const upper = value.toUpperCase();
  if (upper !== value) {
    changes.push({ rule: 'upper_case', message: CHANGED.upper_case });
    value = upper;
  }
  const unspaced = value.replace(SPACES, '');
  if (unspaced !== value) {
    changes.push({ rule: 'inner_space', message: CHANGED.inner_space });
    value = unspaced;
  }
  const unhyphenated = value.replace(DASHES, '');
  if (unhyphenated !== value) {
    changes.push({ rule: 'hyphen', message: CHANGED.hyphen });
    value = unhyphenated;
  }
  return { normalized: value, changes, plain: isPlainCode(value) };
}
