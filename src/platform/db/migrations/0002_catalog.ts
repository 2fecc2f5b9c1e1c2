import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table legal_basis (
      code text primary key,
      title text not null,
      doc_number text,
      issuer text not null,
      rank text not null check (rank in ('law', 'administrative_regulation', 'local_regulation',
        'state_council_decision', 'central_policy', 'judicial_interpretation', 'departmental_rule',
        'local_government_rule', 'normative_document')),
      effective_from date,
      seed_ref text,
      note text,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table catalog (
      code text primary key,
      kind text not null check (kind in ('national_base', 'local_supplementary')),
      name_zh text not null,
      name_en text not null,
      division text,
      current_version_id bigint
    )`.execute(db);

  // Every load that changed something is a version; a record keeps the version it entered under.
  await sql`
    create table catalog_version (
      id bigint generated always as identity primary key,
      catalog_code text not null references catalog (code),
      version integer not null check (version > 0),
      digest text not null,
      content jsonb not null,
      loaded_by text not null,
      loaded_at timestamptz not null default now(),
      unique (catalog_code, version)
    )`.execute(db);

  await sql`alter table catalog add foreign key (current_version_id) references catalog_version (id)`.execute(
    db,
  );

  // The current definition of each item; items dropped from a later version are retired, not deleted.
  await sql`
    create table catalog_item (
      code text primary key,
      catalog_code text not null references catalog (code),
      version_id bigint not null references catalog_version (id),
      category text not null,
      status text not null check (status in ('active', 'retired')),
      definition jsonb not null
    )`.execute(db);

  await sql`
    create table catalog_item_version (
      item_code text not null,
      version_id bigint not null references catalog_version (id),
      digest text not null,
      definition jsonb not null,
      primary key (item_code, version_id)
    )`.execute(db);
}
