/**
 * The review queue: rows that name a subject no code identifies (or whose codes point at two
 * subjects) wait here, never guessed. A data clerk or reviewer of the department resolves each:
 * by the subject's code, by an existing subject, or by refusing the row. A resolved row becomes
 * a record through the same commit as a batch, with its audit event, in one transaction.
 */
import { sql, type Kysely } from 'kysely';
import {
  ConflictError,
  msg,
  NotFoundError,
  RuleViolationError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
  type Locale,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { validate as validateCode, type IdentifierKind } from '../identifiers/index.ts';
import { masked } from '../records/index.ts';
import { isPersonalCode, protectCode } from './ingest.protect.ts';
import { sqlFormat, storedText, type StoredReason } from './ingest.reasons.ts';
import { IngestRepository } from './ingest.repository.ts';
import { hasRoles, isRegistration, withEmbeddedOrgCode } from './ingest.validate.ts';

export interface ReviewRow {
  batchId: number;
  rowNo: number;
  item: string;
  department: string;
  subjectName: string;
  subjectKind: string | null;
  /** The row's catalog fields, personal values masked. */
  values: Record<string, string>;
  reasons: Array<{ column: string; rule: string; message: string }>;
}

export type Resolution =
  { code: string; note?: string } | { subjectId: number; note?: string } | { reject: string };

export interface ResolutionResult {
  batchId: number;
  rowNo: number;
  status: 'accepted' | 'duplicate' | 'rejected' | 'review';
  subjectId: number | null;
  recordId: number | null;
}

const ORGANISATION_CODES: readonly IdentifierKind[] = [
  'uscc',
  'reg_no15',
  'org_code',
  'taxpayer_id15',
  'institution_cert12',
];

export class ReviewService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
  ) {}

  /** The department's rows awaiting review, oldest first, their reasons in `locale`. */
  async queue(actor: Actor, department: string, locale: Locale = 'en', limit = 200): Promise<ReviewRow[]> {
    authorize(actor, 'record.review', { department }, { hide: true });
    const rows = await this.db
      .selectFrom('batch_row as br')
      .innerJoin('batch as b', 'b.id', 'br.batch_id')
      .select([
        'br.batch_id',
        'br.row_no',
        'b.item_code',
        'br.subject_name',
        'br.subject_kind',
        'br.payload',
        'br.normalized',
        'br.reasons',
      ])
      .where('b.department_code', '=', department)
      .where('b.status', '=', 'committed')
      .where('br.status', '=', 'review')
      .orderBy('br.batch_id')
      .orderBy('br.row_no')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      batchId: r.batch_id,
      rowNo: r.row_no,
      item: r.item_code,
      department,
      subjectName: r.subject_name ?? '',
      subjectKind: r.subject_kind,
      // As sent; a row sent to review at commit was staged as accepted and shows its normalised values.
      values: Object.fromEntries(
        Object.entries({
          ...(r.normalized as Record<string, unknown> | null),
          ...(r.payload as Record<string, unknown>),
        }).map(([k, v]) => [k, masked(v)]),
      ),
      reasons: (r.reasons as StoredReason[]).map((x) => ({
        column: x.column,
        rule: x.rule,
        message: storedText(locale, x),
      })),
    }));
  }

  /** Resolves one review row: it becomes a record of the subject named, or is refused. */
  async resolve(
    actor: Actor,
    batchId: number,
    rowNo: number,
    resolution: Resolution,
  ): Promise<ResolutionResult> {
    const batch = await this.db.selectFrom('batch').selectAll().where('id', '=', batchId).executeTakeFirst();
    if (batch === undefined) {
      throw new NotFoundError();
    }
    authorize(actor, 'record.review', { department: batch.department_code }, { hide: true });
    if (batch.status !== 'committed') {
      // A batch that never committed commits nothing, not even a row a reviewer vouches for.
      throw new ConflictError(msg('ingest.review.not_committed', { batch: batchId, status: batch.status }), {
        field: 'batch',
        value: String(batchId),
        rule: 'review.batch_not_committed',
      });
    }
    const item = await this.catalog.itemAtVersion(batch.item_code, batch.catalog_version_id);
    const by = toAuditActor(actor);
    const code = 'code' in resolution ? this.subjectCode(resolution.code) : undefined;

    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('batch_row')
        .select(['status', 'subject_kind'])
        .where('batch_id', '=', batchId)
        .where('row_no', '=', rowNo)
        .forUpdate()
        .executeTakeFirst();
      if (row === undefined) {
        throw new NotFoundError(msg('ingest.review.no_row', { batch: batchId, row: rowNo }));
      }
      if (row.status !== 'review') {
        throw new ConflictError(
          msg('ingest.review.not_pending', { row: rowNo, batch: batchId, status: row.status }),
          {
            field: 'row',
            value: String(rowNo),
            rule: 'review.pending',
          },
        );
      }
      const note = 'reject' in resolution ? resolution.reject : resolution.note;
      const record = { by: by.label, at: new Date().toISOString(), note: note ?? null };
      if ('reject' in resolution) {
        await sql`
          update batch_row set status = 'rejected',
            reasons = reasons || jsonb_build_array(jsonb_build_object('field', '', 'column', '', 'value', '',
              'rule', 'review.rejected', 'key', 'ingest.reason.refused_in_review',
              'params', jsonb_build_object('note', ${resolution.reject}::text),
              'message', format(${sqlFormat('ingest.reason.refused_in_review', ['note'])}::text, ${resolution.reject}::text))),
            resolution = ${JSON.stringify({ ...record, action: 'reject' })}::jsonb
          where batch_id = ${batchId} and row_no = ${rowNo}`.execute(trx);
      } else if (code !== undefined) {
        const personal = isPersonalCode(code.kind);
        if ((row.subject_kind === 'natural_person') !== personal) {
          throw new RuleViolationError(
            msg('ingest.review.code_kind', { kind: code.kind, subjectKind: row.subject_kind ?? 'unknown' }),
            { field: 'code', value: personal ? '(personal)' : code.value, rule: 'review.code_kind' },
          );
        }
        const codes = (code.kind === 'uscc' ? withEmbeddedOrgCode([code]) : [code]).map((c) =>
          protectCode(this.protector, c),
        );
        const first = codes[0];
        await trx
          .updateTable('batch_row')
          .set({
            status: 'accepted',
            codes: JSON.stringify(codes),
            code_kind: first?.kind ?? null,
            code_hash: first?.hash ?? null,
            code_value: first?.value ?? null,
            code_encrypted: first?.encrypted ?? null,
            code_masked: first?.masked ?? null,
            resolution: JSON.stringify({ ...record, action: 'code', code: first?.masked }),
          })
          .where('batch_id', '=', batchId)
          .where('row_no', '=', rowNo)
          .execute();
      } else if ('subjectId' in resolution) {
        const subject = await trx
          .selectFrom('subject')
          .select(['id', 'kind'])
          .where('id', '=', resolution.subjectId)
          .executeTakeFirst();
        if (subject === undefined) {
          throw new ValidationError(msg('ingest.review.no_subject', { id: resolution.subjectId }), {
            field: 'subjectId',
            value: String(resolution.subjectId),
            rule: 'subject.exists',
          });
        }
        if ((row.subject_kind === 'natural_person') !== (subject.kind === 'natural_person')) {
          throw new RuleViolationError(
            msg('ingest.review.subject_kind', {
              rowKind: row.subject_kind ?? msg('ingest.review.any_subject'),
              id: subject.id,
              kind: subject.kind,
            }),
            { field: 'subjectId', value: String(subject.id), rule: 'review.subject_kind' },
          );
        }
        if (!item.subjectKinds.includes(subject.kind as never)) {
          throw new RuleViolationError(
            msg('ingest.reason.subject_kind', { item: item.nameZh, kind: subject.kind }),
            {
              field: 'subjectId',
              value: String(subject.id),
              rule: 'catalog.subject_kind',
            },
          );
        }
        await trx
          .updateTable('batch_row')
          .set({
            status: 'accepted',
            subject_id: subject.id,
            resolution: JSON.stringify({ ...record, action: 'subject', subjectId: subject.id }),
          })
          .where('batch_id', '=', batchId)
          .where('row_no', '=', rowNo)
          .execute();
      }
      const repo = new IngestRepository(trx);
      const { records } = await repo.commit({
        batchId,
        department: batch.department_code,
        item: batch.item_code,
        catalogVersionId: batch.catalog_version_id,
        registration: isRegistration(item),
        roles: hasRoles(item),
        rowNo,
        ...('subjectId' in resolution ? { subjectId: resolution.subjectId } : {}),
      });
      await repo.recount(batchId);
      const after = await trx
        .selectFrom('batch_row as br')
        .leftJoin('record as r', (join) =>
          join.onRef('r.batch_id', '=', 'br.batch_id').onRef('r.row_no', '=', 'br.row_no'),
        )
        .select(['br.status', 'r.subject_id', 'r.id as record_id'])
        .where('br.batch_id', '=', batchId)
        .where('br.row_no', '=', rowNo)
        .executeTakeFirstOrThrow();
      await this.audit.append(trx, {
        actor: by,
        action: 'review.resolve',
        target: { kind: 'batch_row', id: `${batchId}/${rowNo}` },
        details: {
          department: batch.department_code,
          item: batch.item_code,
          action: 'reject' in resolution ? 'reject' : 'code' in resolution ? 'code' : 'subject',
          outcome: after.status,
          subjectId: after.subject_id,
          recordId: records.firstId,
          note: note ?? null,
        },
      });
      return {
        batchId,
        rowNo,
        status: after.status,
        subjectId: after.subject_id,
        recordId: after.record_id,
      };
    });
  }

  /** A code given by a reviewer: it must be a valid code of a subject. */
  private subjectCode(input: string): { kind: IdentifierKind; value: string } {
    const v = validateCode(input);
    const kind = [v.kind, ...v.alternatives.map((a) => a.kind)].find(
      (k) => ORGANISATION_CODES.includes(k) || k === 'citizen_id',
    );
    if (!v.valid || kind === undefined) {
      const failed = v.checks.find((c) => c.result === 'fail');
      throw new ValidationError(
        msg('ingest.review.invalid_code', {
          reason: failed?.message ?? msg('ingest.review.not_a_subject_code'),
        }),
        {
          field: 'code',
          value: input.length > 64 ? `${input.slice(0, 64)}…` : input,
          rule: `identifier.${failed?.name ?? 'kind'}`,
        },
      );
    }
    return { kind, value: v.normalized };
  }
}
