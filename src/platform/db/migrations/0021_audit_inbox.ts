import { sql, type Kysely } from 'kysely';

/**
 * The audit chain is sequenced after commit. An action writes its event into `audit_inbox` in its
 * own transaction, taking no lock; one sequencer at a time (elected with an advisory lock) moves
 * committed inbox events into the chain (`audit_event`) in order, hashing each onto the head, and
 * deletes them from the inbox in the same transaction. The inbox is append-only like the chain:
 * an event leaves it only by being chained (`audit_event.inbox_id`, unique, so never twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_inbox (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null,
      actor text not null,
      actor_role text,
      actor_department text,
      action text not null,
      target_kind text,
      target_id text,
      details jsonb not null
    )`.execute(db);
  await sql`alter table audit_event add column inbox_id bigint`.execute(db);
  await sql`create unique index audit_event_inbox on audit_event (inbox_id)`.execute(db);
  await sql`
    create function audit_inbox_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('xinyong.audit_seal', true) = 'on'
         and exists (select 1 from audit_event e where e.inbox_id = old.id) then
        return old;
      end if;
      raise exception 'audit events are append-only: % of waiting event % refused', tg_op, old.id
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_inbox_append_only before update or delete on audit_inbox
    for each row execute function audit_inbox_guard()`.execute(db);
  await sql`
    create function audit_inbox_no_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only: truncate refused' using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_inbox_no_truncate before truncate on audit_inbox
    for each statement execute function audit_inbox_no_truncate()`.execute(db);
}
