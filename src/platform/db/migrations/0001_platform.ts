import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Name search (subjects) needs trigram matching; both PGlite and PostgreSQL ship pg_trgm.
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table calendar_year (
      year integer primary key check (year between 1949 and 2200),
      source text not null check (length(trim(source)) > 0),
      loaded_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table calendar_day (
      date date primary key,
      year integer not null references calendar_year (year) on delete cascade,
      kind text not null check (kind in ('holiday', 'workday')),
      name text not null,
      check (extract(year from date) = year)
    )`.execute(db);
}
