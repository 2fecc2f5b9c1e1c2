/** The only place with the evaluation's SQL: models, results, runs and the feed cursor. */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { EvaluatedRecord } from './evaluation.compute.ts';
import type { Model } from './evaluation.rules.ts';
import { aggregateQuery, evaluationQuery, type Scope } from './evaluation.sql.ts';

export interface ModelRow {
  id: number;
  code: string;
  version: number;
  digest: string;
  content: unknown;
  loaded_by: string;
  loaded_at: Date;
  current_since: Date | null;
}

export interface ResultRow {
  model_id: number;
  subject_id: number;
  subject_kind: string;
  score: number;
  level: string;
  indicator_values: number[];
  as_of: string;
  computed_at: Date;
}

/** Subjects that moved from one level to another ("" for a first result), and how many. */
export type Transitions = Array<{ from: string; to: string; n: number }>;

/** What a write computed, and the moves of the results it wrote (unchanged ones are not rewritten). */
export interface Written {
  computed: number;
  moves: Transitions;
}

export class EvaluationRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async models(): Promise<ModelRow[]> {
    const rows = await this.db.selectFrom('evaluation_model').selectAll().orderBy('id').execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async insertModel(row: {
    code: string;
    version: number;
    digest: string;
    content: string;
    loadedBy: string;
  }): Promise<number> {
    const r = await this.db
      .insertInto('evaluation_model')
      .values({
        code: row.code,
        version: row.version,
        digest: row.digest,
        content: row.content,
        loaded_by: row.loadedBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async makeCurrent(modelId: number): Promise<void> {
    await sql`update evaluation_model set current_since = clock_timestamp() where id = ${modelId}`.execute(
      this.db,
    );
  }

  /**
   * Computes and writes the results of `scope` under a model, rewriting only those that changed;
   * answers how many it computed and how the written ones moved from their results before (the same
   * model's, or `compareWith`'s).
   */
  async write(
    model: Model,
    modelId: number,
    asOf: string,
    scope: Scope,
    compareWith: number | undefined,
  ): Promise<Written> {
    const statement = sql<{ from_level: string | null; to_level: string | null; n: number }>`
      with computed as materialized (${evaluationQuery(model, modelId, asOf, scope)}),
      old as (
        select e.subject_id, e.level from evaluation e
        where e.model_id = ${compareWith ?? -1} and e.subject_id in (select subject_id from computed)
      ),
      written as (
        insert into evaluation (model_id, subject_id, subject_kind, score, level, indicator_values, as_of, computed_at)
        select model_id, subject_id, subject_kind, score, level, indicator_values, as_of, now() from computed
        on conflict (model_id, subject_id) do update set
          subject_kind = excluded.subject_kind, score = excluded.score, level = excluded.level,
          indicator_values = excluded.indicator_values,
          as_of = excluded.as_of, computed_at = excluded.computed_at
        where (evaluation.score, evaluation.level, evaluation.indicator_values, evaluation.subject_kind)
          is distinct from (excluded.score, excluded.level, excluded.indicator_values, excluded.subject_kind)
        returning subject_id, level
      )
      select coalesce(o.level, '') as from_level, w.level as to_level, count(*)::int as n
      from written w left join old o on o.subject_id = w.subject_id
      group by 1, 2
      union all select null, null, (select count(*)::int from computed)`;
    const r =
      'ids' in scope
        ? await statement.execute(this.db)
        : await this.db.transaction().execute(async (trx) => {
            // A run's aggregate over the whole table in memory rather than spilled to disk.
            await sql`select set_config('work_mem', '256MB', true)`.execute(trx);
            return statement.execute(trx);
          });
    return {
      computed: Number(r.rows.find((x) => x.from_level === null)?.n ?? 0),
      moves: r.rows
        .filter((x) => x.from_level !== null)
        .map((x) => ({ from: x.from_level ?? '', to: x.to_level ?? '', n: Number(x.n) })),
    };
  }

  /**
   * A model's first run: its results of an id range inserted, compared with the model in force's.
   * The records' aggregate and the results are staged in unlogged tables of the run's own (tables
   * created from a query are computed by parallel workers; an insert's query is not), then inserted
   * by `writers` connections at once, each a part of the id range (one transaction each: a run that
   * fails part way is run again over the results it left, rewriting what differs).
   */
  async insertRange(
    model: Model,
    modelId: number,
    asOf: string,
    range: { from: number; to: number },
    compareWith: number | undefined,
    writers = 2,
  ): Promise<Written> {
    // When it was made (seconds since 1970) is in its name: a run killed part way leaves its tables,
    // which a later start drops once they are old (dropStaleStages).
    const suffix = `${Math.floor(Date.now() / 1000)}_${randomBytes(6).toString('hex')}`;
    const aggregate = sql.table(`evaluation_aggregate_${suffix}`);
    const stage = sql.table(`evaluation_stage_${suffix}`);
    try {
      await this.db.transaction().execute(async (trx) => {
        // In memory rather than spilled to disk.
        await sql`select set_config('work_mem', '256MB', true)`.execute(trx);
        await sql`create unlogged table ${aggregate} as ${aggregateQuery(model, asOf, range)}`.execute(trx);
        await sql`analyze ${aggregate}`.execute(trx);
        await sql`create unlogged table ${stage} as ${evaluationQuery(model, modelId, asOf, range, sql`${aggregate}`)}`.execute(
          trx,
        );
        await sql`analyze ${stage}`.execute(trx);
      });
      const step = Math.ceil((range.to - range.from + 1) / writers);
      await Promise.all(
        Array.from({ length: writers }, (_, k) => ({
          from: range.from + k * step,
          to: Math.min(range.to, range.from + (k + 1) * step - 1),
        }))
          .filter((part) => part.from <= part.to)
          .map((part) =>
            // One result the follower wrote meanwhile is newer and stays; a subject changed meanwhile
            // is recomputed after the run.
            sql`
              insert into evaluation (model_id, subject_id, subject_kind, score, level, indicator_values, as_of, computed_at)
              select model_id, subject_id, subject_kind, score, level, indicator_values, as_of, now()
              from ${stage} where subject_id between ${part.from} and ${part.to}
              on conflict (model_id, subject_id) do nothing`.execute(this.db),
          ),
      );
      const r = await sql<{ from_level: string; to_level: string; n: number }>`
        select coalesce(o.level, '') as from_level, n.level as to_level, count(*)::int as n
        from ${stage} n left join evaluation o on o.model_id = ${compareWith ?? -1} and o.subject_id = n.subject_id
        group by 1, 2`.execute(this.db);
      const moves = r.rows.map((x) => ({ from: x.from_level, to: x.to_level, n: Number(x.n) }));
      return { computed: moves.reduce((sum, m) => sum + m.n, 0), moves };
    } finally {
      await sql`drop table if exists ${aggregate}, ${stage}`.execute(this.db);
    }
  }

  /** Drops the stage tables of runs killed part way, made more than `olderThanSeconds` ago. */
  async dropStaleStages(olderThanSeconds: number, now = Date.now()): Promise<string[]> {
    const r = await sql<{ name: string }>`
      select tablename as name from pg_tables
      where schemaname = current_schema() and tablename ~ '^evaluation_(aggregate|stage)_[0-9]+_[0-9a-f]{12}$'`.execute(
      this.db,
    );
    const stale = r.rows
      .map((x) => x.name)
      .filter(
        (name) =>
          Number(/_(\d+)_[0-9a-f]{12}$/.exec(name)?.[1] ?? now) * 1000 < now - olderThanSeconds * 1000,
      );
    for (const name of stale) {
      await sql`drop table if exists ${sql.table(name)}`.execute(this.db);
    }
    return stale;
  }

  async hasResults(modelId: number): Promise<boolean> {
    const r = await sql<{
      any: boolean;
    }>`select exists (select 1 from evaluation where model_id = ${modelId}) as any`.execute(this.db);
    return r.rows[0]?.any === true;
  }

  /** Subjects with a change in the feed after a point (a run's start): recomputed when it ends. */
  async changedSince(after: { txid: bigint; id: number }): Promise<number[]> {
    const r = await sql<{ subject_id: string }>`
      select distinct c.subject_id from change_log c
      where (c.txid, c.id) > (${after.txid.toString()}::xid8, ${after.id}::bigint)`.execute(this.db);
    return r.rows.map((x) => Number(x.subject_id));
  }

  async result(modelId: number, subjectId: number): Promise<ResultRow | undefined> {
    const r = await sql<ResultRow>`
      select model_id, subject_id, subject_kind, score, level, indicator_values,
        as_of, computed_at
      from evaluation where model_id = ${modelId} and subject_id = ${subjectId}`.execute(this.db);
    const row = r.rows[0];
    return row === undefined
      ? undefined
      : { ...row, model_id: Number(row.model_id), subject_id: Number(row.subject_id) };
  }

  /** The subject's current records of these items, in id order (revoked and replaced ones included: the evaluator leaves them). */
  async records(subjectId: number, items: readonly string[]): Promise<EvaluatedRecord[]> {
    const r = await sql<{
      id: string | number;
      item_code: string;
      tier: string | null;
      decision_date: string | null;
      longest_until: string | null;
      status: string;
    }>`
      select r.id, r.item_code, r.tier, r.decision_date, r.longest_until, r.status from record r
      where r.subject_id = ${subjectId} and r.is_current and r.item_code = any(${items}::text[])
      order by r.id`.execute(this.db);
    return r.rows.map((x) => ({
      id: Number(x.id),
      item: x.item_code,
      tier: x.tier,
      decisionDate: x.decision_date,
      longestUntil: x.longest_until,
      status: x.status,
    }));
  }

  /** The range of subject ids, for a run in chunks. */
  async subjectRange(kinds: readonly string[]): Promise<{ min: number; max: number; count: number }> {
    const r = await sql<{ min: string | null; max: string | null; count: number }>`
      select min(id) as min, max(id) as max, count(*)::int as count from subject where kind = any(${kinds}::text[])`.execute(
      this.db,
    );
    const row = r.rows[0];
    return { min: Number(row?.min ?? 1), max: Number(row?.max ?? 0), count: Number(row?.count ?? 0) };
  }

  async startRun(row: {
    modelId: number;
    kind: 'full' | 'daily' | 'subjects';
    asOf: string;
    startedBy: string;
    total: number;
  }): Promise<number> {
    const r = await this.db
      .insertInto('evaluation_run')
      .values({
        model_id: row.modelId,
        kind: row.kind,
        as_of: row.asOf,
        started_by: row.startedBy,
        total: row.total,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async progress(
    runId: number,
    p: {
      done: number;
      up: number;
      down: number;
      unchanged: number;
      first: number;
      transitions: Record<string, number>;
    },
  ): Promise<void> {
    await this.db
      .updateTable('evaluation_run')
      .set({
        done: p.done,
        levels_up: p.up,
        levels_down: p.down,
        unchanged: p.unchanged,
        first_results: p.first,
        transitions: JSON.stringify(p.transitions),
      })
      .where('id', '=', runId)
      .execute();
  }

  async finishRun(runId: number, status: 'done' | 'failed', error?: string): Promise<void> {
    await this.db
      .updateTable('evaluation_run')
      .set({ status, finished_at: new Date(), error: error ?? null })
      .where('id', '=', runId)
      .execute();
  }

  async run(runId: number) {
    return this.db.selectFrom('evaluation_run').selectAll().where('id', '=', runId).executeTakeFirst();
  }

  async runs(limit: number) {
    return this.db.selectFrom('evaluation_run').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }

  // The change feed, followed from a cursor kept in the database.

  async cursor(): Promise<{ txid: bigint; id: number; day: string } | undefined> {
    const r = await sql<{ txid: string; change_id: string; day: string }>`
      select txid::text as txid, change_id, day from evaluation_cursor`.execute(this.db);
    const row = r.rows[0];
    return row === undefined
      ? undefined
      : { txid: BigInt(row.txid), id: Number(row.change_id), day: row.day };
  }

  /**
   * Starts the cursor at the feed's horizon: changes of transactions that ended are in the results a
   * full run computes; those of transactions still running are read from the feed.
   */
  async initCursor(day: string): Promise<void> {
    const r = await sql<{
      xmin: string;
    }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(this.db);
    const txid = BigInt(r.rows[0]?.xmin ?? '1') - 1n;
    await sql`
      insert into evaluation_cursor (txid, change_id, day)
      values (${txid.toString()}::xid8, ${Number.MAX_SAFE_INTEGER}, ${day}::date)
      on conflict (singleton) do nothing`.execute(this.db);
  }

  async moveCursor(c: { txid: bigint; id: number; day: string }): Promise<void> {
    await sql`update evaluation_cursor set txid = ${c.txid.toString()}::xid8, change_id = ${c.id}, day = ${c.day}::date`.execute(
      this.db,
    );
  }

  async changesAfter(
    after: { txid: bigint; id: number },
    limit: number,
  ): Promise<Array<{ txid: string; id: number; subject_id: number }>> {
    const r = await sql<{ txid: string; id: string; subject_id: string }>`
      select c.txid::text as txid, c.id, c.subject_id from change_log c
      where (c.txid, c.id) > (${after.txid.toString()}::xid8, ${after.id}::bigint)
        and c.txid < pg_snapshot_xmin(pg_current_snapshot())
      order by c.txid, c.id
      limit ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ txid: x.txid, id: Number(x.id), subject_id: Number(x.subject_id) }));
  }

  async latestChange(): Promise<{ txid: bigint; id: number } | undefined> {
    const r = await sql<{ txid: string; id: string }>`
      select c.txid::text as txid, c.id from change_log c order by c.txid desc, c.id desc limit 1`.execute(
      this.db,
    );
    const row = r.rows[0];
    return row === undefined ? undefined : { txid: BigInt(row.txid), id: Number(row.id) };
  }
}
