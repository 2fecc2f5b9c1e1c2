/**
 * Bulk writes: PostgreSQL's COPY where the server is PostgreSQL (several times faster than a
 * multi-row INSERT), a multi-row INSERT on PGlite. Same rows, same result.
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Insertable, Kysely } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Schema } from './schema.ts';

export type BulkInsert = <T extends keyof Schema>(
  table: T,
  rows: ReadonlyArray<Insertable<Schema[T]>>,
) => Promise<void>;

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;

/** One value in COPY's text format. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) {
    return '\\N';
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : Array.isArray(value)
          ? `{${value.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`
          : JSON.stringify(value);
  return SPECIAL.test(text)
    ? text.replace(SPECIALS, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : text;
}

export function copyBulkInsert(pool: pg.Pool): BulkInsert {
  return async (table, rows) => {
    const first = rows[0];
    if (first === undefined) {
      return;
    }
    const columns = Object.keys(first);
    const client = await pool.connect();
    try {
      const stream = client.query(
        copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`),
      );
      // One message for the whole chunk, not one per row.
      let text = '';
      for (const row of rows) {
        const record = row as Record<string, unknown>;
        text += `${columns.map((c) => copyText(record[c])).join('\t')}\n`;
      }
      const lines = Readable.from([text]);
      await pipeline(lines, stream);
    } finally {
      client.release();
    }
  };
}

export function insertBulkInsert(db: Kysely<Schema>, chunk = 1000): BulkInsert {
  return async (table, rows) => {
    for (let i = 0; i < rows.length; i += chunk) {
      await db
        .insertInto(table)
        .values(rows.slice(i, i + chunk))
        .execute();
    }
  };
}
