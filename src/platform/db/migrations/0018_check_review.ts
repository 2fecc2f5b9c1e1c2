import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A name in a batch check that several organisations bear: kept for the credit officer to name
  // the one meant by its code, never guessed.
  await sql`
    create table check_review (
      id bigint generated always as identity primary key,
      department_code text not null references department (code),
      actor text not null,
      name text not null,
      matter text not null,
      purpose text not null,
      candidates integer not null,
      created_at timestamptz not null default now(),
      resolved_check_id bigint references credit_check (id),
      resolved_at timestamptz
    )`.execute(db);
  await sql`create index check_review_open on check_review (department_code, id) where resolved_at is null`.execute(
    db,
  );
}
