import { sql, type Kysely } from 'kysely';

/**
 * Graded inspection sampling (双随机、一公开; 国办发〔2019〕35号).
 *
 * - `inspection_seed`: a random 256-bit seed a department announces (publishes) before it draws
 *   with it; used by one draw at most (`used_by_draw`, tied to that draw's own seed by a foreign
 *   key on (draw, seed)).
 * - `inspection_draw`: one draw: the plan as given (canonical JSON), the pool's size and digest,
 *   the groups by level and the sample. A seed serves one draw (`seed_id` unique); a trigger
 *   refuses a draw whose seed is of another department, already used, or announced no earlier
 *   than the draw. Draws are never changed or deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table inspection_seed (
      id bigint generated always as identity primary key,
      department_code text not null references department (code),
      purpose text not null check (length(btrim(purpose)) between 1 and 500),
      seed text not null unique check (seed ~ '^[0-9a-f]{64}$'),
      announced_by text not null,
      announced_at timestamptz not null default now(),
      used_by_draw bigint unique
    )`.execute(db);
  await sql`create index inspection_seed_department on inspection_seed (department_code, announced_at desc)`.execute(
    db,
  );
  await sql`
    create table inspection_draw (
      id bigint generated always as identity primary key,
      department_code text not null references department (code),
      matter text not null check (length(btrim(matter)) between 1 and 500),
      seed_id bigint not null unique references inspection_seed (id),
      model_id bigint references evaluation_model (id),
      plan jsonb not null
        check (jsonb_typeof(plan -> 'rates') = 'object')
        constraint inspection_draw_rates check (
          not jsonb_path_exists(plan, '$.rates.* ? (@.type() != "number" || @ < 0 || @ > 1)')
        ),
      pool_size integer not null check (pool_size between 1 and 100000),
      pool_digest text not null check (pool_digest ~ '^[0-9a-f]{64}$'),
      groups jsonb not null check (jsonb_typeof(groups) = 'array'),
      sample jsonb not null check (jsonb_typeof(sample) = 'array'),
      drawn_by text not null,
      drawn_at timestamptz not null default clock_timestamp(),
      unique (id, seed_id)
    )`.execute(db);
  await sql`create index inspection_draw_department on inspection_draw (department_code, drawn_at desc)`.execute(
    db,
  );
  await sql`
    alter table inspection_seed add constraint inspection_seed_used_by_its_draw
      foreign key (used_by_draw, id) references inspection_draw (id, seed_id)`.execute(db);

  // A draw uses an announced, unused seed of its own department, announced strictly before it.
  await sql`
    create function xinyong_inspection_draw_seed() returns trigger language plpgsql as $$
    declare
      s inspection_seed%rowtype;
    begin
      select * into s from inspection_seed where id = new.seed_id for update;
      if s.department_code <> new.department_code then
        raise exception 'inspection seed % is of department %, not %', s.id, s.department_code, new.department_code
          using errcode = 'check_violation';
      end if;
      if s.used_by_draw is not null then
        raise exception 'inspection seed % is used by draw %', s.id, s.used_by_draw using errcode = 'unique_violation';
      end if;
      if s.announced_at >= new.drawn_at then
        raise exception 'inspection seed % was not announced before the draw', s.id using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger inspection_draw_seed before insert on inspection_draw
    for each row execute function xinyong_inspection_draw_seed()`.execute(db);

  // A draw, once made, is what was published: never changed, never deleted. A seed changes only
  // once, from unused to used.
  await sql`
    create function xinyong_inspection_seed_immutable() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and old.used_by_draw is null and new.used_by_draw is not null
         and (to_jsonb(old) - 'used_by_draw') = (to_jsonb(new) - 'used_by_draw') then
        return new;
      end if;
      raise exception '% of inspection_seed is refused: inspection seeds and draws are kept as published', tg_op
        using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`
    create function xinyong_inspection_draw_immutable() returns trigger language plpgsql as $$
    begin
      raise exception '% of inspection_draw is refused: inspection seeds and draws are kept as published', tg_op
        using errcode = 'check_violation';
    end $$`.execute(db);
  await sql`
    create trigger inspection_seed_immutable before update or delete on inspection_seed
    for each row execute function xinyong_inspection_seed_immutable()`.execute(db);
  await sql`
    create trigger inspection_draw_immutable before update or delete on inspection_draw
    for each row execute function xinyong_inspection_draw_immutable()`.execute(db);
}
