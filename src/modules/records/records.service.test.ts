/** A record's status set in place: the same version, its audit event, in the caller's transaction. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import { ConflictError } from '../../platform/index.ts';
import { DEMO_PASSWORD, type Actor } from '../auth/index.ts';
import { RecordService, type RecordStatus } from './index.ts';

const COMPANY = '91350100M000100Y43';

let t: TestApp;
let clerk: Actor;
let records: RecordService;

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  records = new RecordService(t.container.audit);
  const summary = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: ['R-objected', 'R-rolled-back', 'R-revoked'].map((doc) =>
      penaltyRecord({ 行政处罚决定书文号: doc }),
    ),
  });
  expect(summary.accepted).toBe(3);
});

afterAll(async () => {
  await t.close();
});

interface Version {
  id: number;
  version: number;
  is_current: boolean;
  status: RecordStatus;
  status_reason: string | null;
}

/** Every version of the record a document number names, oldest first. */
async function versions(document: string): Promise<Version[]> {
  const { rows } = await sql<Version>`
    select id, version, is_current, status, status_reason from record
    where identity_key = ${document} order by version`.execute(t.container.database.db);
  return rows;
}

async function idOf(document: string): Promise<number> {
  const [first] = await versions(document);
  if (first === undefined) {
    throw new Error(`no record ${document}`);
  }
  return first.id;
}

async function statusEvents(recordId: number) {
  const { rows } = await sql<{ actor: string; details: unknown }>`
    select actor, details from audit_event
    where action = 'record.status' and target_kind = 'record' and target_id = ${String(recordId)}
    order by seq`.execute(t.container.database.db);
  return rows;
}

describe('setting a record’s status', () => {
  it('changes the current version in place, says what it was, and leaves one audit event', async () => {
    const id = await idOf('R-objected');
    const previous = await t.container.database.db
      .transaction()
      .execute((trx) =>
        records.setStatus(trx, clerk, { recordId: id, status: 'under_objection', reason: '异议 1' }),
      );
    expect(previous).toBe('active');
    expect(await versions('R-objected')).toEqual([
      { id, version: 1, is_current: true, status: 'under_objection', status_reason: '异议 1' },
    ]);
    expect(await statusEvents(id)).toEqual([
      {
        actor: 'user:clerk.scjg',
        details: { from: 'active', to: 'under_objection', reason: '异议 1' },
      },
    ]);
    // Departments watching the subject hear of it through the change feed.
    const { rows } = await sql<{ change: string }>`
      select change from change_log where record_id = ${id} order by id`.execute(t.container.database.db);
    expect(rows.map((r) => r.change)).toContain('status:under_objection');
  });

  it('is undone with the caller’s transaction, its audit event with it', async () => {
    const id = await idOf('R-rolled-back');
    await expect(
      t.container.database.db.transaction().execute(async (trx) => {
        await records.setStatus(trx, clerk, { recordId: id, status: 'corrected', reason: '更正' });
        throw new Error('the caller fails after the change');
      }),
    ).rejects.toThrow('the caller fails after the change');
    expect((await versions('R-rolled-back')).map((v) => v.status)).toEqual(['active']);
    expect(await statusEvents(id)).toEqual([]);
  });

  it('refuses a version that is no longer current, and a record that does not exist', async () => {
    const old = await idOf('R-revoked');
    await t.container.revocation.revoke(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      documentNumber: 'R-revoked',
      subjectCode: COMPANY,
      reason: '复议撤销',
    });
    for (const recordId of [old, 999_999_999]) {
      const refused = await t.container.database.db
        .transaction()
        .execute((trx) =>
          records.setStatus(trx, clerk, { recordId, status: 'under_objection', reason: '异议' }),
        )
        .catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(ConflictError);
      expect(refused).toMatchObject({
        localized: { key: 'records.not_current', params: { record: recordId } },
        field: 'recordId',
        rule: 'record.current',
      });
      expect(await statusEvents(recordId)).toEqual([]);
    }
    expect((await versions('R-revoked')).map((v) => [v.version, v.is_current, v.status])).toEqual([
      [1, false, 'active'],
      [2, true, 'revoked'],
    ]);
  });
});
