import { sql, type Kysely } from 'kysely';

/**
 * The change feed also names subjects whose name, kind, status or division changed and subjects
 * given a code (record_id null on those rows), so that what is derived from subjects — the
 * in-memory name index of each server — can follow them; readers of record changes join on the
 * record and do not see them. An index on (txid, id) serves readers of the whole feed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table change_log alter column record_id drop not null`.execute(db);
  await sql`create index change_log_order on change_log (txid, id)`.execute(db);
  // Display periods that end on a day: what the name index and the department feed look up at midnight.
  await sql`create index record_display_end on record (longest_until) where is_current`.execute(db);
  await sql`
    create function xinyong_log_subject_insert() returns trigger language plpgsql as $$
    begin
      insert into change_log (subject_id, change) select n.id, 'subject:new' from new_rows n;
      return null;
    end $$`.execute(db);
  await sql`
    create function xinyong_log_subject_update() returns trigger language plpgsql as $$
    begin
      insert into change_log (subject_id, change)
      select n.id, 'subject:changed' from new_rows n join old_rows o on o.id = n.id
      where n.name <> o.name or n.kind <> o.kind or n.status <> o.status or n.division is distinct from o.division;
      return null;
    end $$`.execute(db);
  await sql`
    create function xinyong_log_subject_code() returns trigger language plpgsql as $$
    begin
      insert into change_log (subject_id, change) select distinct n.subject_id, 'subject:code' from new_rows n;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger subject_logged_insert after insert on subject
    referencing new table as new_rows for each statement execute function xinyong_log_subject_insert()`.execute(
    db,
  );
  await sql`
    create trigger subject_logged_update after update on subject
    referencing old table as old_rows new table as new_rows for each statement execute function xinyong_log_subject_update()`.execute(
    db,
  );
  // (A trigger with a transition table serves one event.)
  await sql`
    create trigger subject_code_logged_insert after insert on subject_code
    referencing new table as new_rows for each statement execute function xinyong_log_subject_code()`.execute(
    db,
  );
  await sql`
    create trigger subject_code_logged_update after update on subject_code
    referencing new table as new_rows for each statement execute function xinyong_log_subject_code()`.execute(
    db,
  );
}
