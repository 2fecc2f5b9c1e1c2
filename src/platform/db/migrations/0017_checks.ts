import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A credit check in an administrative matter (应查必查): who asked, about whom, for which matter.
  await sql`
    create table credit_check (
      id bigint generated always as identity primary key,
      department_code text not null references department (code),
      actor text not null,
      subject_id bigint not null references subject (id),
      matter text not null,
      purpose text not null check (length(trim(purpose)) > 0),
      on_day date not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index credit_check_department on credit_check (department_code, on_day)`.execute(db);
  // Each measure a check returned, and the department's feedback on it (applied or not, and why).
  await sql`
    create table check_measure (
      check_id bigint not null references credit_check (id),
      measure_code text not null references measure (code),
      list_type text not null,
      status text not null check (status in ('applicable', 'suspended')),
      applied boolean,
      reason text,
      feedback_by text,
      feedback_at timestamptz,
      primary key (check_id, measure_code, list_type)
    )`.execute(db);
  await sql`create index check_measure_measure on check_measure (measure_code)`.execute(db);
}
