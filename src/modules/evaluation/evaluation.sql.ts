/**
 * The model as one SQL statement: every indicator an aggregate over the subjects' current records,
 * the score and the level computed in the same pass, written as results in one set-based insert.
 * What evaluation.compute.ts says of one subject, this says of many at once (the oracle test holds
 * them together); the model's codes, items and numbers are checked before they reach here and are
 * passed as values, never spliced.
 */
import { sql, type RawBuilder } from 'kysely';
import { addMonths } from '../../platform/calendar/index.ts';
import type { CompiledIndicator, Model } from './evaluation.rules.ts';

/** Which subjects a statement computes: all the model evaluates, those of an id range, or some ids. */
export type Scope = { all: true } | { from: number; to: number } | { ids: readonly number[] };

const READABLE = sql`r.status in ('active', 'under_objection', 'repaired')`;

function excluded(indicator: CompiledIndicator, asOf: string): RawBuilder<unknown> {
  const t = indicator.treatment;
  const parts: RawBuilder<unknown>[] = [];
  if (t.repaired === 'exclude') {
    parts.push(sql`r.status = 'repaired'`);
  }
  if (t.underObjection === 'exclude') {
    parts.push(sql`r.status = 'under_objection'`);
  }
  if (t.displayEnded === 'exclude') {
    parts.push(sql`(r.longest_until is not null and ${asOf}::date >= r.longest_until)`);
  }
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

/** A column equal to one of some values: `=` for one (cheaper, per record and indicator, than `= any`). */
function oneOf(column: RawBuilder<unknown>, values: readonly string[]): RawBuilder<unknown> {
  return values.length === 1 ? sql`${column} = ${values[0]}::text` : sql`${column} = any(${values}::text[])`;
}

/** The condition under which a record counts for the indicator (years_without: its dates may count). */
function counts(indicator: CompiledIndicator, asOf: string): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [oneOf(sql`r.item_code`, indicator.items)];
  if (indicator.kind === 'count') {
    if (indicator.tiers !== undefined) {
      parts.push(oneOf(sql`r.tier`, indicator.tiers));
    }
    if (indicator.withinMonths !== undefined) {
      parts.push(
        sql`r.decision_date >= (${asOf}::date - make_interval(months => ${indicator.withinMonths}::int))::date`,
      );
    }
  }
  parts.push(sql`not ${excluded(indicator, asOf)}`);
  return sql`(${sql.join(parts, sql` and `)})`;
}

/**
 * Whole years from a date to `asOf`, up to `cap`, as PostgreSQL's age() counts them: one for each k
 * in 1..cap with the date on or before `asOf` − k years (29 February taken back to the 28th, as
 * addMonths does) — comparisons with constants, much cheaper than age() a million times.
 */
const years = (from: RawBuilder<unknown>, asOf: string, cap: number) =>
  sql`(${sql.join(
    Array.from({ length: cap }, (_, k) => sql`(${from} <= ${addMonths(asOf, -12 * (k + 1))}::date)::int`),
    sql` + `,
  )})`;

/** What the model reads of each subject's records: one row per subject with records, by SQL. */
function compile(model: Model, asOf: string) {
  const aggregates: RawBuilder<unknown>[] = [];
  const valueOf: RawBuilder<unknown>[] = [];
  const pointsOf: RawBuilder<unknown>[] = [];
  model.indicators.forEach((indicator, i) => {
    const a = (name: string) => sql.ref(`a.${name}${i}`);
    const as = (name: string) => sql.id(`${name}${i}`);
    const v = sql.ref(`v.v${i}`);
    switch (indicator.kind) {
      case 'count':
        aggregates.push(sql`count(*) filter (where ${counts(indicator, asOf)})::int as ${as('n')}`);
        valueOf.push(sql`coalesce(${a('n')}, 0)`);
        pointsOf.push(sql`least(${v}, ${indicator.cap}::int) * ${indicator.pointsEach}::int`);
        break;
      case 'years_without': {
        const reg = sql`r.item_code = ${indicator.registrationItem} and r.decision_date is not null`;
        aggregates.push(sql`max(r.decision_date) filter (where ${counts(indicator, asOf)}) as ${as('last')}`);
        aggregates.push(sql`min(r.decision_date) filter (where ${reg}) as ${as('reg')}`);
        valueOf.push(
          sql`case when ${a('last')} is not null then ${years(a('last'), asOf, indicator.cap)}
                   when ${a('reg')} is not null then ${years(a('reg'), asOf, indicator.cap)}
                   else 0 end`,
        );
        pointsOf.push(sql`${v} * ${indicator.pointsPerYear}::int`);
        break;
      }
      case 'registration_age': {
        const reg = sql`${oneOf(sql`r.item_code`, indicator.items)} and r.decision_date is not null`;
        aggregates.push(sql`min(r.decision_date) filter (where ${reg}) as ${as('reg')}`);
        valueOf.push(
          sql`case when ${a('reg')} is not null then ${years(a('reg'), asOf, indicator.cap)} else 0 end`,
        );
        pointsOf.push(sql`${v} * ${indicator.pointsPerYear}::int`);
        break;
      }
    }
  });
  return { aggregates, valueOf, pointsOf };
}

