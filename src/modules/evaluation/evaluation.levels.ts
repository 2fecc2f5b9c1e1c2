/**
 * The levels of subjects under the model in force: what graded supervision (inspection rates by
 * level) reads. A subject without a result under that model has no level (`undefined`).
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';

export interface ModelInForce {
  id: number;
  code: string;
  version: number;
}

/** The model whose results readers see: the one made current last by a completed full run. */
export async function modelInForce(db: Kysely<Schema>): Promise<ModelInForce | undefined> {
  const row = await db
    .selectFrom('evaluation_model')
    .select(['id', 'code', 'version'])
    .where('current_since', 'is not', null)
    .orderBy('current_since', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: Number(row.id), code: row.code, version: row.version };
}

/** The level of each of these subjects under the model in force (absent: not evaluated). */
export async function currentLevels(
  db: Kysely<Schema>,
  subjectIds: readonly number[],
): Promise<{ model: ModelInForce | undefined; levels: Map<number, string> }> {
  const model = await modelInForce(db);
  const levels = new Map<number, string>();
  if (model === undefined || subjectIds.length === 0) {
    return { model, levels };
  }
  for (let i = 0; i < subjectIds.length; i += 10_000) {
    const chunk = subjectIds.slice(i, i + 10_000);
    const r = await sql<{ subject_id: string | number; level: string }>`
      select subject_id, level from evaluation
      where model_id = ${model.id} and subject_id = any(${chunk}::bigint[])`.execute(db);
    for (const row of r.rows) {
      levels.set(Number(row.subject_id), row.level);
    }
  }
  return { model, levels };
}
