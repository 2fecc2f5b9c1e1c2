import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A subject's authorisation of an institution (国办发〔2021〕52号): named categories, a stated
  // purpose, never open-ended and at most a year; revocable at any time. `verification`: the
  // institution may only ask the closed list of yes/no questions.
  await sql`
    create table authorisation (
      id bigint generated always as identity primary key,
      subject_id bigint not null references subject (id),
      institution_code text not null references institution (code),
      categories text[] not null check (cardinality(categories) > 0),
      purpose text not null check (length(trim(purpose)) > 0),
      mode text not null check (mode in ('records', 'verification')),
      valid_from date not null,
      valid_until date not null,
      granted_by text not null,
      granted_at timestamptz not null default now(),
      revoked_at timestamptz,
      check (valid_until >= valid_from and valid_until <= valid_from + 366)
    )`.execute(db);
  await sql`create index authorisation_subject on authorisation (subject_id)`.execute(db);
  await sql`create index authorisation_institution on authorisation (institution_code, subject_id)`.execute(
    db,
  );
  // Every use of an authorisation: reported to the subject, and counted for the rate limit.
  await sql`
    create table authorisation_use (
      id bigint generated always as identity primary key,
      authorisation_id bigint not null references authorisation (id),
      used_at timestamptz not null default now(),
      kind text not null check (kind in ('file', 'verify')),
      question text
    )`.execute(db);
  await sql`create index authorisation_use_recent on authorisation_use (authorisation_id, used_at)`.execute(
    db,
  );
  // Messages to subjects and departments, stored; delivery adapters come later.
  await sql`
    create table outbox (
      id bigint generated always as identity primary key,
      recipient_kind text not null check (recipient_kind in ('subject', 'department', 'institution')),
      recipient text not null,
      topic text not null,
      body jsonb not null,
      created_at timestamptz not null default now(),
      delivered_at timestamptz
    )`.execute(db);
  await sql`create index outbox_pending on outbox (id) where delivered_at is null`.execute(db);
}
