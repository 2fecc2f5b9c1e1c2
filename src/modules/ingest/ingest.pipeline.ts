/**
 * The commit as a pipeline: a batch's records are written chunk by chunk, inside the one
 * transaction that commits them, while the next chunk is being read and validated. A chunk's rows
 * go once into a temporary table of the transaction (no WAL, no index), the commit's set-based
 * statements run over it, and then its rows enter batch_row with their final status: an accepted
 * row's values live in its record only (batch_row keeps them for the rows a department must
 * correct). Nothing of the batch is visible to anyone until the transaction commits, all of it at
 * once; a run that dies leaves nothing behind.
 */
import { sql, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import {
  IngestRepository,
  type CommitResult,
  type CommitScope,
  type StagedRow,
} from './ingest.repository.ts';

/** batch_row's columns that hold JSON: passed as JSON, not as JSON text inside a string. */
const JSON_COLUMNS = ['payload', 'normalized', 'reasons', 'warnings', 'codes', 'person'] as const;

/** A chunk as one JSON array, the JSON columns' text embedded as it is (already JSON). */
export function chunkJson(rows: readonly StagedRow[]): string {
  const parts: string[] = [];
  for (const row of rows) {
    const plain: Record<string, unknown> = {};
    const embedded: string[] = [];
    for (const [key, value] of Object.entries(row)) {
      if ((JSON_COLUMNS as readonly string[]).includes(key)) {
        embedded.push(`${JSON.stringify(key)}:${typeof value === 'string' ? value : 'null'}`);
      } else {
        plain[key] = value;
      }
    }
    const text = JSON.stringify(plain);
    parts.push(embedded.length === 0 ? text : `${text.slice(0, -1)},${embedded.join(',')}}`);
  }
  return `[${parts.join(',')}]`;
}

/** The chunks of one batch's commit, in the caller's transaction (which holds the commit lock). */
export class ChunkedCommit {
  private readonly repo: IngestRepository;
  private written = 0;
  private analyzedAt = 0;
  /** batch_row's columns, an accepted row's normalized values left out. */
  private staged = sql``;

  constructor(
    private readonly trx: Transaction<Schema>,
    private readonly scope: CommitScope,
  ) {
    this.repo = new IngestRepository(trx);
  }

  /** The transaction's working tables: the chunk, and the first row of each record so far. */
  async open(): Promise<void> {
    await sql`create temporary table commit_chunk (like batch_row including defaults) on commit drop`.execute(
      this.trx,
    );
    await sql`
      create temporary table commit_seen (
        subject_id bigint not null, identity_key text not null, first_row integer not null, first_digest text,
        primary key (subject_id, identity_key)
      ) on commit drop`.execute(this.trx);
    const { rows } = await sql<{ name: string }>`
      select attname as name from pg_attribute
      where attrelid = 'batch_row'::regclass and attnum > 0 and not attisdropped order by attnum`.execute(
      this.trx,
    );
    this.staged = sql.join(
      rows.map((c) =>
        c.name === 'normalized'
          ? sql`case when status = 'accepted' then null else normalized end`
          : sql.ref(c.name),
      ),
    );
  }

  /** Writes one chunk: its accepted rows become records, every row enters batch_row. */
  async write(rows: readonly StagedRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await sql`truncate commit_chunk`.execute(this.trx);
    await sql`
      insert into commit_chunk select * from json_populate_recordset(null::commit_chunk, ${chunkJson(rows)}::json)`.execute(
      this.trx,
    );
    await sql`analyze commit_chunk`.execute(this.trx);
    // The tables the chunk is joined to grow with the batch, inside this transaction where no
    // autovacuum sees them: fresh statistics when they have doubled, or the planner takes
    // thousands of subjects for none and scans them once a row.
    if (this.written >= 2 * this.analyzedAt && this.written > 0) {
      await sql`analyze subject_code, subject, record`.execute(this.trx);
      this.analyzedAt = this.written;
    }
    await this.repo.commitRows(this.scope, sql.table('commit_chunk'), true);
    // An accepted row's values are its record's: batch_row keeps them for the other rows only.
    await sql`insert into batch_row select ${this.staged} from commit_chunk`.execute(this.trx);
    this.written += rows.length;
  }

  /** After the last chunk: what needs every record of the batch (roles, registration), and the result. */
  async finish(): Promise<CommitResult> {
    if (this.scope.roles) {
      await this.repo.roles(this.scope.batchId);
    }
    if (this.scope.registration) {
      await this.repo.registration(this.scope.batchId);
    }
    return this.repo.made(this.scope.batchId);
  }
}
