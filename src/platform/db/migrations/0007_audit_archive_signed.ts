import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // An archived prefix is trusted only with its signed manifest; the table itself is append-only,
  // so a forged row cannot hide a deleted chain.
  await sql`alter table audit_archive add column manifest jsonb`.execute(db);
  await sql`alter table audit_archive add column signature text`.execute(db);
  await sql`
    create function audit_archive_guard() returns trigger language plpgsql as $$
    begin
      raise exception 'audit archives are append-only: % refused', tg_op using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_archive_append_only before update or delete on audit_archive
    for each row execute function audit_archive_guard()`.execute(db);
}
