import { sql, type Kysely } from 'kysely';

/**
 * Credit commitments (信用承诺): a subject signs a standard text for a matter of a department, with a
 * day by which it is to be fulfilled; the department records fulfilment or breach. The signed
 * commitment is a record of the catalog's credit_commitment item (disclosed as the catalog says),
 * and a breach a record of breached_commitment — both written through the department's own ingest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table commitment (
      id bigint generated always as identity primary key,
      subject_id bigint not null references subject (id),
      department_code text not null references department (code),
      kind text not null check (kind in ('licensing', 'certification', 'missing_documents')),
      matter text not null check (length(matter) between 1 and 500),
      text text not null,
      signed_by text not null,
      signed_on date not null,
      fulfil_by date not null check (fulfil_by >= signed_on),
      status text not null default 'signed' check (status in ('signed', 'fulfilled', 'breached')),
      outcome_note text check (length(outcome_note) <= 4000),
      decided_by text,
      decided_at timestamptz,
      record_id bigint references record (id),
      breach_record_id bigint references record (id),
      created_at timestamptz not null default now(),
      check ((status = 'signed') = (decided_at is null)),
      check ((status = 'breached') = (breach_record_id is not null))
    )`.execute(db);
  await sql`create index commitment_subject on commitment (subject_id, id)`.execute(db);
  await sql`create index commitment_department on commitment (department_code, status, fulfil_by)`.execute(
    db,
  );
}
