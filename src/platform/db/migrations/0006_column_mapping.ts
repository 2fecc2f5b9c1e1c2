import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A department's own column headings for a catalog item, kept so its next file maps itself.
  await sql`
    create table column_mapping (
      department_code text not null references department (code),
      item_code text not null,
      heading text not null,
      field_key text not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (department_code, item_code, heading)
    )`.execute(db);
}
