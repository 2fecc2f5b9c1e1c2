/**
 * The credit file through the database, with a frozen clock: audiences × record statuses × clock
 * positions (before the shortest period, between the shortest and the longest, after the longest).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { createDataProtector } from '../../platform/index.ts';
import { PUBLIC, type Actor } from '../auth/index.ts';
import { CreditFileService, type CreditFile, type FileRecord } from './index.ts';

const COMPANY = '91350100M000100Y43';
const DECIDED = '2025-01-10';
/** General tier: repair from 2025-04-10, disclosure ends 2026-01-10. Minor: ends 2025-04-10. */
const CLOCK = { before: '2025-02-10', between: '2025-06-10', after: '2026-02-10' } as const;
type Clock = keyof typeof CLOCK;

let t: TestApp;
const actors: Record<string, Actor> = {};
const service = (today: string) =>
  new CreditFileService(
    t.container.database.db,
    t.container.audit,
    t.container.catalog,
    createDataProtector(t.container.config.dataKeyFile),
    { today: () => today },
  );

async function login(username: string): Promise<Actor> {
  return (await t.container.auth.login({ username, password: 'xinyong-demo-2026' })).actor;
}

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['clerk.scjg', 'reviewer.scjg', 'officer.zj', 'auditor', 'company.user']) {
    actors[name] = await login(name);
  }
  const clerk = actors['clerk.scjg'] as Actor;
  const general = (doc: string) =>
    penaltyRecord({
      行政处罚决定书文号: doc,
      处罚决定日期: DECIDED,
      失信程度: '一般',
      处罚类别: '罚款',
      '罚款金额（万元）': '2',
    });
  const summary = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      general('S-active'),
      general('S-objection'),
      general('S-revoked'),
      general('S-ended'),
      general('S-marked'),
      penaltyRecord({ 行政处罚决定书文号: 'S-minor', 处罚决定日期: DECIDED }),
    ],
  });
  expect(summary.accepted).toBe(6);
  const db = t.container.database.db;
  // The company objects to one of its records: it is under objection while the department decides.
  const objected = await db
    .selectFrom('record')
    .select('id')
    .where('identity_key', '=', 'S-objection')
    .executeTakeFirstOrThrow();
  await t.container.objections.file(actors['company.user'] as Actor, {
    recordId: objected.id,
    reasons: '处罚决定已被撤销',
  });
  // What the repair procedure will do, done here directly.
  await sql`update record set status = 'repaired', repair_outcome = 'end_disclosure' where identity_key = 'S-ended'`.execute(
    db,
  );
  await sql`update record set status = 'repaired', repair_outcome = 'mark_repaired' where identity_key = 'S-marked'`.execute(
    db,
  );
  await t.container.revocation.revoke(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    documentNumber: 'S-revoked',
    subjectCode: COMPANY,
    reason: '复议撤销',
  });
});

afterAll(async () => {
  await t.close();
});

/** `shown`, `shown+<mark>`, or the rule that hid the record. */
type Outcome = string;
const DOCS = ['S-active', 'S-objection', 'S-revoked', 'S-ended', 'S-marked', 'S-minor'] as const;

/** What the public sees, by clock position: before, between, after. */
const PUBLIC_VIEW: Record<(typeof DOCS)[number], [Outcome, Outcome, Outcome]> = {
  'S-active': ['shown', 'shown', 'display.ended'],
  'S-objection': ['shown+under_objection', 'shown+under_objection', 'display.ended'],
  'S-revoked': ['record.revoked', 'record.revoked', 'record.revoked'],
  'S-ended': ['repair.end_disclosure', 'repair.end_disclosure', 'repair.end_disclosure'],
  'S-marked': ['shown+repaired', 'shown+repaired', 'display.ended'],
  'S-minor': ['display.not_public', 'display.ended', 'display.ended'],
};
/** A department shares what the public sees, and minor information the public does not. */
const DEPARTMENT_VIEW: typeof PUBLIC_VIEW = {
  ...PUBLIC_VIEW,
  'S-minor': ['shown', 'display.ended', 'display.ended'],
};
/**
 * The subject may apply for repair after the shortest period, while the record is still shown and
 * no objection to it is open.
 */
const REPAIR_ELIGIBLE: Record<(typeof DOCS)[number], [boolean, boolean, boolean]> = {
  'S-active': [false, true, false],
  'S-objection': [false, false, false],
  'S-revoked': [false, false, false],
  'S-ended': [false, false, false],
  'S-marked': [false, false, false],
  'S-minor': [true, false, false],
};

function recordsOf(file: CreditFile): Map<string, FileRecord> {
  return new Map(
    file.categories.flatMap((c) => c.records).map((r) => [r.provenance.document.number ?? '', r]),
  );
}

function outcomeOf(record: FileRecord | undefined): Outcome {
  if (record === undefined) {
    return 'absent';
  }
  return ['shown', ...record.marks].join('+');
}

const POSITIONS = Object.keys(CLOCK) as Clock[];

