import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The measure list: kept as shipped, so that memoranda can only name measures on it.
  await sql`
    create table measure (
      code text primary key,
      direction text not null check (direction in ('incentive', 'punishment')),
      obligation text not null check (obligation in ('mandatory', 'recommended')),
      binding text not null check (binding in ('binding', 'reference')),
      definition jsonb not null,
      -- 国办发〔2020〕49号 (九): no department may force a measure others carry out.
      check (binding = 'binding' or obligation = 'recommended')
    )`.execute(db);
  // A memorandum (合作备忘录): which measures follow from which list, applied by whom, in which matters.
  await sql`
    create table memorandum (
      code text primary key,
      name text not null,
      signed_on date not null,
      signatories text[] not null,
      basis text not null,
      created_by text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table memorandum_measure (
      memorandum_code text not null references memorandum (code),
      list_type text not null references list_type (code),
      measure_code text not null references measure (code),
      obligation text not null check (obligation in ('mandatory', 'recommended')),
      matters text[] not null check (cardinality(matters) > 0),
      implementers text[] not null,
      primary key (memorandum_code, list_type, measure_code)
    )`.execute(db);
  await sql`create index memorandum_measure_list on memorandum_measure (list_type)`.execute(db);
}
