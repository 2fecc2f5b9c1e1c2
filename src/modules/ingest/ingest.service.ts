/**
 * The path from a department's file to committed records. A batch is created first (so that
 * every outcome, failure included, has a record), its rows are read, mapped, validated and
 * staged with their reasons, and then all its valid rows become records in one short
 * transaction together with the batch's audit event — or none do.
 */
import fs from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { todayInShanghai, WorkingDayCalendar } from '../../platform/calendar/index.ts';
import {
  AppError,
  InternalError,
  isDatabaseUnavailable,
  msg,
  NotFoundError,
  render,
  retryWhileUnavailable,
  RuleViolationError,
  storableText,
  t,
  textProblem,
  UnstorableTextError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
  type Locale,
  type Message,
} from '../../platform/index.ts';
import type { Database, Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import { DESIGNATED_ITEMS, type CatalogItem, type CatalogService } from '../catalog/index.ts';
import { applyMask, maskName } from '../identifiers/index.ts';
import { beginCommit, commitAllowanceMs, STALL_MS } from './ingest.commit-guard.ts';
import { headingKey, mapColumns } from './ingest.mapping.ts';
import { purgeAbandonedBatches, type PurgeResult } from './ingest.retention.ts';
import {
  cellsOf,
  openSource,
  SourceError,
  type Cell,
  type OpenOptions,
  type SourceRow,
} from './ingest.parsers.ts';
import { collectorOf } from './ingest.collect.ts';
import { masked, protectCode, protectPerson, unseal } from './ingest.protect.ts';
import { shownReason, storedReason, storedText } from './ingest.reasons.ts';
import { IngestRepository, type BatchRow, type StagedRow } from './ingest.repository.ts';
import { hasRoles, isRegistration, validateRow, type RowOutcome } from './ingest.validate.ts';

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
}

/** A batch's status and counts, its message in `locale`. */
export function summarize(b: BatchRow, now = Date.now(), locale: Locale = 'en'): BatchSummary {
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
  };
}

export interface IngestRequest {
  department: string;
  item: string;
  /** The batch this one corrects (a resubmission of its rejected rows). */
  corrects?: number;
  /** Called as rows are staged: for a progress bar. */
  onProgress?: (progress: Progress) => void;
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

/** 行政许可、行政处罚等信息自作出行政决定之日起7个工作日内上网公开 (国办发〔2015〕51号, seeds 002:L319). */
const TIMELY_WORKING_DAYS = 7;
const TIMED_CATEGORIES: ReadonlySet<string> = new Set(['administrative_licensing', 'administrative_penalty']);

export class IngestService {
  private readonly repository: IngestRepository;
  private readonly db: Kysely<Schema>;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
    private readonly calendar: () => WorkingDayCalendar = () => new WorkingDayCalendar(),
    private readonly today: () => string = () => todayInShanghai(),
  ) {
    this.db = database.db;
    this.repository = new IngestRepository(database.db, database.bulkInsert);
  }

  /**
   * Purges the staged rows of batches abandoned `days` days ago or more (the platform's retention
   * rule; the platform itself or its administrator runs it). One audit event.
   */
  async purgeAbandoned(actor: Actor, days: number): Promise<PurgeResult> {
    authorize(actor, 'audit.manage');
    return purgeAbandonedBatches(this.db, this.audit, days);
  }

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
    if (request.corrects !== undefined) {
      const earlier = await this.repository.batch(request.corrects);
      if (earlier === undefined || earlier.department_code !== request.department) {
        throw new NotFoundError(
          msg('ingest.batch.not_found', { batch: request.corrects, department: request.department }),
        );
      }
    }
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
      const quality = this.qualityOf(item, ctx.today);
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
        pending.push({ ...this.staged(item, batchId, row.rowNo, outcome), ...quality(outcome) });
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

