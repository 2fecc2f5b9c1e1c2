/** The words of disclosure: audiences, the facts of a record that decide, and the decision. */
import type { Message } from '../../platform/index.ts';
import type { Category, SubjectKind, Tier } from '../catalog/index.ts';
import type { RecordStatus, RepairOutcome } from '../records/index.ts';

/** Administrative matters a department names when it reads a subject's file (应查必查). */
export const MATTERS = [
  'government_procurement',
  'bidding',
  'subsidy',
  'licensing',
  'hiring',
  'honours',
  'financing',
  'supervision',
  'enforcement',
] as const;
export type Matter = (typeof MATTERS)[number];

export type Audience =
  | { kind: 'public' }
  /** The subject itself (a user acting for it). */
  | { kind: 'subject' }
  /** A government department, for a declared purpose (and, for conditional items, a matter). */
  | { kind: 'department'; department: string; purpose: string; matter?: Matter }
  /** An institution the subject authorised, for the categories it named. */
  | { kind: 'institution'; institution: string; purpose: string; categories: readonly Category[] }
  | { kind: 'auditor' };

/** What of a record decides its disclosure. */
export interface RecordFacts {
  departmentCode: string;
  subjectKind: SubjectKind;
  status: RecordStatus;
  repairOutcome: RepairOutcome | null;
  tier: Tier | null;
  /** The display period of its tier is public (false: shared, not disclosed). */
  displayPublic: boolean;
  decisionDate: string | null;
  /** From this date repair may be applied for. */
  shortestUntil: string | null;
  /** Disclosure ends by itself on this date. */
  longestUntil: string | null;
}

export interface Reason {
  /** The rule, e.g. `display.ended`, `catalog.disclosure`, `personal.no_basis`. */
  rule: string;
  /** Why, in the platform's words: rendered in the reader's language when the file is presented. */
  message: Message;
  basis?: { code: string; title: string; docNumber?: string; article?: string };
}

/** A reason as the reader gets it: its message in the reader's language. */
export type StatedReason = Omit<Reason, 'message'> & { message: string };

/** How a field reaches the audience. */
export type Treatment = 'shown' | 'masked' | 'withheld';

/** Marks shown with a record to whoever sees it. */
export type Mark = 'under_objection' | 'corrected' | 'repaired';

export interface Decision {
  /** `full`: every field as stored; `masked`: personal fields masked or withheld; `hidden`: not shown. */
  visibility: 'full' | 'masked' | 'hidden';
  /** Why: the rule (and basis) that decided, first. */
  reasons: Reason[];
  marks: Mark[];
  /** Per field of the item: how it is shown, and the rule (empty when hidden). */
  fields: Record<string, { treatment: Treatment; rule: string }>;
  /** Repair: whether the item allows it, from when, and whether the subject may apply today. */
  /** Whether the subject may apply for repair now, from when, or why never (records' repairEligibility). */
  repair: {
    repairable: boolean;
    from: string | null;
    eligible: boolean;
    verdict: 'eligible' | 'not_yet' | 'never';
    rule: string;
    message: Message;
  };
  /** The date disclosure ends by itself (null: no end), and whether it has. */
  displayEnds: string | null;
  displayEnded: boolean;
  /** For the subject and an auditor: whether the public sees the record, and why. */
  publicView?: { shown: boolean; reason: Reason };
}
