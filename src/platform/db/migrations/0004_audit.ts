import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per business action, hash-chained: hash = sha256(prev_hash ‖ canonical JSON of the event).
  await sql`
    create table audit_event (
      seq bigint primary key check (seq > 0),
      occurred_at timestamptz not null,
      actor text not null,
      actor_role text,
      actor_department text,
      action text not null,
      target_kind text,
      target_id text,
      details jsonb not null,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create index audit_event_actor on audit_event (actor, seq)`.execute(db);
  await sql`create index audit_event_action on audit_event (action, seq)`.execute(db);
  await sql`create index audit_event_target on audit_event (target_kind, target_id, seq)`.execute(db);
  await sql`create index audit_event_time on audit_event (occurred_at)`.execute(db);

  // The chain's head: its row lock serialises appends, and is taken last in each transaction.
  await sql`
    create table audit_head (
      singleton boolean primary key default true check (singleton),
      seq bigint not null,
      hash text not null
    )`.execute(db);
  await sql`insert into audit_head (singleton, seq, hash) values (true, 0, repeat('0', 64))`.execute(db);

  // Prefixes archived to a signed file; only those may be pruned.
  await sql`
    create table audit_archive (
      id bigint generated always as identity primary key,
      through_seq bigint not null,
      last_hash text not null,
      file_digest text not null,
      event_count bigint not null,
      archived_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create function audit_event_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('xinyong.audit_prune', true) = 'on'
         and old.seq <= coalesce((select max(through_seq) from audit_archive), 0) then
        return old;
      end if;
      raise exception 'audit events are append-only: % of event % refused', tg_op, old.seq
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_event_guard()`.execute(db);
  await sql`
    create function audit_event_no_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only: truncate refused' using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_no_truncate()`.execute(db);
}
