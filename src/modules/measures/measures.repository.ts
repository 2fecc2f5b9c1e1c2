/** Where the measure list and memoranda are kept. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { MemorandumDefinition } from './measures.rules.ts';
import type { Measure } from './measures.types.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

export interface AttachedMeasure {
  memorandum: string;
  listType: string;
  measure: Measure;
  obligation: 'mandatory' | 'recommended';
  matters: string[];
  implementers: string[];
}

export class MeasuresRepository {
  constructor(private readonly db: Executor) {}

  /** The shipped list as it is now: new measures added, changed ones updated; the codes written. */
  async upsertMeasures(measures: readonly Measure[]): Promise<string[]> {
    if (measures.length === 0) {
      return [];
    }
    const rows = await this.db
      .insertInto('measure')
      .values(
        measures.map((m) => ({
          code: m.code,
          direction: m.direction,
          obligation: m.obligation,
          binding: m.binding,
          definition: JSON.stringify(m),
        })),
      )
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet((eb) => ({
            direction: eb.ref('excluded.direction'),
            obligation: eb.ref('excluded.obligation'),
            binding: eb.ref('excluded.binding'),
            definition: eb.ref('excluded.definition'),
          }))
          // Only what changed is written (and reported).
          .where(sql<boolean>`measure.definition is distinct from excluded.definition`),
      )
      .returning('code')
      .execute();
    return rows.map((r) => r.code);
  }

  async measures(): Promise<Measure[]> {
    const rows = await this.db.selectFrom('measure').select('definition').orderBy('code').execute();
    return rows.map((r) => r.definition as Measure);
  }

  async memorandumExists(code: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('memorandum')
      .select('code')
      .where('code', '=', code)
      .executeTakeFirst();
    return r !== undefined;
  }

  async insertMemorandum(
    memo: MemorandumDefinition,
    measures: ReadonlyMap<string, Measure>,
    by: string,
  ): Promise<void> {
    await this.db
      .insertInto('memorandum')
      .values({
        code: memo.code,
        name: memo.name,
        signed_on: memo.signedOn,
        signatories: memo.signatories,
        basis: memo.basis,
        created_by: by,
      })
      .execute();
    await this.db
      .insertInto('memorandum_measure')
      .values(
        memo.entries.map((e) => {
          const m = measures.get(e.measure) as Measure;
          return {
            memorandum_code: memo.code,
            list_type: e.listType,
            measure_code: e.measure,
            obligation: e.obligation ?? m.obligation,
            matters: e.matters ?? m.matters,
            implementers: e.implementers ?? m.implementers,
          };
        }),
      )
      .execute();
  }

  async memoranda(): Promise<
    Array<{
      code: string;
      name: string;
      signedOn: string;
      signatories: string[];
      basis: string;
      entries: number;
    }>
  > {
    const r = await sql<{
      code: string;
      name: string;
      signed_on: string;
      signatories: string[];
      basis: string;
      entries: number;
    }>`
      select m.code, m.name, m.signed_on, m.signatories, m.basis, count(mm.*) as entries
      from memorandum m left join memorandum_measure mm on mm.memorandum_code = m.code
      group by m.code order by m.code`.execute(this.db);
    return r.rows.map((x) => ({
      code: x.code,
      name: x.name,
      signedOn: x.signed_on,
      signatories: x.signatories,
      basis: x.basis,
      entries: x.entries,
    }));
  }

  /** What the memoranda attach to every list type: the only measures that may follow from a listing. */
  async attached(): Promise<AttachedMeasure[]> {
    const rows = await this.db
      .selectFrom('memorandum_measure as mm')
      .innerJoin('measure as m', 'm.code', 'mm.measure_code')
      .select([
        'mm.memorandum_code',
        'mm.list_type',
        'm.definition',
        'mm.obligation',
        'mm.matters',
        'mm.implementers',
      ])
      .orderBy('mm.list_type')
      .orderBy('m.code')
      .execute();
    return rows.map((r) => ({
      memorandum: r.memorandum_code,
      listType: r.list_type,
      measure: r.definition as Measure,
      obligation: r.obligation,
      matters: r.matters,
      implementers: r.implementers,
    }));
  }
}
