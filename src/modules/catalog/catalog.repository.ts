/** The catalog's tables. The only place with catalog SQL. */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { CatalogFile, CatalogItem, LegalBasis } from './catalog.schema.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

export interface CatalogRow {
  code: string;
  kind: 'national_base' | 'local_supplementary';
  nameZh: string;
  nameEn: string;
  division: string | null;
  version: number | null;
  versionId: number | null;
  digest: string | null;
  loadedAt: Date | null;
  loadedBy: string | null;
}

export interface ItemRow {
  code: string;
  catalogCode: string;
  versionId: number;
  version: number;
  status: 'active' | 'retired';
  definition: CatalogItem;
}

export interface VersionPlan {
  catalog: CatalogFile['catalog'];
  legalBases: LegalBasis[];
  digest: string;
  content: string;
  loadedBy: string;
  /** Item code → its definition and digest; all items of the new version. */
  items: Array<{ item: CatalogItem; digest: string; changed: boolean }>;
  retired: string[];
}

export class CatalogRepository {
  constructor(private readonly db: Executor) {}

  async legalBases(): Promise<LegalBasis[]> {
    const rows = await this.db.selectFrom('legal_basis').selectAll().orderBy('code').execute();
    return rows.map((r) => ({
      code: r.code,
      title: r.title,
      docNumber: r.doc_number ?? undefined,
      issuer: r.issuer,
      rank: r.rank as LegalBasis['rank'],
      effectiveFrom: r.effective_from ?? undefined,
      seedRef: r.seed_ref ?? undefined,
      note: r.note ?? undefined,
    }));
  }

  async catalogs(): Promise<CatalogRow[]> {
    const rows = await this.db
      .selectFrom('catalog')
      .leftJoin('catalog_version', 'catalog_version.id', 'catalog.current_version_id')
      .select([
        'catalog.code',
        'catalog.kind',
        'catalog.name_zh',
        'catalog.name_en',
        'catalog.division',
        'catalog_version.version',
        'catalog_version.id as version_id',
        'catalog_version.digest',
        'catalog_version.loaded_at',
        'catalog_version.loaded_by',
      ])
      .orderBy('catalog.kind')
      .orderBy('catalog.code')
      .execute();
    return rows.map((r) => ({
      code: r.code,
      kind: r.kind,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      division: r.division,
      version: r.version,
      versionId: r.version_id,
      digest: r.digest,
      loadedAt: r.loaded_at,
      loadedBy: r.loaded_by,
    }));
  }

  /** Items with the number of the catalog version that last defined them. */
  async items(options: { code?: string; includeRetired?: boolean } = {}): Promise<ItemRow[]> {
    let query = this.db
      .selectFrom('catalog_item')
      .innerJoin('catalog_version', 'catalog_version.id', 'catalog_item.version_id')
      .select([
        'catalog_item.code',
        'catalog_item.catalog_code',
        'catalog_item.version_id',
        'catalog_version.version',
        'catalog_item.status',
        'catalog_item.definition',
      ])
      .orderBy('catalog_item.catalog_code')
      .orderBy('catalog_item.code');
    if (options.code !== undefined) {
      query = query.where('catalog_item.code', '=', options.code);
    }
    if (options.includeRetired !== true) {
      query = query.where('catalog_item.status', '=', 'active');
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      code: r.code,
      catalogCode: r.catalog_code,
      versionId: r.version_id,
      version: r.version,
      status: r.status,
      definition: r.definition as CatalogItem,
    }));
  }

  /** An item as it was defined in a given catalog version (what a record entered under). */
  async itemAtVersion(code: string, versionId: number): Promise<CatalogItem | undefined> {
    const row = await this.db
      .selectFrom('catalog_item_version')
      .select('definition')
      .where('item_code', '=', code)
      .where('version_id', '<=', versionId)
      .orderBy('version_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.definition as CatalogItem | undefined;
  }

  async itemDigests(): Promise<Map<string, { digest: string; owner: string; status: string }>> {
    const rows = await this.db
      .selectFrom('catalog_item')
      .innerJoin('catalog_item_version', (join) =>
        join
          .onRef('catalog_item_version.item_code', '=', 'catalog_item.code')
          .onRef('catalog_item_version.version_id', '=', 'catalog_item.version_id'),
      )
      .select([
        'catalog_item.code',
        'catalog_item.catalog_code',
        'catalog_item.status',
        'catalog_item_version.digest',
      ])
      .execute();
    return new Map(rows.map((r) => [r.code, { digest: r.digest, owner: r.catalog_code, status: r.status }]));
  }

  /** Writes a new catalog version; call inside a transaction. Returns the version's id and number. */
  async saveVersion(plan: VersionPlan): Promise<{ id: number; version: number }> {
    for (const b of plan.legalBases) {
      const values = {
        code: b.code,
        title: b.title,
        doc_number: b.docNumber ?? null,
        issuer: b.issuer,
        rank: b.rank,
        effective_from: b.effectiveFrom ?? null,
        seed_ref: b.seedRef ?? null,
        note: b.note ?? null,
      };
      await this.db
        .insertInto('legal_basis')
        .values(values)
        .onConflict((oc) => oc.column('code').doUpdateSet({ ...values, updated_at: new Date() }))
        .execute();
    }
    const c = plan.catalog;
    await this.db
      .insertInto('catalog')
      .values({
        code: c.code,
        kind: c.kind,
        name_zh: c.nameZh,
        name_en: c.nameEn,
        division: c.division ?? null,
      })
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({ kind: c.kind, name_zh: c.nameZh, name_en: c.nameEn, division: c.division ?? null }),
      )
      .execute();
    const previous = await this.db
      .selectFrom('catalog_version')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('catalog_code', '=', c.code)
      .executeTakeFirst();
    const version = (previous?.version ?? 0) + 1;
    const inserted = await this.db
      .insertInto('catalog_version')
      .values({
        catalog_code: c.code,
        version,
        digest: plan.digest,
        content: plan.content,
        loaded_by: plan.loadedBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const versionId = inserted.id;
    await this.db
      .updateTable('catalog')
      .set({ current_version_id: versionId })
      .where('code', '=', c.code)
      .execute();

    const changed = plan.items.filter((i) => i.changed);
    if (changed.length > 0) {
      await this.db
        .insertInto('catalog_item_version')
        .values(
          changed.map((i) => ({
            item_code: i.item.code,
            version_id: versionId,
            digest: i.digest,
            definition: JSON.stringify(i.item),
          })),
        )
        .execute();
      for (const { item } of changed) {
        const row = {
          catalog_code: c.code,
          version_id: versionId,
          category: item.category,
          status: 'active' as const,
          definition: JSON.stringify(item),
        };
        await this.db
          .insertInto('catalog_item')
          .values({ code: item.code, ...row })
          .onConflict((oc) => oc.column('code').doUpdateSet(row))
          .execute();
      }
    }
    if (plan.retired.length > 0) {
      await this.db
        .updateTable('catalog_item')
        .set({ status: 'retired' })
        .where('code', 'in', plan.retired)
        .where('catalog_code', '=', c.code)
        .execute();
    }
    return { id: versionId, version };
  }
}
