import { sql, type Kysely } from 'kysely';

/**
 * Objections (异议, 国发〔2016〕33号（二十二）; 国办发〔2019〕35号（十七）; 国办发〔2020〕49号（八）): a subject,
 * or the service desk on its behalf, objects to a record; the department that supplied it decides
 * within a deadline. One open objection per record is a constraint, not only a check in code.
 * Attachments are kept by the SHA-256 of their content, outside the rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The platform's window staff: they check identities and record applications received in
  // writing or at the window.
  await sql`alter table app_user drop constraint app_user_role_check`.execute(db);
  await sql`
    alter table app_user add constraint app_user_role_check check (role in ('platform_admin', 'data_clerk',
      'reviewer', 'credit_officer', 'institution_user', 'auditor', 'subject_user', 'service_desk'))`.execute(
    db,
  );
  // A natural person's account is bound to its citizen ID, which is never stored in clear: sealed
  // here (the session reads it back), where an organisation's account holds its unified code.
  await sql`alter table app_user add column subject_code_encrypted text`.execute(db);
  await sql`alter table app_user add column subject_code_hash text`.execute(db);
  await sql`create unique index app_user_subject_code_hash on app_user (subject_code_hash) where subject_code_hash is not null`.execute(
    db,
  );
  await sql`alter table app_user drop constraint app_user_check2`.execute(db);
  await sql`
    alter table app_user add constraint app_user_subject_check check (
      (role = 'subject_user') = (subject_code is not null or subject_code_encrypted is not null)
      and (subject_code is null or subject_code_encrypted is null)
      and ((subject_code_encrypted is null) = (subject_code_hash is null)))`.execute(db);
  await sql`
    create table objection (
      id bigint generated always as identity primary key,
      record_id bigint not null references record (id),
      subject_id bigint not null references subject (id),
      department_code text not null references department (code),
      filed_by text not null,
      filed_via text not null check (filed_via in ('account', 'service_desk')),
      received_as text check (received_as in ('written', 'window')),
      reasons text not null check (length(reasons) between 1 and 4000),
      status text not null default 'open' check (status in ('open', 'upheld', 'rejected')),
      prior_status text not null,
      filed_on date not null,
      due_on date not null,
      overdue_on date not null,
      outcome text check (outcome in ('corrected', 'revoked', 'removed', 'rejected')),
      decision text check (length(decision) between 1 and 4000),
      decided_by text,
      decided_at timestamptz,
      result_record_id bigint references record (id),
      created_at timestamptz not null default now(),
      check ((status = 'open') = (outcome is null)),
      check ((status = 'open') = (decided_at is null)),
      check ((status = 'rejected') = (outcome = 'rejected')),
      check ((filed_via = 'service_desk') = (received_as is not null))
    )`.execute(db);
  await sql`create unique index objection_open on objection (record_id) where status = 'open'`.execute(db);
  await sql`create index objection_subject on objection (subject_id, id)`.execute(db);
  await sql`create index objection_department on objection (department_code, status, due_on)`.execute(db);
  await sql`
    create table attachment (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      media_type text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png', 'application/ofd')),
      bytes integer not null check (bytes > 0),
      created_at timestamptz not null default now()
    )`.execute(db);
  // The identity check that opened a natural person's account at the window, with its evidence.
  await sql`
    create table identity_check (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user (id) on delete cascade,
      method text not null check (method in ('id_card_reader', 'id_card_copy', 'face_verification')),
      evidence_sha256 text references attachment (sha256),
      note text check (length(note) <= 1000),
      checked_by text not null,
      checked_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table objection_attachment (
      objection_id bigint not null references objection (id),
      sha256 text not null references attachment (sha256),
      file_name text not null check (length(file_name) between 1 and 200),
      primary key (objection_id, sha256)
    )`.execute(db);
}
