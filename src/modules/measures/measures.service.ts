/**
 * The measure list and memoranda. Measures are shipped data, each citing its basis; memoranda
 * are checked before they exist; a list's measures are only those its memoranda attach.
 */
import type { Kysely } from 'kysely';
import {
  msg,
  NotFoundError,
  processCache,
  render,
  type AuditWriter,
  type ProcessCache,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { joined, refuseAll, type ListService } from '../lists/index.ts';
import { shippedMeasures } from './measures.data.ts';
import { MeasuresRepository, type AttachedMeasure } from './measures.repository.ts';
import { checkMeasure, checkMemorandum, type MemorandumDefinition } from './measures.rules.ts';
import type { Measure } from './measures.types.ts';

export class MeasureService {
  /**
   * The measure list and what the memoranda attach to each list type, as every credit check
   * reads them: kept in the process (CACHE_MAX_AGE_MS), forgotten here when changed here.
   */
  private readonly kept: ProcessCache<
    'all',
    { measures: Measure[]; attached: ReadonlyMap<string, readonly AttachedMeasure[]> }
  >;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly lists: ListService,
  ) {
    this.kept = processCache(
      async () => {
        const repo = new MeasuresRepository(this.db);
        const attached = new Map<string, AttachedMeasure[]>();
        for (const a of await repo.attached()) {
          attached.set(a.listType, [...(attached.get(a.listType) ?? []), a]);
        }
        return { measures: await repo.measures(), attached };
      },
      { max: 1 },
    );
  }

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
    this.kept.forget();
  }

  async measures(): Promise<Measure[]> {
    return (await this.kept.get('all')).measures;
  }

  /** What the memoranda attach, by list type. */
  async attachedByList(): Promise<ReadonlyMap<string, readonly AttachedMeasure[]>> {
    return (await this.kept.get('all')).attached;
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
    const created = await this.db.transaction().execute(async (trx) => {
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
    this.kept.forget(); // after the commit
    return created;
  }

  /** The measures that follow from these list types, by their memoranda. */
  async attached(listTypes: readonly string[]): Promise<AttachedMeasure[]> {
    const byList = await this.attachedByList();
    return [...new Set(listTypes)].sort().flatMap((t) => byList.get(t) ?? []);
  }
}
