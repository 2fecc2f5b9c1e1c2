/**
 * What a department reads of its batches: its listing, one batch's status and counts, and the rows
 * it must correct with their original columns and reasons, every message in the reader's language.
 */
import { NotFoundError, t, type DataProtector, type Locale } from '../../platform/index.ts';
import { authorize, type Actor } from '../auth/index.ts';
import { commitAllowanceMs, masked, STALL_MS, unseal } from '../records/index.ts';
import { shownReason, storedText } from './ingest.reasons.ts';
import type { BatchRow, IngestRepository } from './ingest.repository.ts';

export interface BatchSummary {
  batchId: number;
  /** `interrupted`: staging or validating, and no progress for a minute: the process died. */
  status: BatchRow['status'] | 'interrupted';
  item: string;
  department: string;
  total: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  review: number;
  warnings: number;
  droppedColumns: string[];
  message: string | null;
  /** Rows read so far, and the share of the file read (while it runs). */
  rowsRead: number;
  readFraction: number | null;
  /** The file's name as sent (`api` for records sent as JSON). */
  fileName: string;
  /** When the platform received it. */
  createdAt: string;
  /** The earlier batch whose rows this one corrects, and the later batches that correct this one. */
  corrects: number | null;
  correctedBy: number[];
}

/** A batch's status and counts, its message in `locale`; `correctedBy`: the batches that correct it. */
export function summarize(
  b: BatchRow,
  now = Date.now(),
  locale: Locale = 'en',
  correctedBy: number[] = [],
): BatchSummary {
  // A commit writes no progress until it ends: it is allowed a millisecond a row on top.
  const allowance =
    b.status === 'validated' ? commitAllowanceMs(b.rows_read) : b.status === 'staging' ? STALL_MS : Infinity;
  const stalled = now - b.progress_at.getTime() > allowance;
  return {
    batchId: b.id,
    status: stalled ? 'interrupted' : b.status,
    item: b.item_code,
    department: b.department_code,
    total: b.total,
    accepted: b.accepted,
    rejected: b.rejected,
    duplicates: b.duplicates,
    review: b.review,
    warnings: b.warnings,
    droppedColumns: b.dropped_columns,
    message: stalled
      ? t(locale, 'ingest.batch.interrupted', { since: b.progress_at.toISOString() })
      : b.message === null
        ? null
        : storedText(locale, { message: b.message, ...(b.message_key as object | null) }),
    rowsRead: b.rows_read,
    readFraction: b.read_fraction,
    fileName: b.source_name,
    createdAt: b.created_at.toISOString(),
    corrects: b.corrects_batch_id,
    correctedBy,
  };
}

/** The rows of a batch a department must correct: its original columns, each row's values and reasons. */
export interface ProblemRows {
  batch: BatchSummary;
  headers: string[];
  rows: Array<{ rowNo: number; status: string; values: string[]; reasons: string }>;
}

export class BatchReads {
  constructor(
    private readonly repository: IngestRepository,
    private readonly protector: DataProtector,
  ) {}

  /** A department's batches, newest first, their messages in `locale`. */
  async batches(actor: Actor, department: string, locale: Locale): Promise<BatchSummary[]> {
    authorize(actor, 'record.read', { department }, { hide: true });
    const now = Date.now();
    const batches = await this.repository.batches(department);
    const corrections = await this.repository.correctionsOf(batches.map((b) => b.id));
    return batches.map((b) => summarize(b, now, locale, corrections.get(b.id)));
  }

  /** A batch's status and counts, its message in `locale`. */
  async batch(actor: Actor, id: number, locale: Locale): Promise<BatchSummary> {
    const b = await this.repository.batch(id);
    if (b === undefined) {
      throw new NotFoundError();
    }
    authorize(actor, 'record.read', { department: b.department_code }, { hide: true });
    const corrections = await this.repository.correctionsOf([id]);
    return summarize(b, Date.now(), locale, corrections.get(id));
  }

  /** The rejected and review rows with their original columns and reasons (in `locale`), for correction. */
  async problems(actor: Actor, id: number, locale: Locale): Promise<ProblemRows> {
    const b = await this.repository.batch(id);
    if (b === undefined) {
      throw new NotFoundError();
    }
    authorize(actor, 'record.read', { department: b.department_code }, { hide: true });
    const columns = (b.columns as Array<{ header: string; field: string | null }>).filter(
      (c) => c.field !== null,
    );
    const rows = await this.repository.problemRows(id);
    // Personal values in clear only for the department that sent them (to correct them); masked for
    // anyone else who may read the batch, an auditor included.
    const own =
      actor.kind === 'system' ||
      ((actor.kind === 'user' || actor.kind === 'token') && actor.department?.code === b.department_code);
    const show = own ? (v: unknown) => unseal(this.protector, v) : masked;
    return {
      batch: summarize(b, Date.now(), locale),
      headers: columns.map((c) => c.header),
      rows: rows.map((r) => ({
        rowNo: r.row_no,
        status: t(locale, r.status === 'review' ? 'ingest.row_status.review' : 'ingest.row_status.rejected'),
        values: columns.map((c) => show(r.payload[c.field as string] ?? r.normalized?.[c.field as string])),
        reasons: r.reasons.map((x) => shownReason(locale, x)).join('；'),
      })),
    };
  }
}
