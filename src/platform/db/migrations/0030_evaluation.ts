import { sql, type Kysely } from 'kysely';

/**
 * Public credit evaluation (公共信用综合评价) of market entities.
 *
 * - `evaluation_model`: each version of a model as loaded (its canonical JSON and digest). The model
 *   in force is the one a completed full run made current (`current_since`); a newly loaded model
 *   is computed in the background first, so readers keep the old results until the new ones are all
 *   there.
 * - `evaluation`: one result per model and subject. Natural persons are never scored: the subject's
 *   kind is carried in the row and checked to be an organisation's or an individual business's (a
 *   check constraint); triggers refuse a result whose subject is a natural person, whatever kind it
 *   claims, and a change of an evaluated subject's kind — the database refuses, not only the code.
 * - `evaluation_run`: a recomputation (a model's full run, the midnight run of ended display
 *   periods), with its progress and how many subjects changed level in which direction.
 * - `evaluation_cursor`: how far the evaluation has followed the change feed.
 *
 * A result keeps the numbers (each indicator's value and contribution, the score, the level); the
 * records each rests on are read with the explanation, which is computed again from the records
 * and served only when it gives the stored score (else the subject is recomputed first).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table evaluation_model (
      id bigint generated always as identity primary key,
      code text not null check (code ~ '^[a-z][a-z0-9_-]{0,39}$'),
      version integer not null check (version between 1 and 9999),
      digest text not null check (digest ~ '^[0-9a-f]{64}$'),
      content jsonb not null,
      loaded_by text not null,
      loaded_at timestamptz not null default now(),
      current_since timestamptz,
      unique (code, version)
    )`.execute(db);
  await sql`
    create table evaluation (
      model_id bigint not null,
      subject_id bigint not null,
      subject_kind text not null
        constraint evaluation_market_entities_only
        check (subject_kind in ('legal_person', 'other_org', 'individual_business')),
      score integer not null,
      level text not null,
      indicator_values integer[] not null,
      as_of date not null,
      computed_at timestamptz not null default now(),
      primary key (model_id, subject_id)
    )`.execute(db);
  // Natural persons are never evaluated, whatever kind a result claims, and a result is of a model
  // loaded: checked once per statement (a run writes a million results in one), where foreign keys
  // would check each row.
  await sql`
    create function xinyong_evaluation_subject_kind() returns trigger language plpgsql as $$
    begin
      if exists (
        select 1 from new_rows n join subject s on s.id = n.subject_id and s.kind = 'natural_person'
      ) then
        raise exception 'evaluation_subject_kind: natural persons are never evaluated'
          using errcode = '23514', constraint = 'evaluation_subject_kind';
      end if;
      if exists (select 1 from new_rows n where not exists (select 1 from evaluation_model m where m.id = n.model_id)) then
        raise exception 'evaluation_model: a result must be of a model loaded'
          using errcode = '23503', constraint = 'evaluation_model';
      end if;
      return null;
    end $$`.execute(db);
  for (const event of ['insert', 'update']) {
    await sql`
      create trigger ${sql.raw(`evaluation_subject_kind_${event}`)} after ${sql.raw(event)} on evaluation
      referencing new table as new_rows for each statement
      execute function xinyong_evaluation_subject_kind()`.execute(db);
  }
  // Nor may an evaluated subject become a natural person (or another kind) under its results.
  await sql`
    create function xinyong_subject_kind_evaluated() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from evaluation e where e.subject_id = new.id) then
        raise exception 'evaluation_subject_kind: subject % has evaluation results; its kind stays %', new.id, old.kind
          using errcode = '23514', constraint = 'evaluation_subject_kind';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger subject_kind_evaluated before update of kind on subject
    for each row when (old.kind is distinct from new.kind)
    execute function xinyong_subject_kind_evaluated()`.execute(db);
  await sql`
    create table evaluation_run (
      id bigint generated always as identity primary key,
      model_id bigint not null references evaluation_model (id),
      kind text not null check (kind in ('full', 'daily', 'subjects')),
      as_of date not null,
      started_by text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      status text not null default 'running' check (status in ('running', 'done', 'failed')),
      total integer not null default 0,
      done integer not null default 0,
      levels_up integer not null default 0,
      levels_down integer not null default 0,
      unchanged integer not null default 0,
      first_results integer not null default 0,
      transitions jsonb not null default '{}',
      error text
    )`.execute(db);
  await sql`
    create table evaluation_cursor (
      singleton boolean primary key default true check (singleton),
      txid xid8 not null,
      change_id bigint not null,
      day date not null
    )`.execute(db);
}
