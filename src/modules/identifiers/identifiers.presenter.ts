import type { IdentifierValidation } from './identifiers.types.ts';

/**
 * The validation as it leaves the platform: the listed fields only. Parts never carry a citizen
 * ID's birth date or sex (validate() does not produce them); this copy keeps it that way.
 */
export function presentValidation(v: IdentifierValidation): IdentifierValidation {
  return {
    input: v.input,
    normalized: v.normalized,
    changes: v.changes,
    kind: v.kind,
    valid: v.valid,
    checks: v.checks,
    parts: v.parts,
    alternatives: v.alternatives,
  };
}
