/** The words of the objection procedure, and its defaults with their sources. */
import type { AttachmentInput, AttachmentType } from '../../platform/index.ts';
import type { MessageKey } from '../../platform/index.ts';
import { DEFAULT_OBJECTION_WORKING_DAYS } from '../catalog/index.ts';

/** Working days the department has to verify and decide, unless the catalog item sets its own. */
export const OBJECTION_WORKING_DAYS = DEFAULT_OBJECTION_WORKING_DAYS;

/**
 * Calendar days after filing when an open case is overdue and listed for the platform
 * administrator: the 20 days of 征信业管理条例 Art. 25, used as a reference.
 */
export const OBJECTION_OVERDUE_DAYS = 20;

/** What the subject may do if it disagrees with the outcome: told with every decision. */
export const REMEDIES: readonly MessageKey[] = ['objections.remedy.review', 'objections.remedy.litigation'];

export interface FileRequest {
  recordId: number;
  reasons: string;
  attachments?: readonly AttachmentInput[];
  /** The service desk files for a subject: its code, and how the application was received. */
  forSubject?: { code: string; receivedAs: 'written' | 'window' };
}

export interface DecideRequest {
  outcome: 'upheld' | 'rejected';
  /** The reasons of the decision, told to the subject. */
  decision: string;
  /**
   * Upheld: the record revoked, or its fields corrected (the corrected record becomes its next
   * version). A list entry leaves its list instead, by its case's removal step.
   */
  correction?: { revoke: true } | { fields: Record<string, string> };
  /** Upheld on a list entry: the number of the removal decision document. */
  documentNumber?: string;
}

export interface ObjectionView {
  id: number;
  recordId: number;
  item: string;
  subject: { id: number; name: string };
  department: string;
  status: 'open' | 'upheld' | 'rejected';
  priorStatus: string;
  reasons: string;
  filedBy: string;
  filedVia: 'account' | 'service_desk';
  receivedAs: 'written' | 'window' | null;
  filedOn: string;
  dueOn: string;
  overdueOn: string;
  /** Open past its overdue day (20 calendar days after filing). */
  overdue: boolean;
  /** Open past the department's deadline in working days. */
  pastDue: boolean;
  outcome: 'corrected' | 'revoked' | 'removed' | 'rejected' | null;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  resultRecordId: number | null;
  attachments: Array<{ sha256: string; fileName: string; mediaType: AttachmentType; bytes: number }>;
  /**
   * The record objected to, as it stands now: in the answer for one objection, for whoever may read
   * the department's records (its reviewer, the auditor); personal values masked.
   */
  record?: ObjectedRecord;
}

export interface ObjectedRecord {
  status: string;
  decisionDate: string | null;
  documentNumber: string;
  /** The record's fields by their key in the catalog item (what a correction names). */
  fields: Array<{ key: string; value: string }>;
  /** The designation case whose list entry the record is: an upheld objection removes it. */
  listCase: number | null;
}
