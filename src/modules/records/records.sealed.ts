/**
 * How a personal value is kept in a record's payload: sealed, that is encrypted, with its masked
 * form beside it (`{ $sealed, masked }`); read here for whoever may see it in clear or masked.
 */
import type { DataProtector } from '../../platform/index.ts';

export function isSealed(value: unknown): value is { $sealed: string; masked: string } {
  return typeof value === 'object' && value !== null && '$sealed' in value;
}

/** The clear value of a stored payload value (for the department's own correction sheet). */
export function unseal(protector: DataProtector, value: unknown): string {
  if (isSealed(value)) {
    return protector.decrypt(String(value.$sealed));
  }
  return typeof value === 'string' ? value : '';
}

/** The masked value of a stored payload value (for anyone else). */
export function masked(value: unknown): string {
  if (isSealed(value)) {
    return value.masked;
  }
  return typeof value === 'string' ? value : '';
}
