import { sql, type Kysely } from 'kysely';

/**
 * The change feed for departments that watch subjects. Every new record version and every change
 * of a record's status, repair outcome or currency is logged with the id of the transaction that
 * made it; a reader takes only changes of transactions older than every transaction still running
 * (`pg_snapshot_xmin`), in (transaction, id) order, so a transaction that commits late is never
 * skipped. Logged by statement-level triggers: one insert per statement, not per row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table watch (
      department_code text not null references department (code),
      subject_id bigint not null references subject (id),
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (department_code, subject_id)
    )`.execute(db);
  await sql`create index watch_subject on watch (subject_id)`.execute(db);
  await sql`
    create table change_log (
      id bigint generated always as identity primary key,
      txid xid8 not null default pg_current_xact_id(),
      subject_id bigint not null,
      record_id bigint not null,
      change text not null,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index change_log_subject on change_log (subject_id, txid, id)`.execute(db);
  await sql`
    create function xinyong_log_record_insert() returns trigger language plpgsql as $$
    begin
      insert into change_log (subject_id, record_id, change)
      select n.subject_id, n.id, case when n.version > 1 then 'new_version' else 'new_record' end from new_rows n;
      return null;
    end $$`.execute(db);
  await sql`
    create function xinyong_log_record_update() returns trigger language plpgsql as $$
    begin
      insert into change_log (subject_id, record_id, change)
      select n.subject_id, n.id,
        case when n.status <> o.status then 'status:' || n.status
             when n.repair_outcome is distinct from o.repair_outcome then 'repair:' || coalesce(n.repair_outcome, 'none')
             else 'superseded' end
      from new_rows n join old_rows o on o.id = n.id
      where n.status <> o.status or n.repair_outcome is distinct from o.repair_outcome or n.is_current <> o.is_current;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger record_logged_insert after insert on record
    referencing new table as new_rows for each statement execute function xinyong_log_record_insert()`.execute(
    db,
  );
  await sql`
    create trigger record_logged_update after update on record
    referencing old table as old_rows new table as new_rows for each statement execute function xinyong_log_record_update()`.execute(
    db,
  );
}
