import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A natural person's name is kept like the rest of their data: masked in clear, whole only encrypted.
  await sql`alter table subject add column name_encrypted text`.execute(db);
  await sql`alter table subject add column updated_at timestamptz not null default now()`.execute(db);

  // Names a subject had before, from registration data: the name and until when it was current.
  await sql`
    create table subject_name_history (
      id bigint generated always as identity primary key,
      subject_id bigint not null references subject (id),
      name text not null,
      replaced_on date not null,
      replaced_by_record_id bigint references record (id),
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index subject_name_history_subject on subject_name_history (subject_id)`.execute(db);

  // A natural person's role in an organisation, from a registration item's record. The record's
  // lifecycle (versions, revocation) is the role's: only a current, unrevoked record counts.
  await sql`
    create table person_role (
      record_id bigint primary key references record (id),
      org_subject_id bigint not null references subject (id),
      person_subject_id bigint references subject (id),
      person_masked text not null,
      role text not null,
      since date,
      until date
    )`.execute(db);
  await sql`create index person_role_org on person_role (org_subject_id)`.execute(db);
  await sql`create index person_role_person on person_role (person_subject_id)`.execute(db);

  // Every code of the row (the first identifies best), the subject a reviewer chose, a revocation
  // flag, and the person of a role row.
  await sql`alter table batch_row add column codes jsonb not null default '[]'`.execute(db);
  await sql`alter table batch_row add column subject_name_encrypted text`.execute(db);
  await sql`alter table batch_row add column subject_id bigint references subject (id)`.execute(db);
  await sql`alter table batch_row add column revokes boolean not null default false`.execute(db);
  await sql`alter table batch_row add column registration_status text`.execute(db);
  await sql`alter table batch_row add column person jsonb`.execute(db);
  await sql`alter table batch_row add column resolution jsonb`.execute(db);

  await sql`alter table record add column status_reason text`.execute(db);
  // The record a batch row became: a row is committed once, and its record found from it.
  await sql`create index record_batch_row on record (batch_id, row_no)`.execute(db);

  // Progress of a running batch, and a heartbeat that tells a live batch from an interrupted one.
  await sql`alter table batch add column rows_read integer not null default 0`.execute(db);
  await sql`alter table batch add column read_fraction real`.execute(db);
  await sql`alter table batch add column progress_at timestamptz not null default now()`.execute(db);
  await sql`create index batch_row_review on batch_row (batch_id) where status = 'review'`.execute(db);
}
