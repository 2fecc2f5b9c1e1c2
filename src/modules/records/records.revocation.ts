/**
 * Revocation by a department's system: the department that sent a decision withdraws it (the
 * decision was revoked, annulled or made in error). The record's current version is kept; a new,
 * revoked version takes its place, so disclosure stops and the history stays.
 */
import type { Kysely } from 'kysely';
import {
  canonicalJson,
  ConflictError,
  msg,
  NotFoundError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { validate as validateCode } from '../identifiers/index.ts';
import { collectorOf, refuseDesignatedItem } from './records.collect.ts';
import { lockCommits } from './records.commit-guard.ts';
import { isSealed, unseal } from './records.sealed.ts';

export interface RevocationRequest {
  department: string;
  item: string;
  /** The decision document number the record was sent with. */
  documentNumber: string;
  /** A code of the subject: unified code, a legacy code, or a citizen ID. */
  subjectCode: string;
  reason: string;
}

export interface Revocation {
  recordId: number;
  previousId: number;
  version: number;
  status: 'revoked';
}

export class RevocationService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
  ) {}

  async revoke(actor: Actor, request: RevocationRequest): Promise<Revocation> {
    authorize(actor, 'record.submit', { department: request.department });
    const item = (await this.catalog.item(request.item)).definition;
    refuseDesignatedItem(item.code); // a listing leaves its list by a removal decision of its case
    await collectorOf(this.db, item, request.department);
    const code = validateCode(request.subjectCode);
    if (!code.valid) {
      throw new ValidationError(
        msg('ingest.revocation.invalid_code', {
          reason: code.checks.find((c) => c.result === 'fail')?.message ?? msg('ingest.reason.not_a_code'),
        }),
        {
          field: 'subjectCode',
          value: request.subjectCode.slice(0, 64),
          rule: 'identifier.valid',
        },
      );
    }
    const identityKey = request.documentNumber.normalize('NFKC').replace(/\s+/g, '');
    const hashes = [code.kind, ...code.alternatives.map((a) => a.kind)].map((kind) => ({
      kind,
      hash: this.protector.hash(kind, code.normalized),
    }));
    const statusField = item.fields.find((f) => f.role === 'record_status');

    return this.db.transaction().execute(async (trx) => {
      await lockCommits(trx);
      const current = await trx
        .selectFrom('record as r')
        .innerJoin('subject_code as sc', 'sc.subject_id', 'r.subject_id')
        .selectAll('r')
        .where('r.department_code', '=', request.department)
        .where('r.item_code', '=', item.code)
        .where('r.identity_key', '=', identityKey)
        .where('r.is_current', '=', true)
        .where((eb) =>
          eb.or(hashes.map((h) => eb.and([eb('sc.kind', '=', h.kind), eb('sc.value_hash', '=', h.hash)]))),
        )
        .forUpdate()
        .executeTakeFirst();
      if (current === undefined) {
        throw new NotFoundError(
          msg('ingest.revocation.no_record', {
            item: item.code,
            department: request.department,
            document: identityKey,
          }),
        );
      }
      if (current.status === 'revoked') {
        throw new ConflictError(msg('ingest.revocation.already_revoked', { record: current.id }), {
          field: 'documentNumber',
          value: identityKey,
          rule: 'record.revoked',
        });
      }
      const payload = { ...(current.payload as Record<string, unknown>) };
      if (statusField !== undefined) {
        payload[statusField.key] = '撤销';
      }
      // The digest a department's row saying 撤销 would have: a resend of it is then a duplicate.
      const clear = Object.fromEntries(
        Object.entries(payload).map(([k, v]) => [k, isSealed(v) ? unseal(this.protector, v) : v]),
      );
      await trx.updateTable('record').set({ is_current: false }).where('id', '=', current.id).execute();
      const inserted = await trx
        .insertInto('record')
        .values({
          subject_id: current.subject_id,
          department_code: current.department_code,
          item_code: current.item_code,
          catalog_version_id: current.catalog_version_id,
          identity_key: current.identity_key,
          version: current.version + 1,
          previous_id: current.id,
          is_current: true,
          payload: JSON.stringify(payload),
          payload_digest: this.protector.hash('identity', canonicalJson(clear)),
          decision_date: current.decision_date,
          tier: current.tier,
          tier_source: current.tier_source,
          display_from: current.display_from,
          shortest_until: current.shortest_until,
          longest_until: current.longest_until,
          display_public: current.display_public,
          status: 'revoked',
          status_reason: request.reason,
        })
        .returning(['id', 'version'])
        .executeTakeFirstOrThrow();
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'record.revoke',
        target: { kind: 'record', id: String(inserted.id) },
        details: {
          department: request.department,
          item: item.code,
          documentNumber: identityKey,
          previousId: current.id,
          reason: request.reason,
        },
      });
      return { recordId: inserted.id, previousId: current.id, version: inserted.version, status: 'revoked' };
    });
  }
}
