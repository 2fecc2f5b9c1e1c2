import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.ts';
import { beginCommit, commitAllowanceMs } from './records.commit-guard.ts';

const database = useTestDatabase();

describe('a commit transaction', () => {
  it('names its batch for pg_stat_activity and bounds its statements by the batch size', async () => {
    const settings = await database()
      .db.transaction()
      .execute(async (trx) => {
        await beginCommit(trx, 42, 5_000);
        const { rows } = await sql<{ app: string; timeout: string }>`
          select current_setting('application_name') as app,
            current_setting('statement_timeout') as timeout`.execute(trx);
        return rows[0];
      });
    expect(commitAllowanceMs(5_000)).toBe(65_000);
    expect(settings).toEqual({ app: 'xinyong:commit:42', timeout: '65s' });
    // Both revert with the transaction: the connection goes back to the pool as it was.
    const after = await sql<{
      timeout: string;
    }>`select current_setting('statement_timeout') as timeout`.execute(database().db);
    expect(after.rows[0]?.timeout).toBe('0');
  });
});
