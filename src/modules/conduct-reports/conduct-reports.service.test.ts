/**
 * Reports of dishonest conduct from the public: filed with no account, routed to the market
 * regulator by its domain, acknowledged and answered within working days counted across National
 * Day; followed by the receipt code, which expires a year after the case closes; who reported is
 * seen by the handling department and never by the subject or the public; an address may file 5 an
 * hour.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { createDataProtector, type AppError } from '../../platform/index.ts';
import { ConductReportService } from './index.ts';

const CONTACT = '13800000000';
let t: TestApp;
let reports: ConductReportService;

const report = {
  subjectName: '福州某被举报食品有限公司',
  domain: 'market_supervision',
  description: '销售过期食品',
  reporter: { name: '匿名群众', contact: CONTACT },
};

beforeAll(async () => {
  t = await createTestApp();
  const c = t.container;
  reports = new ConductReportService(
    c.database.db,
    c.audit,
    createDataProtector(c.config.dataKeyFile),
    () => c.calendar.current(),
    () => '2026-09-30',
    { acknowledgeWorkingDays: 3, answerWorkingDays: 20 },
  );
});

afterAll(async () => {
  await t.close();
});

describe('a report from the public', () => {
  it('goes to the competent department, with deadlines in working days across National Day', async () => {
    const { receipt, report: r } = await reports.file(report);
    expect(receipt).toMatch(/^[2-9A-HJ-NP-Z]{20}$/);
    // 3 working days: 8, 9 and the make-up Saturday 10 October; 20: 3 November.
    expect(r).toMatchObject({
      status: 'received',
      department: 'FZ-SCJG',
      acknowledgeBy: '2026-10-10',
      answerBy: '2026-11-03',
    });
    const stored = await t.container.database.db
      .selectFrom('conduct_report')
      .select(['receipt_hash', 'reporter_sealed'])
      .execute();
    expect(JSON.stringify(stored)).not.toContain(receipt);
    expect(JSON.stringify(stored)).not.toContain(CONTACT);
  });

  it('is refused for a domain no department serves, with nothing written', async () => {
    const before = (await t.container.database.db.selectFrom('conduct_report').select('id').execute()).length;
    const err = (await reports.file({ ...report, domain: 'astrology' }).catch((e: unknown) => e)) as AppError;
    expect(err.rule).toBe('conduct_report.domain');
    expect((await t.container.database.db.selectFrom('conduct_report').select('id').execute()).length).toBe(
      before,
    );
  });

  it('is refused, naming the field, when the name or the description is only blanks', async () => {
    for (const [field, body] of [
      ['subjectName', { ...report, subjectName: ' \u3000 ' }],
      ['description', { ...report, description: '   ' }],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/public/conduct-reports',
        headers: { 'accept-language': 'zh-CN' },
        payload: body,
      });
      expect(res.statusCode, field).toBe(400);
      expect(res.json()).toMatchObject({ field, message: `${field}：不能为空` });
    }
  });

  it('is followed by its receipt code over HTTP, which never shows who reported', async () => {
    const filed = await t.app.inject({ method: 'POST', url: '/api/public/conduct-reports', payload: report });
    expect(filed.statusCode).toBe(201);
    const { receipt } = filed.json<{ receipt: string }>();
    const followed = await t.app.inject({ method: 'GET', url: `/api/public/conduct-reports/${receipt}` });
    expect(followed.statusCode).toBe(200);
    expect(followed.json()).toMatchObject({
      status: 'received',
      department: 'FZ-SCJG',
      departmentName: '福州市市场监督管理局（演示）',
      acknowledged: false,
    });
    expect(followed.body).not.toContain(CONTACT);
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/public/conduct-reports/AAAAAAAAAAAAAAAAAAAA',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('shows who reported to the handling department, never to the subject or the public', async () => {
    const reviewer = await t.app.inject({
      method: 'GET',
      url: '/api/conduct-reports',
      headers: { cookie: await sessionCookie(t.app, 'reviewer.scjg') },
    });
    expect(reviewer.statusCode).toBe(200);
    expect(reviewer.json<Array<{ reporter: { contact?: string } | null }>>()[0]?.reporter?.contact).toBe(
      CONTACT,
    );
    const company = await t.app.inject({
      method: 'GET',
      url: '/api/conduct-reports',
      headers: { cookie: await sessionCookie(t.app, 'company.user') },
    });
    expect(company.statusCode).toBe(403);
    expect(company.body).not.toContain(CONTACT);
    const anyone = await t.app.inject({ method: 'GET', url: '/api/conduct-reports' });
    expect(anyone.statusCode).toBe(401);
  });

  it('is acknowledged, then answered; the receipt expires a year after it closed', async () => {
    const { receipt } = await reports.file(report);
    const reviewer = (
      await t.container.auth.login({ username: 'reviewer.scjg', password: 'xinyong-demo-2026' })
    ).actor;
    const id = (
      await t.container.database.db
        .selectFrom('conduct_report')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
    const early = (await reports.answer(reviewer, id, '已核查').catch((e: unknown) => e)) as AppError;
    expect(early.rule).toBe('conduct_report.step');
    await reports.acknowledge(reviewer, id);
    const answered = await reports.answer(reviewer, id, '经核查属实，已立案查处');
    expect(answered).toMatchObject({ status: 'answered', answeredOn: '2026-09-30' });
    expect((await reports.follow(receipt)).answer).toBe('经核查属实，已立案查处');
    await sql`update conduct_report set answered_on = '2025-09-01' where id = ${id}`.execute(
      t.container.database.db,
    );
    const expired = (await reports.follow(receipt).catch((e: unknown) => e)) as AppError;
    expect(expired.rule).toBe('conduct_report.receipt_expired');
    // Who reported is kept for the audit retention period after the answer, then forgotten.
    expect(await reports.forgetReporters(1825)).toBe(0);
    await sql`update conduct_report set answered_on = '2020-01-01' where id = ${id}`.execute(
      t.container.database.db,
    );
    expect(await reports.forgetReporters(1825)).toBe(1);
    const kept = await t.container.database.db
      .selectFrom('conduct_report')
      .select(['reporter_sealed', 'description'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ reporter_sealed: null, description: report.description });
  });

  it('is limited to 5 an hour from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push(
        (await t.app.inject({ method: 'POST', url: '/api/public/conduct-reports', payload: report }))
          .statusCode,
      );
    }
    // One was filed over HTTP above: four more pass, then the limit answers.
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
  });
});
