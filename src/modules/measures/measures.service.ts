/**
 * The measure list and memoranda. Measures are shipped data, each citing its basis; memoranda
 * are checked before they exist; a list's measures are only those its memoranda attach.
 */
import type { Kysely } from 'kysely';
import { msg, NotFoundError, render, type AuditWriter } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { joined, refuseAll, type ListService } from '../lists/index.ts';
import { shippedMeasures } from './measures.data.ts';
import { MeasuresRepository, type AttachedMeasure } from './measures.repository.ts';
import { checkMeasure, checkMemorandum, type MemorandumDefinition } from './measures.rules.ts';
import type { Measure } from './measures.types.ts';

export class MeasureService {
  private cached: Promise<Measure[]> | undefined;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly lists: ListService,
  ) {}

  /** Brings the stored measure list to the shipped one; refuses to start on a measure without its basis. */
  async ensureShipped(): Promise<void> {
    const bases = new Map((await this.catalog.legalBases()).map((b) => [b.code, b]));
    const measures = shippedMeasures();
    const refused = joined(measures.flatMap((m) => checkMeasure(m, bases)).map((r) => r.message));
    if (refused !== undefined) {
      // A defect of the release, for its operator's log: in English.
      throw new Error(`the shipped measure list is invalid: ${render('en', refused)}`);
    }
    await this.db.transaction().execute(async (trx) => {
      const written = await new MeasuresRepository(trx).upsertMeasures(measures);
      if (written.length > 0) {
        await this.audit.append(trx, {
          actor: { label: 'system:measure-list' },
          action: 'measure.load',
          details: { measures: written.length, codes: written },
        });
      }
    });
    this.cached = undefined;
  }

  measures(): Promise<Measure[]> {
    this.cached ??= new MeasuresRepository(this.db).measures();
    return this.cached;
  }

  async measure(code: string): Promise<Measure> {
    const found = (await this.measures()).find((m) => m.code === code);
    if (found === undefined) {
      throw new NotFoundError(msg('measures.no_measure', { code }));
    }
    return found;
  }

  memoranda() {
    return new MeasuresRepository(this.db).memoranda();
  }

  /** Signs a memorandum in, or refuses it with every rule it breaks. False when it existed already. */
  async createMemorandum(actor: Actor, memo: MemorandumDefinition): Promise<boolean> {
    authorize(actor, 'list_type.manage');
    const measures = new Map((await this.measures()).map((m) => [m.code, m]));
    const kinds = new Map((await this.lists.listTypes()).map((t) => [t.code, t.definition.kind]));
    const bases = new Map((await this.catalog.legalBases()).map((b) => [b.code, b]));
    const refusals = checkMemorandum(memo, measures, kinds, bases);
    refuseAll(refusals);
    return this.db.transaction().execute(async (trx) => {
      const repo = new MeasuresRepository(trx);
      if (await repo.memorandumExists(memo.code)) {
        return false;
      }
      await repo.insertMemorandum(memo, measures, toAuditActor(actor).label);
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'memorandum.create',
        target: { kind: 'memorandum', id: memo.code },
        details: {
          basis: memo.basis,
          entries: memo.entries.length,
          listTypes: [...new Set(memo.entries.map((e) => e.listType))],
        },
      });
      return true;
    });
  }

  /** The measures that follow from these list types, by their memoranda. */
  attached(listTypes: readonly string[]): Promise<AttachedMeasure[]> {
    return new MeasuresRepository(this.db).attached(listTypes);
  }
}
