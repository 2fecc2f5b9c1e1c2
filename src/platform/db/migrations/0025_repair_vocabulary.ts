import { sql, type Kysely } from 'kysely';

/**
 * One vocabulary for what a credit repair does to a record, the catalog's: end_disclosure,
 * stop_sharing, mark_repaired, shield, delete (国办发〔2020〕49号（十二）) and remove_from_list. Records
 * used past participles of their own (ended, stopped_sharing, marked, shielded, deleted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table record drop constraint record_repair_outcome_check`.execute(db);
  await sql`
    update record set repair_outcome = case repair_outcome
      when 'ended' then 'end_disclosure'
      when 'stopped_sharing' then 'stop_sharing'
      when 'marked' then 'mark_repaired'
      when 'shielded' then 'shield'
      when 'deleted' then 'delete'
    end
    where repair_outcome is not null`.execute(db);
  await sql`
    alter table record add constraint record_repair_outcome_check check (repair_outcome in
      ('end_disclosure', 'stop_sharing', 'mark_repaired', 'shield', 'delete', 'remove_from_list'))`.execute(
    db,
  );
}
