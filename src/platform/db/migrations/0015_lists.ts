import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A list type (名单类型): what may be listed, on which bases, by whom, how one leaves it.
  // The rules a punishment list must meet (国办发〔2020〕49号 (六)–(八)) are checked by the
  // service before a row is written; the constraints keep what no code path may break.
  await sql`
    create table list_type (
      code text primary key,
      name_zh text not null,
      kind text not null check (kind in
        ('serious_dishonesty', 'red', 'dishonest_debtor', 'abnormal_operation', 'watch')),
      item_code text not null,
      domain text not null,
      categories text[] not null default '{}',
      definition jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      check (kind <> 'serious_dishonesty' or cardinality(categories) > 0)
    )`.execute(db);
  // A designation case: the due process that must precede a list entry, one step at a time.
  await sql`
    create table list_case (
      id bigint generated always as identity primary key,
      list_type text not null references list_type (code),
      subject_id bigint not null references subject (id),
      department_code text not null references department (code),
      status text not null check (status in ('proposed', 'notified', 'objected', 'answered', 'announced',
        'listed', 'removed', 'withdrawn')),
      facts jsonb not null,
      leniency jsonb not null default '{}',
      notified_on date,
      objection_until date,
      decided_on date,
      valid_until date,
      record_id bigint references record (id),
      removed_on date,
      removal jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index list_case_subject on list_case (subject_id)`.execute(db);
  await sql`create index list_case_department on list_case (department_code, status)`.execute(db);
  // Every step of a case, with the document it produced (structured data and its HTML).
  await sql`
    create table list_step (
      id bigint generated always as identity primary key,
      case_id bigint not null references list_case (id),
      step text not null,
      on_day date not null,
      by_actor text not null,
      document_kind text,
      document_number text,
      document jsonb,
      html text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index list_step_case on list_step (case_id, id)`.execute(db);
}
