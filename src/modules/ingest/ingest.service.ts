/**
 * Collection's service, the one door the routes, the command line and the jobs use: a batch's run
 * from a department's file to committed records (ingest.run.ts), the department's column headings
 * and corrections (ingest.corrections.ts), and what it reads of its batches (ingest.batches.ts).
 */
import { todayInShanghai, WorkingDayCalendar } from '../../platform/calendar/index.ts';
import type { AuditWriter, DataProtector, Locale } from '../../platform/index.ts';
import type { Database } from '../../platform/db/index.ts';
import { authorize, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { BatchReads, type BatchSummary, type ProblemRows } from './ingest.batches.ts';
import { Corrections } from './ingest.corrections.ts';
import type { OpenOptions } from './ingest.parsers.ts';
import { IngestRepository } from './ingest.repository.ts';
import { purgeAbandonedBatches, type PurgeResult } from './ingest.retention.ts';
import { BatchRun, type IngestRequest } from './ingest.run.ts';

export { summarize, type BatchSummary } from './ingest.batches.ts';
export { BatchFailedError, type IngestRequest, type Progress } from './ingest.run.ts';

export class IngestService {
  private readonly runs: BatchRun;
  private readonly corrections: Corrections;
  private readonly reads: BatchReads;

  private readonly repository: IngestRepository;
  constructor(
    private readonly database: Database,
    private readonly audit: AuditWriter,
    catalog: CatalogService,
    protector: DataProtector,
    calendar: () => WorkingDayCalendar = () => new WorkingDayCalendar(),
    today: () => string = () => todayInShanghai(),
  ) {
    const repository = new IngestRepository(database.db, database.bulkInsert);
    this.repository = repository;
    this.corrections = new Corrections(database.db, audit, catalog, repository);
    this.runs = new BatchRun(
      database.db,
      repository,
      audit,
      catalog,
      protector,
      this.corrections,
      calendar,
      today,
    );
    this.reads = new BatchReads(repository, protector);
  }

  /**
   * Purges the staged rows of batches abandoned `days` days ago or more (the platform's retention
   * rule; the platform itself or its administrator runs it). One audit event.
   */
  async purgeAbandoned(actor: Actor, days: number): Promise<PurgeResult> {
    authorize(actor, 'audit.manage');
    return purgeAbandonedBatches(this.database.db, this.audit, days);
  }

  /** Ingests a file: CSV, XLSX or JSON Lines. */
  ingestFile(
    actor: Actor,
    request: IngestRequest & { file: string; fileName: string } & OpenOptions,
  ): Promise<BatchSummary> {
    return this.runs.ingestFile(actor, request);
  }

  /** Ingests records sent as JSON objects (the API for a department's system). */
  ingestRecords(
    actor: Actor,
    request: IngestRequest & { records: Array<Record<string, unknown>> },
  ): Promise<BatchSummary> {
    return this.runs.ingestRecords(actor, request);
  }

  /**
   * One row sent as the department's own one-row batch (an objection's correction, a commitment, a
   * breach), so that every rule of ingest applies: the current record it made, or, when the row
   * made none, the batch and the row's reasons.
   */
  async ingestOne(
    actor: Actor,
    request: IngestRequest & { record: Record<string, unknown> },
  ): Promise<{ recordId: number } | { recordId: undefined; batchId: number; reasons: string }> {
    const { record, ...rest } = request;
    const batch = await this.ingestRecords(actor, { ...rest, records: [record] });
    const recordId = batch.accepted === 1 ? await this.repository.currentRecordOf(batch.batchId) : undefined;
    if (recordId !== undefined) {
      return { recordId };
    }
    const problems = await this.reads.problems(actor, batch.batchId, 'en');
    return { recordId, batchId: batch.batchId, reasons: problems.rows.map((r) => r.reasons).join('; ') };
  }

  /** Saves a department's own heading for a field of an item; its next files map by it. */
  saveMapping(
    actor: Actor,
    m: { department: string; item: string; heading: string; field: string },
  ): Promise<{ heading: string; field: string }> {
    return this.corrections.saveMapping(actor, m);
  }

  mappings(
    actor: Actor,
    department: string,
    item: string,
  ): Promise<Array<{ heading: string; field: string }>> {
    return this.corrections.mappings(actor, department, item);
  }

  /** A department's batches, newest first, their messages in `locale`. */
  batches(actor: Actor, department: string, locale: Locale = 'en'): Promise<BatchSummary[]> {
    return this.reads.batches(actor, department, locale);
  }

  /** A batch's status and counts, its message in `locale`. */
  batch(actor: Actor, id: number, locale: Locale = 'en'): Promise<BatchSummary> {
    return this.reads.batch(actor, id, locale);
  }

  /** The rejected and review rows with their original columns and reasons (in `locale`), for correction. */
  problems(actor: Actor, id: number, locale: Locale = 'en'): Promise<ProblemRows> {
    return this.reads.problems(actor, id, locale);
  }
}