  /**
   * Timeliness and completeness of a row. Licensing and penalty decisions must reach the platform
   * (which discloses on receipt) within 7 working days of the decision; completeness is the share
   * of the item's optional fields the row fills.
   */
  private qualityOf(
    item: CatalogItem,
    today: string,
  ): (o: RowOutcome) => Pick<StagedRow, 'working_days' | 'late' | 'completeness'> {
    const timed = TIMED_CATEGORIES.has(item.category);
    const optional = item.fields.filter((f) => !f.required).map((f) => f.key);
    const calendar = this.calendar();
    const days = new Map<string, number>();
    return (o) => {
      const filled = optional.filter((k) => o.normalized[k] !== undefined).length;
      const completeness = optional.length === 0 ? 1 : filled / optional.length;
      if (!timed || o.decisionDate === undefined || o.status === 'rejected') {
        return { working_days: null, late: null, completeness };
      }
      let n = days.get(o.decisionDate);
      if (n === undefined) {
        n = calendar.workingDaysBetween(o.decisionDate, today).value;
        days.set(o.decisionDate, n);
      }
      return { working_days: n, late: n > TIMELY_WORKING_DAYS, completeness };
    };
  }

  /**
   * Personal values (a person's name or ID number) are stored sealed: encrypted, with the masked
   * form beside it, so neither a record nor a quarantined row holds them in clear.
   */
  private seal(
    item: CatalogItem,
    subjectKind: string | undefined,
    values: Record<string, string>,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...values };
    for (const f of item.fields) {
      const value = values[f.key];
      const personal =
        f.personal === true || (f.personal === 'natural_person' && subjectKind === 'natural_person');
      if (value !== undefined && personal) {
        out[f.key] = {
          $sealed: this.protector.encrypt(value),
          masked: applyMask(value, f.masking ?? { kind: 'full' }),
        };
      }
    }
    return out;
  }

  /**
   * A validated row as staged: the subject's codes protected. Rows of the batch that are the same
   * record are found at commit, once their subjects are known (in SQL: memory stays flat however
   * large the batch).
   */
  private staged(item: CatalogItem, batchId: number, rowNo: number, o: RowOutcome): StagedRow {
    const status: StagedRow['status'] = o.status;
    const personalFields = personalFieldsOf(item);
    const reasons = o.reasons;
    // The subject's codes protected once: the first is the one that identifies it best.
    const codes = (o.subject?.codes ?? []).map((c) => protectCode(this.protector, c));
    const primary = codes[0];
    const codeHash = primary?.hash ?? null;
    const naturalPerson = o.subject?.kind === 'natural_person';
    const name = o.subject?.name;
    return {
      batch_id: batchId,
      row_no: rowNo,
      status,
      // The row as sent is kept for the rows a department must correct; an accepted row keeps
      // only its normalised values (a row found wrong at commit is shown from those).
      payload: status === 'accepted' ? '{}' : JSON.stringify(this.seal(item, o.subject?.kind, o.payload)),
      normalized:
        status === 'rejected' ? null : JSON.stringify(this.seal(item, o.subject?.kind, o.normalized)),
      reasons: JSON.stringify(
        reasons.map((r) => storedReason(r, personalFields.has(r.field) ? PERSONAL_VALUE : r.value)),
      ),
      warnings: JSON.stringify(
        o.warnings.map((r) => storedReason(r, personalFields.has(r.field) ? PERSONAL_VALUE : r.value)),
      ),
      subject_kind: o.subject?.kind ?? null,
      subject_name: name === undefined ? null : naturalPerson ? maskName(name) : name,
      subject_name_encrypted: name !== undefined && naturalPerson ? this.protector.encrypt(name) : null,
      code_kind: primary?.kind ?? null,
      code_hash: codeHash,
      code_value: primary?.value ?? null,
      code_encrypted: primary?.encrypted ?? null,
      code_masked: primary?.masked ?? null,
      codes: JSON.stringify(status === 'rejected' ? [] : codes),
      identity_key: o.identityKey ?? null,
      payload_digest: o.payloadDigest ?? null,
      decision_date: o.decisionDate ?? null,
      tier: o.tier?.tier ?? null,
      tier_source: o.tier?.source ?? null,
      shortest_until: o.display?.shortestUntil ?? null,
      longest_until: o.display?.longestUntil ?? null,
      display_public: o.display?.public ?? null,
      revokes: o.revokes === true,
      registration_status: o.registrationStatus ?? null,
      person: o.person === undefined ? null : JSON.stringify(protectPerson(this.protector, o.person)),
    };
  }

  /** Saves a department's own heading for a field of an item; its next files map by it. */
  async saveMapping(
    actor: Actor,
    m: { department: string; item: string; heading: string; field: string },
  ): Promise<{ heading: string; field: string }> {
    authorize(actor, 'record.submit', { department: m.department });
    const item = (await this.catalog.item(m.item)).definition;
    const field = item.fields.find((f) => f.key === m.field || f.nameZh === m.field);
    if (field === undefined) {
      throw new RuleViolationError(
        msg('ingest.mapping.no_field', {
          item: item.code,
          field: m.field,
          fields: item.fields.map((f) => f.key).join(', '),
        }),
        {
          field: 'field',
          value: m.field,
          rule: 'mapping.field',
        },
      );
    }
    const heading = headingKey(m.heading);
    if (heading === '') {
      throw new RuleViolationError(msg('ingest.mapping.heading'), {
        field: 'heading',
        rule: 'required',
      });
    }
    await this.db.transaction().execute(async (trx) => {
      await new IngestRepository(trx).saveMapping(
        m.department,
        item.code,
        heading,
        field.key,
        toAuditActor(actor).label,
      );
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'mapping.save',
        target: { kind: 'column_mapping', id: `${m.department}/${item.code}` },
        details: { heading: m.heading, field: field.key },
      });
    });
    return { heading: m.heading, field: field.key };
  }

  async mappings(
    actor: Actor,
    department: string,
    item: string,
  ): Promise<Array<{ heading: string; field: string }>> {
    authorize(actor, 'record.read', { department }, { hide: true });
    return this.repository.mappings(department, item);
  }

  /** A department's batches, newest first, their messages in `locale`. */
  async batches(actor: Actor, department: string, locale: Locale = 'en'): Promise<BatchSummary[]> {
    authorize(actor, 'record.read', { department }, { hide: true });
    const now = Date.now();
    return (await this.repository.batches(department)).map((b) => summarize(b, now, locale));
  }

  /** A batch's status and counts, its message in `locale`. */
  async batch(actor: Actor, id: number, locale: Locale = 'en'): Promise<BatchSummary> {
    const b = await this.repository.batch(id);
    if (b === undefined) {
      throw new NotFoundError();
    }
    authorize(actor, 'record.read', { department: b.department_code }, { hide: true });
    return summarize(b, Date.now(), locale);
  }

  /** The rejected and review rows with their original columns and reasons (in `locale`), for correction. */
  async problems(
    actor: Actor,
    id: number,
    locale: Locale = 'en',
  ): Promise<{
    batch: BatchSummary;
    headers: string[];
    rows: Array<{ rowNo: number; status: string; values: string[]; reasons: string }>;
  }> {
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
        status: r.status,
        values: columns.map((c) => show(r.payload[c.field as string] ?? r.normalized?.[c.field as string])),
        reasons: r.reasons.map((x) => shownReason(locale, x)).join('；'),
      })),
    };
  }
}

/** The value a stored reason shows for a personal field: the row itself keeps it, sealed. */
const PERSONAL_VALUE = '(personal: see the row)';

const personalFieldSets = new WeakMap<CatalogItem, ReadonlySet<string>>();

/** The keys of an item's fields that can hold personal information. */
function personalFieldsOf(item: CatalogItem): ReadonlySet<string> {
  let keys = personalFieldSets.get(item);
  if (keys === undefined) {
    keys = new Set(item.fields.filter((f) => f.personal !== false).map((f) => f.key));
    personalFieldSets.set(item, keys);
  }
  return keys;
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

/** A listing is made by a designation case, with its notice, objection window and decision; never by a file. */
export function refuseDesignatedItem(item: string): void {
  if (DESIGNATED_ITEMS.includes(item)) {
    throw new RuleViolationError(msg('ingest.designated', { item }), {
      field: 'item',
      value: item,
      rule: 'list.by_case',
    });
  }
}
