/**
 * Credit commitments: a company signs the standard text of a notification-and-commitment licence;
 * the signature is a credit_commitment record in its file; the department records one commitment
 * fulfilled and finds another breached, which becomes a breached_commitment record. A day out of
 * range, an unknown department and a second decision are refused with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { registrationRecord } from '../../../test/support/records.ts';
import { createDataProtector, type AppError } from '../../platform/index.ts';
import type { Actor } from '../auth/index.ts';
import { CommitmentService } from './index.ts';

const COMPANY = '91350100M000100Y43'; // the demo company user's
const TODAY = '2026-10-12';

let t: TestApp;
let commitments: CommitmentService;
let company: Actor;
let reviewer: Actor;

const count = async (table: 'commitment' | 'record') =>
  Number(
    (
      await t.container.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp();
  const c = t.container;
  const login = async (username: string) =>
    (await c.auth.login({ username, password: 'xinyong-demo-2026' })).actor;
  company = await login('company.user');
  reviewer = await login('reviewer.scjg');
  const clerk = await login('clerk.scjg');
  const registered = await c.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'registration',
    records: [registrationRecord(COMPANY, '福州某承诺食品有限公司')],
  });
  expect(registered.accepted).toBe(1);
  commitments = new CommitmentService(
    c.database.db,
    c.audit,
    createDataProtector(c.config.dataKeyFile),
    c.ingest,
    () => TODAY,
  );
});

afterAll(async () => {
  await t.close();
});

describe('signing', () => {
  it('makes the signed standard text a credit_commitment record of the company', async () => {
    const signed = await commitments.sign(company, {
      kind: 'licensing',
      department: 'FZ-SCJG',
      matter: '食品经营许可（告知承诺）',
      fulfilBy: '2026-12-31',
    });
    expect(signed).toMatchObject({
      status: 'signed',
      signedOn: TODAY,
      fulfilBy: '2026-12-31',
      overdue: false,
    });
    expect(signed.text).toContain('食品经营许可（告知承诺）');
    expect(signed.text).toContain('2026-12-31');
    const record = await t.container.database.db
      .selectFrom('record')
      .select(['item_code', 'department_code', 'payload'])
      .where('id', '=', signed.recordId ?? 0)
      .executeTakeFirstOrThrow();
    expect(record.item_code).toBe('credit_commitment');
    expect(record.department_code).toBe('FZ-SCJG');
    expect(JSON.stringify(record.payload)).toContain('审批替代型');
  });

  it('refuses a day to fulfil by in the past, and an unknown department, writing nothing', async () => {
    const [commitmentsBefore, recordsBefore] = [await count('commitment'), await count('record')];
    const past = (await commitments
      .sign(company, {
        kind: 'certification',
        department: 'FZ-SCJG',
        matter: '无犯罪记录证明',
        fulfilBy: '2026-10-01',
      })
      .catch((e: unknown) => e)) as AppError;
    expect(past.rule).toBe('commitment.fulfil_by');
    expect(past.field).toBe('fulfilBy');
    const nowhere = (await commitments
      .sign(company, {
        kind: 'certification',
        department: 'NOWHERE',
        matter: '某事项',
        fulfilBy: '2026-11-01',
      })
      .catch((e: unknown) => e)) as AppError;
    expect(nowhere.status).toBe(404);
    expect([await count('commitment'), await count('record')]).toEqual([commitmentsBefore, recordsBefore]);
  });
});

describe('the department’s finding', () => {
  it('records one fulfilled, and a breach as a breached_commitment record with its finding', async () => {
    const kept = await commitments.sign(company, {
      kind: 'missing_documents',
      department: 'FZ-SCJG',
      matter: '营业执照变更登记（容缺受理）',
      fulfilBy: '2026-11-12',
    });
    const broken = await commitments.sign(company, {
      kind: 'certification',
      department: 'FZ-SCJG',
      matter: '经营场所使用证明',
      fulfilBy: '2026-11-12',
    });
    const fulfilled = await commitments.decide(reviewer, kept.id, {
      outcome: 'fulfilled',
      note: '材料已于10月20日补齐',
    });
    expect(fulfilled).toMatchObject({ status: 'fulfilled', breachRecordId: null });
    const breached = await commitments.decide(reviewer, broken.id, {
      outcome: 'breached',
      note: '经核查，经营场所使用证明所述事实不实',
      documentNumber: '榕市监违诺〔2026〕7号',
    });
    expect(breached.status).toBe('breached');
    const record = await t.container.database.db
      .selectFrom('record')
      .select(['item_code', 'identity_key', 'status'])
      .where('id', '=', breached.breachRecordId ?? 0)
      .executeTakeFirstOrThrow();
    expect(record).toEqual({
      item_code: 'breached_commitment',
      identity_key: '榕市监违诺〔2026〕7号',
      status: 'active',
    });
    const again = (await commitments
      .decide(reviewer, broken.id, { outcome: 'fulfilled', note: '再次' })
      .catch((e: unknown) => e)) as AppError;
    expect(again.rule).toBe('commitment.open');
    const told = await t.container.database.db
      .selectFrom('outbox')
      .select('topic')
      .where('topic', 'like', 'commitment.%')
      .execute();
    expect(told.map((m) => m.topic).sort()).toEqual(['commitment.breached', 'commitment.fulfilled']);
  });

  it('is kept to the department the commitment was made to', async () => {
    const [open] = (await commitments.list(company)).filter((c) => c.status === 'signed');
    const clerk = (await t.container.auth.login({ username: 'clerk.sw', password: 'xinyong-demo-2026' }))
      .actor;
    const err = (await commitments
      .decide(clerk, open?.id ?? 0, { outcome: 'fulfilled', note: '已履行' })
      .catch((e: unknown) => e)) as AppError;
    expect([403, 404]).toContain(err.status);
  });
});
