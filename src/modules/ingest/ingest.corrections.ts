/**
 * What a department does so that its files go in: its own column headings for an item's fields,
 * saved so that its next files map by them (mapColumns reads them), and a resubmission that
 * corrects one of its earlier batches.
 */
import type { Kysely } from 'kysely';
import { msg, NotFoundError, RuleViolationError, type AuditWriter } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { headingKey } from './ingest.mapping.ts';
import { IngestRepository } from './ingest.repository.ts';

export class Corrections {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly repository: IngestRepository,
  ) {}

  /** A batch that corrects another names one of the same department's: anything else is absent. */
  async refuseUnknownCorrected(request: { department: string; corrects?: number }): Promise<void> {
    if (request.corrects !== undefined) {
      const earlier = await this.repository.batch(request.corrects);
      if (earlier === undefined || earlier.department_code !== request.department) {
        throw new NotFoundError(
          msg('ingest.batch.not_found', { batch: request.corrects, department: request.department }),
        );
      }
    }
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
}
