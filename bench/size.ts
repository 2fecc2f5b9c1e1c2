/**
 * The size on disk of a bench database: the whole database per million records and per million
 * subjects, and the table and its indexes apart for `record` and `subject`.
 */
import pg from 'pg';
import { bytes, fmt } from './stats.ts';

export interface TableSize {
  /** The table with its TOAST, without its indexes. */
  tableBytes: number;
  indexBytes: number;
}

export interface SizeFigures {
  database: string;
  records: number;
  subjects: number;
  totalBytes: number;
  bytesPerMillionRecords: number;
  bytesPerMillionSubjects: number;
  record: TableSize;
  subject: TableSize;
}

/** Measures the database at `url` and prints its size. */
export async function benchSize(url: string): Promise<SizeFigures> {
  const f = await databaseSize(url);
  console.log(
    `${f.database}: ${bytes(f.totalBytes)} for ${fmt(f.records)} records and ${fmt(f.subjects)} subjects = ${bytes(f.bytesPerMillionRecords)} per million records, ${bytes(f.bytesPerMillionSubjects)} per million subjects`,
  );
  console.log(`  record: ${tableSize(f.record)}`);
  console.log(`  subject: ${tableSize(f.subject)}`);
  return f;
}

/** A table's size on disk and its indexes'. */
export const tableSize = (t: TableSize): string =>
  `table ${bytes(t.tableBytes)} + indexes ${bytes(t.indexBytes)} = ${bytes(t.tableBytes + t.indexBytes)}`;

async function databaseSize(url: string): Promise<SizeFigures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(
      `select current_database() as database, pg_database_size(current_database()) as total,
         (select count(*) from record) as records, (select count(*) from subject) as subjects,
         pg_table_size('record') as record_table, pg_indexes_size('record') as record_indexes,
         pg_table_size('subject') as subject_table, pg_indexes_size('subject') as subject_indexes`,
    );
    const r = rows[0] ?? {};
    const n = (key: string) => Number(r[key]);
    return {
      database: r.database ?? '?',
      records: n('records'),
      subjects: n('subjects'),
      totalBytes: n('total'),
      bytesPerMillionRecords: (n('total') / n('records')) * 1e6,
      bytesPerMillionSubjects: (n('total') / n('subjects')) * 1e6,
      record: { tableBytes: n('record_table'), indexBytes: n('record_indexes') },
      subject: { tableBytes: n('subject_table'), indexBytes: n('subject_indexes') },
    };
  } finally {
    await client.end();
  }
}
