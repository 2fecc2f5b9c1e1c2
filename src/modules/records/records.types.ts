/** The words of a record's life: its status, and what a repair did to it. */

export type RecordStatus = 'active' | 'under_objection' | 'corrected' | 'revoked' | 'repaired';
/** What a repair did to the record: the catalog's own words (REPAIR_OUTCOMES). */
export type { RepairOutcome } from '../catalog/index.ts';
