/** The words of a record's life: its status, and what a repair did to it. */

export type RecordStatus = 'active' | 'under_objection' | 'corrected' | 'revoked' | 'repaired';
export type RepairOutcome = 'ended' | 'stopped_sharing' | 'marked' | 'shielded' | 'deleted';
