import { sql, type Kysely } from 'kysely';

/**
 * Credit repair applications (信用修复, 国办发〔2020〕49号（十一）（十二）): free (there is no fee anywhere),
 * with evidence and a signed repair commitment, decided by the department that determined the
 * record within the item's working days; an incomplete one is returned once with what is missing.
 * One open application per record is a constraint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table repair_application (
      id bigint generated always as identity primary key,
      record_id bigint not null references record (id),
      subject_id bigint not null references subject (id),
      department_code text not null references department (code),
      filed_by text not null,
      filed_via text not null check (filed_via in ('account', 'service_desk')),
      received_as text check (received_as in ('written', 'window')),
      statement text not null check (length(statement) between 1 and 4000),
      commitment_text text not null,
      status text not null default 'submitted' check (status in ('submitted', 'returned', 'approved', 'refused')),
      returned_once boolean not null default false,
      missing text,
      submitted_on date not null,
      due_on date not null,
      outcome text check (outcome in ('end_disclosure', 'stop_sharing', 'mark_repaired', 'shield', 'delete',
        'remove_from_list')),
      decision text check (length(decision) between 1 and 4000),
      decided_by text,
      decided_at timestamptz,
      result_record_id bigint references record (id),
      created_at timestamptz not null default now(),
      check ((status in ('approved', 'refused')) = (decided_at is not null)),
      check ((status = 'approved') = (outcome is not null)),
      check ((status = 'returned') <= returned_once),
      check ((filed_via = 'service_desk') = (received_as is not null))
    )`.execute(db);
  await sql`
    create unique index repair_application_open on repair_application (record_id)
    where status in ('submitted', 'returned')`.execute(db);
  await sql`create index repair_application_subject on repair_application (subject_id, id)`.execute(db);
  await sql`create index repair_application_department on repair_application (department_code, status, due_on)`.execute(
    db,
  );
  await sql`
    create table repair_attachment (
      application_id bigint not null references repair_application (id),
      sha256 text not null references attachment (sha256),
      file_name text not null check (length(file_name) between 1 and 200),
      primary key (application_id, sha256)
    )`.execute(db);
}
