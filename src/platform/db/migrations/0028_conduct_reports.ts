import { sql, type Kysely } from 'kysely';

/**
 * Reports of suspected dishonest conduct from the public (举报): no account; routed to the department
 * competent for the domain the reporter picks; acknowledged and answered within working days; followed
 * by a receipt code kept only as its SHA-256, valid until a year after the case closes. The reporter's
 * identity is sealed (encrypted) and read only by the handling department and the auditor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table conduct_report (
      id bigint generated always as identity primary key,
      receipt_hash text not null unique check (receipt_hash ~ '^[0-9a-f]{64}$'),
      subject_name text not null check (length(subject_name) between 1 and 200),
      subject_code text check (length(subject_code) <= 64),
      subject_id bigint references subject (id),
      domain text not null,
      department_code text not null references department (code),
      description text not null check (length(description) between 1 and 4000),
      reporter_sealed text,
      status text not null default 'received' check (status in ('received', 'acknowledged', 'answered')),
      received_on date not null,
      acknowledge_by date not null,
      answer_by date not null,
      acknowledged_at timestamptz,
      answer text check (length(answer) between 1 and 4000),
      answered_on date,
      created_at timestamptz not null default now(),
      check ((status = 'received') = (acknowledged_at is null)),
      check ((status = 'answered') = (answered_on is not null and answer is not null))
    )`.execute(db);
  await sql`create index conduct_report_department on conduct_report (department_code, status, answer_by)`.execute(
    db,
  );
}
