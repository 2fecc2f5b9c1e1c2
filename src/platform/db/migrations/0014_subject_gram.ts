import { sql, type Kysely } from 'kysely';

/**
 * Name search that pages from an index: one row per (bigram, subject) with the number of bigrams
 * in the subject's name, so that "names holding this bigram, fewest bigrams first" is a B-tree range
 * read in order rather than a sort of every match — for a two-character query, which can match
 * tens of thousands of names. (A longer query intersects the GIN index on the bigrams instead.)
 * Kept by statement-level triggers on subject, the same on PostgreSQL and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table subject_gram (
      gram text not null,
      grams integer not null,
      subject_id bigint not null references subject (id),
      primary key (gram, grams, subject_id)
    )`.execute(db);
  await sql`create index subject_gram_subject on subject_gram (subject_id)`.execute(db);
  await sql`
    insert into subject_gram (gram, grams, subject_id)
    select g, cardinality(s.name_grams), s.id from subject s, unnest(s.name_grams) as g`.execute(db);
  // A large backfill planned on no statistics would be read by sequential scans.
  await sql`analyze subject_gram`.execute(db);
  await sql`
    create function xinyong_subject_grams_insert() returns trigger language plpgsql as $$
    begin
      insert into subject_gram (gram, grams, subject_id)
      select g, cardinality(n.name_grams), n.id from new_rows n, unnest(n.name_grams) as g;
      return null;
    end $$`.execute(db);
  await sql`
    create function xinyong_subject_grams_update() returns trigger language plpgsql as $$
    begin
      delete from subject_gram sg using new_rows n, old_rows o
      where o.id = n.id and o.name_grams is distinct from n.name_grams and sg.subject_id = n.id;
      insert into subject_gram (gram, grams, subject_id)
      select g, cardinality(n.name_grams), n.id
      from new_rows n join old_rows o on o.id = n.id, unnest(n.name_grams) as g
      where o.name_grams is distinct from n.name_grams;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger subject_grams_insert after insert on subject
    referencing new table as new_rows for each statement execute function xinyong_subject_grams_insert()`.execute(
    db,
  );
  await sql`
    create trigger subject_grams_update after update on subject
    referencing old table as old_rows new table as new_rows for each statement execute function xinyong_subject_grams_update()`.execute(
    db,
  );
}
