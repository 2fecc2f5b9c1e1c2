import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table subject (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('legal_person', 'other_org', 'individual_business', 'natural_person', 'government_body')),
      name text not null,
      division text,
      status text not null check (status in ('registered', 'provisional', 'deregistered')),
      created_at timestamptz not null default now()
    )`.execute(db);

  // Every code a subject has or had. value_hash (keyed HMAC) finds it; a citizen ID is kept only
  // encrypted and masked, an organisation's code in clear.
  await sql`
    create table subject_code (
      id bigint generated always as identity primary key,
      subject_id bigint not null references subject (id),
      kind text not null,
      value_hash text not null,
      value text,
      value_encrypted text,
      masked text not null,
      valid_from date,
      valid_until date,
      unique (kind, value_hash),
      check ((kind in ('citizen_id', 'citizen_id15')) = (value is null))
    )`.execute(db);
  await sql`create index subject_code_subject on subject_code (subject_id)`.execute(db);

  await sql`
    create table batch (
      id bigint generated always as identity primary key,
      department_code text not null references department (code),
      item_code text not null,
      catalog_version_id bigint not null references catalog_version (id),
      source_name text not null,
      source_format text not null check (source_format in ('csv', 'xlsx', 'jsonl', 'api')),
      encoding text,
      sheet text,
      status text not null check (status in ('staging', 'validated', 'committed', 'failed')),
      corrects_batch_id bigint references batch (id),
      submitted_by text not null,
      total integer not null default 0,
      accepted integer not null default 0,
      rejected integer not null default 0,
      duplicates integer not null default 0,
      review integer not null default 0,
      warnings integer not null default 0,
      dropped_columns text[] not null default '{}',
      columns jsonb not null default '[]',
      message text,
      created_at timestamptz not null default now(),
      committed_at timestamptz
    )`.execute(db);
  await sql`create index batch_department on batch (department_code, id)`.execute(db);

  // Every row of a batch, kept with its reasons: only catalog-named fields are stored.
  await sql`
    create table batch_row (
      batch_id bigint not null references batch (id) on delete cascade,
      row_no integer not null,
      status text not null check (status in ('accepted', 'rejected', 'duplicate', 'review')),
      payload jsonb not null,
      normalized jsonb,
      reasons jsonb not null default '[]',
      warnings jsonb not null default '[]',
      subject_kind text,
      subject_name text,
      code_kind text,
      code_hash text,
      code_value text,
      code_encrypted text,
      code_masked text,
      identity_key text,
      payload_digest text,
      decision_date date,
      tier text,
      tier_source text,
      shortest_until date,
      longest_until date,
      display_public boolean,
      primary key (batch_id, row_no)
    )`.execute(db);

  await sql`
    create table record (
      id bigint generated always as identity primary key,
      subject_id bigint not null references subject (id),
      department_code text not null references department (code),
      item_code text not null,
      catalog_version_id bigint not null references catalog_version (id),
      identity_key text not null,
      version integer not null check (version > 0),
      previous_id bigint references record (id),
      is_current boolean not null,
      payload jsonb not null,
      payload_digest text not null,
      decision_date date,
      tier text check (tier in ('minor', 'general', 'serious')),
      tier_source text,
      display_from date,
      shortest_until date,
      longest_until date,
      display_public boolean not null,
      status text not null default 'active' check (status in ('active', 'under_objection', 'corrected', 'revoked', 'repaired')),
      repair_outcome text check (repair_outcome in ('ended', 'stopped_sharing', 'marked', 'shielded', 'deleted')),
      batch_id bigint references batch (id),
      row_no integer,
      received_at timestamptz not null default now(),
      unique (department_code, item_code, identity_key, subject_id, version)
    )`.execute(db);
  // Record identity: one current version per (department, item, document or source id, subject).
  await sql`
    create unique index record_current on record (department_code, item_code, identity_key, subject_id) where is_current`.execute(
    db,
  );
  await sql`create index record_subject on record (subject_id) where is_current`.execute(db);
}
