import { sql, type Kysely } from 'kysely';

/**
 * Chinese name search that behaves the same on PostgreSQL and PGlite: a name's key (NFKC, lower
 * case, legal-form words and punctuation removed) and the character bigrams of that key, kept by
 * the database itself as generated columns, with a GIN index on the bigrams. A two-character
 * query (a brand such as 华为) is one bigram; trigram matching finds nothing for it. The query
 * goes through the same two functions, so names and queries are always cut alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function xinyong_name_key(name text) returns text
    language sql immutable parallel safe
    return regexp_replace(
      regexp_replace(lower(normalize(name, NFKC)),
        '(股份有限公司|有限责任公司|股份合作公司|有限公司|分公司|有限合伙|普通合伙|合伙企业|个体工商户)', '', 'g'),
      '[[:space:]()（）［］【】〔〕《》<>"“”''‘’·・.,，。、;；:：/\\_-]', '', 'g')`.execute(db);
  // Bigrams of a masked name (林**) that contain the mask would match every masked name: left out.
  await sql`
    create function xinyong_name_grams(name text) returns text[]
    language sql immutable parallel safe
    return array(
      select distinct substr(k.key, i, 2)
      from (select xinyong_name_key(name) as key) k, generate_series(1, length(k.key) - 1) as i
      where position('*' in substr(k.key, i, 2)) = 0
      order by 1)`.execute(db);
  await sql`alter table subject add column name_key text generated always as (xinyong_name_key(name)) stored`.execute(
    db,
  );
  await sql`alter table subject add column name_grams text[] generated always as (xinyong_name_grams(name)) stored`.execute(
    db,
  );
  await sql`create index subject_name_grams on subject using gin (name_grams)`.execute(db);
}
