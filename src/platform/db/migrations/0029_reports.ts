import { sql, type Kysely } from 'kysely';

/**
 * Signing keys and credit reports.
 *
 * - `signing_key`: the registry of the platform's public keys with their validity. Private keys
 *   stay in files outside the database; a key signs from `valid_from` until `valid_until` (set when
 *   it is rotated out or retired); a revoked key verifies nothing any more.
 * - `audit_archive.key_id`: which key signed an archived prefix (null: signed before the registry).
 * - `batch.domain`: the domain of the sending department a batch was determined in, when the
 *   department has several and the batch names one; otherwise the department's first.
 * - `credit_report`: each report as issued (its signed JSON, byte for byte, which prints its
 *   verification code), found by number and the SHA-256 of that code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table signing_key (
      key_id text primary key check (key_id ~ '^[0-9a-f]{16}$'),
      algorithm text not null check (algorithm in ('ed25519', 'sm2')),
      public_key text not null check (length(public_key) between 1 and 1000),
      valid_from timestamptz not null,
      valid_until timestamptz,
      retired_at timestamptz,
      revoked_at timestamptz,
      revoked_reason text check (length(revoked_reason) between 1 and 500),
      created_at timestamptz not null default now(),
      check ((revoked_at is null) = (revoked_reason is null)),
      check (valid_until is null or valid_until >= valid_from)
    )`.execute(db);
  await sql`alter table audit_archive add column key_id text`.execute(db);
  await sql`alter table batch add column domain text check (domain ~ '^[a-z][a-z0-9_]*$')`.execute(db);
  await sql`
    create table credit_report (
      id bigint generated always as identity primary key,
      number text not null unique check (number ~ '^XY[0-9]{8}[0-9A-Z]{8}$'),
      type text not null check (type in ('public', 'matter', 'self', 'special')),
      audience jsonb not null,
      subject_id bigint not null references subject (id),
      requested_by text not null,
      department_code text references department (code),
      user_id bigint references app_user (id),
      code_hash text not null check (code_hash ~ '^[0-9a-f]{64}$'),
      fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
      key_id text not null references signing_key (key_id),
      signed text not null,
      issued_at timestamptz not null,
      check ((type = 'matter') = (department_code is not null))
    )`.execute(db);
  await sql`create index credit_report_subject on credit_report (subject_id, issued_at)`.execute(db);
}