/** Every catalog item the model's indicators read (registration items included). */
export const itemsRead = (model: Model): string[] => [
  ...new Set(
    model.indicators.flatMap((i) =>
      i.kind === 'years_without' ? [...i.items, i.registrationItem] : i.items,
    ),
  ),
];

/**
 * Each subject's aggregate of the records the model reads (subjects without such records have no
 * row): the part of a run that reads the records, and the only one; parallel workers may compute
 * it, as they compute a plain GROUP BY.
 */
export function aggregateQuery(model: Model, asOf: string, scope: Scope): RawBuilder<unknown> {
  const { aggregates } = compile(model, asOf);
  const recordScope =
    'all' in scope
      ? sql`true`
      : 'ids' in scope
        ? sql`r.subject_id = any(${scope.ids}::bigint[])`
        : sql`r.subject_id between ${scope.from} and ${scope.to}`;
  return sql`
    select r.subject_id, ${sql.join(aggregates)}
    from record r
    where r.is_current and ${READABLE} and r.item_code = any(${itemsRead(model)}::text[]) and ${recordScope}
    group by r.subject_id`;
}

/**
 * The results of the subjects in `scope` on `asOf`, as rows of the evaluation table, from the
 * aggregates (`aggregated`: the aggregate query itself, or a table a run staged it in) joined to the
 * subjects the model evaluates — a subject without records is evaluated too.
 */
export function evaluationQuery(
  model: Model,
  modelId: number,
  asOf: string,
  scope: Scope,
  aggregated: RawBuilder<unknown> = sql`(${aggregateQuery(model, asOf, scope)})`,
): RawBuilder<unknown> {
  const { valueOf, pointsOf } = compile(model, asOf);
  const subjectScope =
    'all' in scope
      ? sql`true`
      : 'ids' in scope
        ? sql`s.id = any(${scope.ids}::bigint[])`
        : sql`s.id between ${scope.from} and ${scope.to}`;
  const contributions = model.indicators.map((ind, i) => sql`${sql.ref(`p.p${i}`)} * ${ind.weight100}::int`);
  const descending = [...model.levels].reverse();
  const level = sql`case ${sql.join(
    descending.slice(0, -1).map((l) => sql`when ${sql.ref('score')} >= ${l.min100 ?? 0}::int then ${l.code}`),
    sql` `,
  )} else ${descending.at(-1)?.code ?? ''} end`;
  return sql`
    select subject_id, subject_kind, score, ${level} as level, indicator_values,
      ${asOf}::date as as_of, ${modelId}::bigint as model_id
    from (
      select p.subject_id, p.subject_kind,
        ${model.base100}::int + ${sql.join(contributions, sql` + `)} as score,
        array[${sql.join(model.indicators.map((_, i) => sql.ref(`p.v${i}`)))}]::int[] as indicator_values
      from (
        select v.*, ${sql.join(pointsOf.map((x, i) => sql`${x} as ${sql.id(`p${i}`)}`))}
        from (
          select s.id as subject_id, s.kind as subject_kind,
            ${sql.join(valueOf.map((x, i) => sql`${x} as ${sql.id(`v${i}`)}`))}
          from subject s
          left join ${aggregated} a on a.subject_id = s.id
          where s.kind = any(${model.subjectKinds}::text[]) and ${subjectScope}
        ) v
      ) p
    ) e`;
}
