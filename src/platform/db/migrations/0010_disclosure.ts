import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A natural person's consent to the disclosure of their personal information (国办发〔2020〕49号
  // (四)): for one catalog item or, with no item, for all; withdrawn at any time, never deleted.
  await sql`
    create table personal_consent (
      id bigint generated always as identity primary key,
      subject_id bigint not null references subject (id),
      item_code text,
      given_by text not null,
      given_at timestamptz not null default now(),
      withdrawn_at timestamptz
    )`.execute(db);
  await sql`create index personal_consent_subject on personal_consent (subject_id) where withdrawn_at is null`.execute(
    db,
  );
}
