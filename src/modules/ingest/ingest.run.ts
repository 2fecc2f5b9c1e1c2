/**
 * The path from a department's file to committed records. A batch is created first (so that
 * every outcome, failure included, has a record), its rows are read, mapped, validated and
 * staged with their reasons, and then all its valid rows become records in one short
 * transaction together with the batch's audit event — or none do.
 */
import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { WorkingDayCalendar } from '../../platform/calendar/index.ts';
import {
  AppError,
  InternalError,
  isDatabaseUnavailable,
  msg,
  render,
  retryWhileUnavailable,
  storableText,
  t,
  textProblem,
  UnstorableTextError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
  type Message,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { beginCommit, collectorOf, refuseDesignatedItem } from '../records/index.ts';
import { summarize, type BatchSummary } from './ingest.batches.ts';
import type { Corrections } from './ingest.corrections.ts';
import { mapColumns } from './ingest.mapping.ts';
import {
  cellsOf,
  openSource,
  SourceError,
  type Cell,
  type OpenOptions,
  type SourceRow,
} from './ingest.parsers.ts';
import { IngestRepository, type BatchRow, type StagedRow } from './ingest.repository.ts';
import { rowQuality, stagedRow } from './ingest.staging.ts';
import { hasRoles, isRegistration, validateRow } from './ingest.validate.ts';

export interface IngestRequest {
  department: string;
  item: string;
  /** The batch this one corrects (a resubmission of its rejected rows). */
  corrects?: number;
  /**
   * The domain (one of the department's) the batch's records were determined in, for a department
   * of several domains; by default its first. A special credit report sorts records by it.
   */
  domain?: string;
  /** Called as rows are staged: for a progress bar. */
  onProgress?: (progress: Progress) => void;
  /**
   * The record under objection this batch corrects (an upheld objection's correction, never a
   * department's file): the one record a batch may replace while it is under objection.
   */
  correctsObjected?: number;
}

export interface Progress {
  rowsRead: number;
  /** Share of the file read, when the source knows its size. */
  fraction: number | null;
  rowsPerSecond: number;
}

const STAGE_CHUNK = 1000;

/**
 * A batch this large gets fresh planner statistics before its commit (a large batch planned on
 * stale ones is joined row by row). A department system sending a few records at a time does not
 * pay for an ANALYZE on every call.
 */
const ANALYZE_FROM_ROWS = 5000;

/** A batch's run: its rows read, mapped, validated and staged, then committed in one transaction. */
export class BatchRun {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly repository: IngestRepository,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
    private readonly corrections: Corrections,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly today: () => string,
  ) {}

  /** Ingests a file: CSV, XLSX or JSON Lines. */
  async ingestFile(
    actor: Actor,
    request: IngestRequest & { file: string; fileName: string } & OpenOptions,
  ): Promise<BatchSummary> {
    const exists = await fs.stat(request.file).then(
      (st) => st.isFile(),
      () => false,
    );
    if (!exists) {
      throw new ValidationError(msg('ingest.batch.file_missing', { file: request.fileName }), {
        field: 'file',
        value: request.fileName,
        rule: 'ingest.file',
      });
    }
    return this.run(actor, request, request.fileName, async () => {
      const source = await openSource(request.file, request.fileName, request);
      return {
        format: source.format,
        encoding: source.encoding,
        sheet: source.sheet,
        headers: source.headers,
        rows: source.rows,
        progress: source.progress,
      };
    });
  }

  /** Ingests records sent as JSON objects (the API for a department's system). */
  async ingestRecords(
    actor: Actor,
    request: IngestRequest & { records: Array<Record<string, unknown>> },
  ): Promise<BatchSummary> {
    return this.run(actor, request, 'api', () => {
      const headers = [...new Set(request.records.flatMap((r) => Object.keys(r)))];
      async function* rows(): AsyncGenerator<SourceRow> {
        let rowNo = 0;
        for (const record of request.records) {
          rowNo += 1;
          yield { rowNo, cells: cellsOf(record) };
          await Promise.resolve();
        }
      }
      return Promise.resolve({ format: 'api' as const, encoding: null, sheet: null, headers, rows: rows() });
    });
  }

  private async run(
    actor: Actor,
    request: IngestRequest,
    sourceName: string,
    open: () => Promise<{
      format: BatchRow['source_format'];
      encoding: string | null;
      sheet: string | null;
      headers: string[];
      rows: AsyncIterable<SourceRow>;
      progress?: () => number;
    }>,
  ): Promise<BatchSummary> {
    authorize(actor, 'record.submit', { department: request.department });
    const itemRow = await this.catalog.item(request.item);
    const item = itemRow.definition;
    refuseDesignatedItem(item.code);
    const collector = await collectorOf(this.db, item, request.department);
    await this.corrections.refuseUnknownCorrected(request);
    if (request.domain !== undefined && !collector.domains.includes(request.domain)) {
      throw new ValidationError(
        msg('ingest.request.domain', { domain: request.domain, domains: collector.domains.join(', ') }),
        { field: 'domain', value: request.domain, rule: 'ingest.domain' },
      );
    }
    // Stored as resolved now: the domain the records were determined in, whatever the department's
    // domains become later; a correction keeps the domain of what it corrects.
    const domain =
      request.domain ??
      (await this.repository.inheritedDomain({
        batch: request.corrects,
        record: request.correctsObjected,
      })) ??
      collector.domains[0] ??
      null;
    const batchId = await this.repository.createBatch({
      department_code: request.department,
      item_code: item.code,
      catalog_version_id: itemRow.versionId,
      source_name: sourceName,
      source_format: 'api',
      encoding: null,
      sheet: null,
      corrects_batch_id: request.corrects ?? null,
      submitted_by: toAuditActor(actor).label,
      domain,
    });
    try {
      const source = await open();
      refuseUnstorableHeadings(source.headers);
      const saved = await this.repository.mappings(request.department, item.code);
      const mapping = mapColumns(item, source.headers, new Map(saved.map((m) => [m.heading, m.field])));
      await this.repository.updateBatch(batchId, {
        source_format: source.format,
        encoding: source.encoding,
        sheet: source.sheet,
        dropped_columns: mapping.dropped,
        columns: JSON.stringify(mapping.columns),
      });
      if (mapping.missingRequired.length > 0) {
        throw new SourceError(
          msg('ingest.source.missing_columns', {
            columns: mapping.missingRequired.map((f) => f.nameZh).join('、'),
          }),
          {
            field: 'columns',
            value: mapping.missingRequired.map((f) => f.nameZh).join(','),
            rule: 'ingest.missing_columns',
          },
        );
      }
      const fieldOf = new Map(
        mapping.columns.filter((c) => c.field !== null).map((c) => [c.header, c.field as string]),
      );
      const lateDropped = new Set<string>();
      const headerSet = new Set(source.headers);
      const ctx = {
        fromSpreadsheet: source.format === 'xlsx',
        today: this.today(),
        hash: (value: string) => this.protector.hash('identity', value),
        source: collector,
      };
      const quality = rowQuality(item, ctx.today, this.calendar());
      let pending: StagedRow[] = [];
      let rowsRead = 0;
      const started = performance.now();
      // One chunk is written while the next is validated: the database and the parser overlap.
      let writing: Promise<void> = Promise.resolve();
      const flush = async () => {
        const chunk = pending;
        pending = [];
        await writing;
        const progress = { rowsRead, fraction: source.progress?.() ?? null };
        writing = this.repository.stage(chunk, batchId, progress);
        writing.catch(() => undefined); // awaited at the next flush; not an unhandled rejection meanwhile
        request.onProgress?.({
          ...progress,
          rowsPerSecond: rowsRead / ((performance.now() - started) / 1000),
        });
      };
      let warnings = 0;
      for await (const row of source.rows) {
        rowsRead += 1;
        const cells = new Map<string, Cell>();
        for (const [header, cell] of row.cells) {
          // JSON objects may name fields the first one did not: each key maps on its own.
          const field = fieldOf.get(header) ?? (headerSet.has(header) ? undefined : mapping.resolve(header));
          if (field !== undefined) {
            cells.set(field, cell);
          } else if (!headerSet.has(header)) {
            lateDropped.add(storableText(header));
          }
        }
        const outcome = validateRow(
          item,
          cells,
          row.problem === undefined ? ctx : { ...ctx, problem: row.problem },
        );
        warnings += outcome.warnings.length > 0 ? 1 : 0;
        pending.push({
          ...stagedRow(this.protector, item, batchId, row.rowNo, outcome),
          ...quality(outcome),
        });
        if (pending.length >= STAGE_CHUNK) {
          await flush();
        }
      }
      await flush();
      await writing;
      if (rowsRead >= ANALYZE_FROM_ROWS) {
        await this.repository.analyze();
      }
      await this.repository.updateBatch(batchId, {
        status: 'validated',
        progress_at: new Date(),
        warnings,
        dropped_columns: [...mapping.dropped, ...lateDropped],
      });
      await this.db.transaction().execute(async (trx) => {
        await beginCommit(trx, batchId, rowsRead);
        const repo = new IngestRepository(trx);
        const { counts, records } = await repo.commit({
          batchId,
          department: request.department,
          item: item.code,
          catalogVersionId: itemRow.versionId,
          registration: isRegistration(item),
          roles: hasRoles(item),
          ...(request.correctsObjected === undefined ? {} : { corrects: request.correctsObjected }),
        });
        await repo.updateBatch(batchId, { status: 'committed', committed_at: new Date() });
        await repo.recount(batchId);
        const summary = {
          total: Object.values(counts).reduce((a, b) => a + b, 0),
          accepted: records.count,
          rejected: counts.rejected ?? 0,
          duplicates: counts.duplicate ?? 0,
          review: counts.review ?? 0,
        };
        await this.audit.append(trx, {
          actor: toAuditActor(actor),
          action: 'batch.commit',
          target: { kind: 'batch', id: String(batchId) },
          details: {
            ...summary,
            warnings,
            department: request.department,
            item: item.code,
            catalogVersionId: itemRow.versionId,
            source: sourceName,
            corrects: request.corrects ?? null,
            // The ids themselves would make the event as large as the batch; their digest binds them.
            recordIdsDigest: records.digest,
            firstRecordId: records.firstId,
            lastRecordId: records.lastId,
          },
        });
      });
    } catch (err) {
      // The batch says what happened; nothing of it was committed. A failure the platform did not
      // foresee is named by an id only: its own words (a database's, say) go to the log.
      const failure =
        err instanceof AppError || isDatabaseUnavailable(err)
          ? err
          : new InternalError(undefined, { cause: err });
      // Kept by key when the message has one; words given otherwise (a library's) stay as they are.
      const message: Message | string =
        failure instanceof InternalError
          ? msg('ingest.batch.failed_internal', { id: failure.id })
          : failure instanceof AppError
            ? typeof failure.localized === 'object'
              ? failure.localized
              : failure.message
            : msg('ingest.batch.failed_unavailable');
      // When the connection was cut, the pool's other connections may be dying too: a few tries
      // on fresh ones. A batch that still cannot say it failed reads `interrupted` in time.
      await retryWhileUnavailable(() =>
        this.repository.updateBatch(batchId, {
          status: 'failed',
          // In English, and by key for readers of other languages.
          message: typeof message === 'string' ? message : render('en', message),
          message_key: typeof message === 'string' ? null : JSON.stringify(message),
        }),
      ).catch(() => undefined);
      if (failure instanceof AppError && !(failure instanceof InternalError)) {
        throw new BatchFailedError(batchId, failure);
      }
      throw failure;
    }
    return summarize((await this.repository.batch(batchId)) as BatchRow);
  }
}

/**
 * A whole batch refused: its id, and the reason that names the rule. Text that cannot be stored is
 * bad input (400) like anywhere else; any other reason is a rule the file breaks (422).
 */
export class BatchFailedError extends AppError {
  readonly code: 'validation_failed' | 'rule_violation';
  readonly status: number;
  constructor(
    readonly batchId: number,
    cause: AppError,
  ) {
    super((locale) => t(locale, 'ingest.batch.failed', { batch: batchId, cause: cause.messageIn(locale) }), {
      field: cause.field,
      value: cause.value,
      rule: cause.rule,
    });
    const badText = cause instanceof UnstorableTextError;
    this.code = badText ? 'validation_failed' : 'rule_violation';
    this.status = badText ? 400 : 422;
  }
}

/** A column heading that cannot be stored refuses the file: the heading names a field for every row. */
function refuseUnstorableHeadings(headers: readonly string[]): void {
  for (const [i, header] of headers.entries()) {
    const problem = textProblem(header);
    if (problem !== undefined) {
      throw new UnstorableTextError(
        msg('ingest.source.heading_text', { position: i + 1, problem: problem.message }),
        {
          field: 'columns',
          value: storableText(header),
          rule: problem.rule,
        },
      );
    }
  }
}
