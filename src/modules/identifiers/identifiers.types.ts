import type { Message } from '../../platform/i18n/index.ts';

/** The kinds of code the platform recognises; `unknown` when a value fits none. */
export const IDENTIFIER_KINDS = [
  'uscc',
  'org_code',
  'reg_no15',
  'taxpayer_id15',
  'institution_cert12',
  'citizen_id',
  'citizen_id15',
  'unknown',
] as const;

export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export type CheckResult = 'ok' | 'warn' | 'fail';

/**
 * One rule applied to a value, with its outcome explained. The explanation is a message of the
 * catalogue, rendered in the reader's language when the result is presented (`presentValidation`):
 * validating stays as fast as building a string.
 */
export interface Check {
  name: string;
  result: CheckResult;
  message: Message;
}

/** A change normalisation made to the input. */
export interface Change {
  rule: 'trim' | 'nfkc' | 'upper_case' | 'inner_space' | 'hyphen';
  message: Message;
}

/** The parts a code is made of; names depend on the kind. Values are null where unknown. */
export type Parts = Record<string, string | null>;

export interface KindResult {
  kind: IdentifierKind;
  checks: Check[];
  parts: Parts;
}

export interface IdentifierValidation {
  input: string;
  normalized: string;
  changes: Change[];
  kind: IdentifierKind;
  /** True when no check failed (warnings allowed). */
  valid: boolean;
  checks: Check[];
  parts: Parts;
  /** Other kinds the value is also valid as, when it fits more than one. */
  alternatives: Array<{ kind: IdentifierKind; checks: Check[] }>;
}

export const ok = (name: string, message: Message): Check => ({ name, result: 'ok', message });
export const warn = (name: string, message: Message): Check => ({ name, result: 'warn', message });
export const fail = (name: string, message: Message): Check => ({ name, result: 'fail', message });

/** A check as it leaves the platform: its explanation in the reader's language. */
export interface PresentedCheck {
  name: string;
  result: CheckResult;
  message: string;
}

/** A validation as it leaves the platform, every explanation in the reader's language. */
export interface PresentedValidation {
  input: string;
  normalized: string;
  changes: Array<{ rule: Change['rule']; message: string }>;
  kind: IdentifierKind;
  valid: boolean;
  checks: PresentedCheck[];
  parts: Parts;
  alternatives: Array<{ kind: IdentifierKind; checks: PresentedCheck[] }>;
}
