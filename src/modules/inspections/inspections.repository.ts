/** Seeds, draws, and what a draw reads of subjects and of the model in force. */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { InspectionDrawTable, InspectionSeedTable, Schema } from '../../platform/db/schema.ts';

export type SeedRow = Selectable<InspectionSeedTable> & { department_name: string | null };

/** A draw with its seed, its model and the name of its department (not its plan). */
export type DrawRow = Omit<Selectable<InspectionDrawTable>, 'plan'> & {
  seed: string;
  announced_at: Date;
  department_name: string | null;
  model_code: string | null;
  model_version: number | null;
  /** The model's `publicLevel`: whether the public may see a subject's level. */
  public_level: unknown;
};

/** A line of the list of draws. */
export interface DrawSummaryRow {
  id: number;
  department_code: string;
  matter: string;
  pool_size: number;
  drawn_at: Date;
  seed: string;
  department_name: string | null;
  model_code: string | null;
  model_version: number | null;
  drawn: number;
}

/** A subject one of the pool's codes names, by the code's (kind, keyed hash). */
export interface PoolMatch {
  code_kind: string;
  value_hash: string;
  subject_id: number;
  subject_kind: string;
  name: string;
}

export class InspectionsRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  private seeds() {
    return this.db
      .selectFrom('inspection_seed')
      .selectAll('inspection_seed')
      .select((eb) =>
        eb
          .selectFrom('department')
          .select('department.name')
          .whereRef('department.code', '=', 'inspection_seed.department_code')
          .as('department_name'),
      );
  }

  async insertSeed(row: Insertable<InspectionSeedTable>): Promise<number> {
    return Number(
      (await this.db.insertInto('inspection_seed').values(row).returning('id').executeTakeFirstOrThrow()).id,
    );
  }

  seedById(id: number): Promise<SeedRow | undefined> {
    return this.seeds().where('id', '=', id).executeTakeFirst();
  }

  latestSeeds(limit: number): Promise<SeedRow[]> {
    return this.seeds().orderBy('announced_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** Whether the seed was announced before the database's clock now (strictly). */
  async announcedBeforeNow(id: number): Promise<boolean> {
    const r = await sql<{ before: boolean }>`
      select announced_at < clock_timestamp() as before from inspection_seed where id = ${id}`.execute(
      this.db,
    );
    return r.rows[0]?.before === true;
  }

  /** The subjects these (kind, keyed hash) pairs name, in chunks (a pool holds up to 100,000 codes). */
  async subjectsByHashes(pairs: ReadonlyArray<{ kind: string; hash: string }>): Promise<PoolMatch[]> {
    const found: PoolMatch[] = [];
    for (let i = 0; i < pairs.length; i += 10_000) {
      const chunk = pairs.slice(i, i + 10_000);
      const r = await sql<PoolMatch>`
        select sc.kind as code_kind, sc.value_hash, s.id as subject_id, s.kind as subject_kind, s.name
        from unnest(${chunk.map((p) => p.kind)}::text[], ${chunk.map((p) => p.hash)}::text[]) as q (kind, hash)
        join subject_code sc on sc.kind = q.kind and sc.value_hash = q.hash
        join subject s on s.id = sc.subject_id`.execute(this.db);
      found.push(...r.rows.map((row) => ({ ...row, subject_id: Number(row.subject_id) })));
    }
    return found;
  }

  async modelContent(id: number): Promise<unknown> {
    return (
      await this.db.selectFrom('evaluation_model').select('content').where('id', '=', id).executeTakeFirst()
    )?.content;
  }

  async insertDraw(row: Insertable<InspectionDrawTable>): Promise<{ id: number; drawn_at: Date }> {
    const made = await this.db
      .insertInto('inspection_draw')
      .values(row)
      .returning(['id', 'drawn_at'])
      .executeTakeFirstOrThrow();
    return { id: Number(made.id), drawn_at: made.drawn_at };
  }

  /** The seed is used by `draw` now; false when another draw took it first. */
  async useSeed(seedId: number, draw: number): Promise<boolean> {
    const done = await this.db
      .updateTable('inspection_seed')
      .set({ used_by_draw: draw })
      .where('id', '=', seedId)
      .where('used_by_draw', 'is', null)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) === 1;
  }

  /** Draws with their seed, model and department; never the plan (its pool may be 100,000 codes). */
  private draws() {
    return this.db
      .selectFrom('inspection_draw as d')
      .innerJoin('inspection_seed as s', 's.id', 'd.seed_id')
      .leftJoin('evaluation_model as m', 'm.id', 'd.model_id')
      .leftJoin('department as dep', 'dep.code', 'd.department_code')
      .select([
        'd.id',
        'd.department_code',
        'd.matter',
        'd.seed_id',
        'd.model_id',
        'd.pool_size',
        'd.pool_digest',
        'd.groups',
        'd.sample',
        'd.drawn_by',
        'd.drawn_at',
        's.seed',
        's.announced_at',
        'dep.name as department_name',
        'm.code as model_code',
        'm.version as model_version',
        sql<unknown>`m.content -> 'model' -> 'publicLevel'`.as('public_level'),
      ]);
  }

  drawById(id: number): Promise<DrawRow | undefined> {
    return this.draws().where('d.id', '=', id).executeTakeFirst();
  }

  /** The latest draws, as a list shows them: without their sample, only its size. */
  latestDraws(limit: number): Promise<DrawSummaryRow[]> {
    return this.db
      .selectFrom('inspection_draw as d')
      .innerJoin('inspection_seed as s', 's.id', 'd.seed_id')
      .leftJoin('evaluation_model as m', 'm.id', 'd.model_id')
      .leftJoin('department as dep', 'dep.code', 'd.department_code')
      .select([
        'd.id',
        'd.department_code',
        'd.matter',
        'd.pool_size',
        'd.drawn_at',
        's.seed',
        'dep.name as department_name',
        'm.code as model_code',
        'm.version as model_version',
        sql<number>`(select count(*) from jsonb_array_elements(d.sample) e where e ->> 'kind' <> 'natural_person')::int`.as(
          'drawn',
        ),
      ])
      .orderBy('d.drawn_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(limit)
      .execute();
  }
}
