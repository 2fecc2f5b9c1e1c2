/** The words of the credit-repair procedure, and its defaults with their sources. */
import type { AttachmentInput, AttachmentType } from '../../platform/index.ts';
import { DEFAULT_REPAIR_WORKING_DAYS } from '../catalog/index.ts';
import type { RepairOutcome } from '../records/index.ts';

/** Working days the determining department has to decide a complete application, unless the item sets its own. */
export const REPAIR_WORKING_DAYS = DEFAULT_REPAIR_WORKING_DAYS;

/** The repair commitment the applicant signs (信用修复承诺书), kept with the application as signed. */
export const REPAIR_COMMITMENT_TEXT =
  '本主体已纠正失信行为、履行相关义务，承诺所提交材料真实有效，今后依法诚信经营，如违反承诺，愿意承担相应法律责任并接受失信惩戒。';

export interface ApplyRequest {
  recordId: number;
  /** What was done: the decision fulfilled, the conduct corrected. */
  statement: string;
  /** The applicant signs the repair commitment: it must be true. */
  commitment: boolean;
  attachments?: readonly AttachmentInput[];
  /** The service desk records an application received in writing or at the window. */
  forSubject?: { code: string; receivedAs: 'written' | 'window' };
}

export type RepairDecision =
  | { action: 'approve'; reasons: string; documentNumber?: string }
  | { action: 'refuse'; reasons: string }
  /** An incomplete application goes back once, with what is missing. */
  | { action: 'return'; reasons: string; missing: string[] };

export interface RepairView {
  id: number;
  recordId: number;
  item: string;
  subject: { id: number; name: string };
  department: string;
  status: 'submitted' | 'returned' | 'approved' | 'refused';
  statement: string;
  commitment: string;
  filedBy: string;
  filedVia: 'account' | 'service_desk';
  receivedAs: 'written' | 'window' | null;
  submittedOn: string;
  dueOn: string;
  pastDue: boolean;
  returnedOnce: boolean;
  missing: string[];
  outcome: RepairOutcome | null;
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  resultRecordId: number | null;
  attachments: Array<{ sha256: string; fileName: string; mediaType: AttachmentType; bytes: number }>;
}