describe('the credit file, audiences × statuses × clock', () => {
  for (const [p, clock] of POSITIONS.entries()) {
    it(`the public, ${clock}: only what is disclosed, in its period, never revoked or repaired away`, async () => {
      if (DOCS.every((doc) => !PUBLIC_VIEW[doc][p]?.startsWith('shown'))) {
        // A subject known only from records none of which the public may see is not there for it.
        await expect(service(CLOCK[clock]).file(PUBLIC, COMPANY)).rejects.toThrow(/no subject/);
        return;
      }
      const file = await service(CLOCK[clock]).file(PUBLIC, COMPANY);
      const shown = recordsOf(file);
      for (const doc of DOCS) {
        const expected = PUBLIC_VIEW[doc][p] as string;
        expect([doc, outcomeOf(shown.get(doc))]).toEqual([
          doc,
          expected.startsWith('shown') ? expected : 'absent',
        ]);
      }
      expect(file.audience).toBe('public');
    });

    it(`a department with a declared purpose, ${clock}: the sharing scope, in its period`, async () => {
      for (const officer of ['officer.zj', 'reviewer.scjg']) {
        const file = await service(CLOCK[clock]).file(actors[officer] as Actor, COMPANY, {
          purpose: '政府采购供应商资格审查',
        });
        const shown = recordsOf(file);
        for (const doc of DOCS) {
          const expected = DEPARTMENT_VIEW[doc][p] as string;
          expect([officer, doc, outcomeOf(shown.get(doc))]).toEqual([
            officer,
            doc,
            expected.startsWith('shown') ? expected : 'absent',
          ]);
        }
        const reason = shown.get('S-active')?.disclosure.reasons[0]?.rule;
        if (clock !== 'after') {
          expect(reason).toBe(officer === 'reviewer.scjg' ? 'sharing.own' : 'sharing.unconditional');
        }
      }
    });

    it(`the subject itself, ${clock}: everything, with why each record is or is not public`, async () => {
      const file = await service(CLOCK[clock]).file(actors['company.user'] as Actor, COMPANY);
      const shown = recordsOf(file);
      for (const doc of DOCS) {
        const record = shown.get(doc);
        const publicly = PUBLIC_VIEW[doc][p] as string;
        expect(record?.disclosure.visibility, doc).toBe('full');
        expect([doc, record?.disclosure.public?.shown]).toEqual([doc, publicly.startsWith('shown')]);
        if (!publicly.startsWith('shown')) {
          expect([doc, record?.disclosure.public?.reason.rule]).toEqual([doc, publicly]);
        }
        expect([doc, record?.repair.eligible]).toEqual([doc, REPAIR_ELIGIBLE[doc][p]]);
      }
      expect(file.audience).toBe('subject');
    });

    it(`an auditor, ${clock}: everything`, async () => {
      const file = await service(CLOCK[clock]).file(actors.auditor as Actor, COMPANY);
      expect([...recordsOf(file).keys()].sort()).toEqual([...DOCS].sort());
    });
  }

  it('explains a hidden record to the subject with the rule and its legal basis', async () => {
    const file = await service(CLOCK.after).file(actors['company.user'] as Actor, COMPANY);
    const ended = recordsOf(file).get('S-active');
    expect(ended?.display).toEqual({ from: DECIDED, until: '2026-01-10', ended: true });
    expect(ended?.disclosure.public?.reason).toMatchObject({
      rule: 'display.ended',
      message: expect.stringContaining('2026-01-10') as unknown,
      basis: { code: 'NDRC-CREDIT-REPAIR', title: '信用修复管理办法' },
    });
    expect(ended?.provenance).toMatchObject({
      department: { code: 'FZ-SCJG' },
      document: { number: 'S-active' },
      version: 1,
    });
    expect(ended?.tier).toBe('general');
  });

  it('audits every read that is not the public’s, with the audience, purpose and the records shown', async () => {
    const db = t.container.database.db;
    const count = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from audit_event where action = 'file.read'`.execute(
            db,
          )
        ).rows[0]?.n,
      );
    const before = await count();
    await service(CLOCK.before).file(PUBLIC, COMPANY);
    expect(await count()).toBe(before);
    const file = await service(CLOCK.before).file(actors['officer.zj'] as Actor, COMPANY, {
      purpose: '财政补贴资格审查',
      matter: 'subsidy',
    });
    expect(await count()).toBe(before + 1);
    const event = await sql<{ actor: unknown; details: Record<string, unknown> }>`
      select actor, details from audit_event where action = 'file.read' order by seq desc limit 1`.execute(
      db,
    );
    expect(event.rows[0]?.details).toMatchObject({
      audience: 'department',
      purpose: '财政补贴资格审查',
      matter: 'subsidy',
      recordIds: file.categories.flatMap((c) => c.records.map((r) => r.id)),
    });
  });

  it('refuses a department without a purpose, naming the field', async () => {
    await expect(
      service(CLOCK.before).file(actors['officer.zj'] as Actor, COMPANY, { purpose: '  ' }),
    ).rejects.toMatchObject({
      field: 'purpose',
      rule: 'sharing.purpose',
    });
  });

  it('answers an unknown code and a malformed one differently, and says what is wrong with the malformed one', async () => {
    await expect(service(CLOCK.before).file(PUBLIC, '91350100M000100Y51')).rejects.toMatchObject({
      rule: expect.stringMatching(/^identifier\./) as unknown,
    });
    await expect(service(CLOCK.before).file(PUBLIC, codes.uscc('91350100', 'MA2Y0B3X'))).rejects.toThrow(
      /no subject/,
    );
  });
});
