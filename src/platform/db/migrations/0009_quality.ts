import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Timeliness (licensing and penalty items): working days from the decision to receipt, and
  // whether that is more than the 7 allowed; completeness: the share of optional fields filled.
  await sql`alter table batch_row add column working_days integer`.execute(db);
  await sql`alter table batch_row add column late boolean`.execute(db);
  await sql`alter table batch_row add column completeness real`.execute(db);
  await sql`alter table record add column working_days integer`.execute(db);
  await sql`alter table record add column late boolean`.execute(db);
  // Per batch, counted at commit: the quality report adds batches, not rows.
  await sql`alter table batch add column timed integer not null default 0`.execute(db);
  await sql`alter table batch add column late integer not null default 0`.execute(db);
  await sql`alter table batch add column completeness real`.execute(db);
  await sql`create index batch_created on batch (created_at)`.execute(db);
}
