import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table department (
      code text primary key check (code ~ '^[A-Za-z0-9_-]{2,40}$'),
      name text not null check (length(trim(name)) > 0),
      division text not null check (division ~ '^[0-9]{6}$'),
      level text not null check (level in ('national', 'provincial', 'prefectural', 'county', 'township')),
      domains text[] not null default '{}',
      uscc text,
      demo boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table institution (
      code text primary key check (code ~ '^[A-Za-z0-9_-]{2,40}$'),
      name text not null check (length(trim(name)) > 0),
      kind text not null check (kind in ('bank', 'guarantor', 'credit_agency', 'insurer', 'other')),
      uscc text,
      demo boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db);

  // Who belongs where is a constraint, not a convention: a department role has a department,
  // an institution user an institution, a subject user the subject it acts for.
  await sql`
    create table app_user (
      id bigint generated always as identity primary key,
      username text not null unique check (username ~ '^[A-Za-z0-9_.-]{3,64}$'),
      display_name text not null,
      password_hash text not null,
      role text not null check (role in ('platform_admin', 'data_clerk', 'reviewer', 'credit_officer',
        'institution_user', 'auditor', 'subject_user')),
      department_code text references department (code),
      institution_code text references institution (code),
      subject_code text,
      demo boolean not null default false,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      check ((role in ('data_clerk', 'reviewer', 'credit_officer')) = (department_code is not null)),
      check ((role = 'institution_user') = (institution_code is not null)),
      check ((role = 'subject_user') = (subject_code is not null))
    )`.execute(db);

  await sql`
    create table user_session (
      token_hash text primary key,
      user_id bigint not null references app_user (id) on delete cascade,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    )`.execute(db);

  // Only the SHA-256 of a token is kept: a token is shown once, at creation.
  await sql`
    create table api_token (
      id bigint generated always as identity primary key,
      token_hash text not null unique,
      prefix text not null,
      name text not null,
      role text not null check (role in ('data_clerk', 'reviewer', 'credit_officer', 'institution_user')),
      department_code text references department (code),
      institution_code text references institution (code),
      created_by text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      check ((role = 'institution_user') = (institution_code is not null)),
      check ((role <> 'institution_user') = (department_code is not null))
    )`.execute(db);
}
