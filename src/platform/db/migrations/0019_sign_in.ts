import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // What signing in needs to know about a person (GB/T 22239-2019 §8.1.4.1): how old the password
  // is and whether it must be changed; the failed attempts of the current window and the lock they
  // led to; a second factor, its secret sealed with the data key (never in clear), and the last time
  // step a code was accepted for, so that a code is good once.
  await sql`
    alter table app_user
      add column password_changed_at timestamptz not null default now(),
      add column must_change_password boolean not null default false,
      add column failed_logins integer not null default 0 check (failed_logins >= 0),
      add column failed_since timestamptz,
      add column locked_until timestamptz,
      add column totp_secret text,
      add column totp_enabled_at timestamptz,
      add column totp_last_step bigint,
      add check (totp_enabled_at is null or totp_secret is not null)`.execute(db);
  // A session ends after a while without use as well as at its absolute expiry.
  await sql`alter table user_session add column last_seen_at timestamptz not null default now()`.execute(db);
  // Ending a person's sessions (a password changed or reset, an account disabled) finds them by user.
  await sql`create index user_session_open on user_session (user_id) where revoked_at is null`.execute(db);
}
