/**
 * Credit reports end to end: a company's special report over three domains states per domain what
 * was found in the window or "none found", and "not held" for criminal judgments; the public report
 * leaves out what the public may not see; every report verifies against the published keys, and one
 * changed character makes it "tampered"; a report is confirmed by number and code, never shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord, registrationRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import type { Actor } from '../auth/index.ts';
import { verifyReportJson, type ReportContent, type SignedReport } from './index.ts';

const COMPANY = '91350100M000100Y43'; // the demo company user's
const NAME = '福州某报告贸易有限公司';
const SW = {
  处罚机关: '福州市税务局（演示）',
  处罚机关统一社会信用代码: '11350100003664128P',
  数据来源单位: '福州市税务局（演示）',
  数据来源单位统一社会信用代码: '11350100003664128P',
};

let t: TestApp;
let company: Actor;
let officer: Actor;

const fine = (doc: string, decided: string, extra: Record<string, unknown> = {}) =>
  penaltyRecord({
    行政相对人名称: NAME,
    统一社会信用代码: COMPANY,
    行政处罚决定书文号: doc,
    处罚决定日期: decided,
    处罚类别: '罚款',
    处罚内容: '罚款人民币二万元',
    '罚款金额（万元）': '2',
    ...extra,
  });

beforeAll(async () => {
  t = await createTestApp();
  const c = t.container;
  const login = async (username: string) =>
    (await c.auth.login({ username, password: 'xinyong-demo-2026' })).actor;
  company = await login('company.user');
  officer = await login('officer.zj');
  const clerk = await login('clerk.scjg');
  const send = async (
    actor: Actor,
    department: string,
    records: Array<Record<string, unknown>>,
    item = 'admin_penalty',
    domain?: string,
  ) => {
    const s = await c.ingest.ingestRecords(actor, {
      department,
      item,
      records,
      ...(domain === undefined ? {} : { domain }),
    });
    expect(s.rejected, JSON.stringify(s)).toBe(0);
  };
  await send(clerk, 'FZ-SCJG', [registrationRecord(COMPANY, NAME)], 'registration');
  await send(clerk, 'FZ-SCJG', [
    // A warning: minor, not published.
    penaltyRecord({
      行政相对人名称: NAME,
      统一社会信用代码: COMPANY,
      行政处罚决定书文号: '榕市监处〔2025〕301号',
      处罚决定日期: '2025-10-10',
    }),
    // A fine whose display period (one year) has ended.
    fine('榕市监处〔2024〕88号', '2024-06-01'),
    // Outside any five-year window.
    fine('榕市监处〔2020〕12号', '2020-06-01'),
    // Published today.
    fine('榕市监处〔2026〕5号', '2026-11-20'),
  ]);
  // The same department, in its other domain.
  await send(clerk, 'FZ-SCJG', [fine('榕市监食处〔2026〕7号', '2026-03-01')], 'admin_penalty', 'food_drug');
  await send(await login('clerk.sw'), 'FZ-SW', [fine('榕税处〔2026〕15号', '2026-01-15', SW)]);
});

afterAll(async () => {
  await t.close();
});

const docs = (records: Array<{ record: { fields: Array<{ key: string; value: string | null }> } }>) =>
  records.map((r) => r.record.fields.find((f) => f.value?.includes('〔'))?.value).sort();

describe('the special report (信用代证)', () => {
  it('states per domain the penalties found in the window, "none found", and "not held" for criminal judgments', async () => {
    const issued = await t.container.reports.issue(company, {
      type: 'special',
      code: COMPANY,
      domains: ['market_supervision', 'taxation', 'construction'],
      years: 5,
    });
    const special = issued.signed.report.special;
    expect(special?.window.to).toBe(issued.signed.report.asOf);
    const byDomain = new Map(special?.domains.map((d) => [d.domain, d]));
    expect([...byDomain.keys()]).toEqual(['market_supervision', 'taxation', 'construction']);
    const finding = (domain: string, section: string) =>
      byDomain.get(domain)?.findings.find((f) => f.section === section);

    const market = finding('market_supervision', 'administrative_penalty');
    expect(market?.status).toBe('found');
    // The 2020 fine is outside the window; the food_drug batch's fine belongs to that domain.
    expect(docs(market?.records ?? [])).toEqual([
      '榕市监处〔2024〕88号',
      '榕市监处〔2025〕301号',
      '榕市监处〔2026〕5号',
    ]);
    const marks = new Map(market?.records.map((r) => [r.record.decisionDate, r.marks]));
    expect(marks.get('2025-10-10')).toEqual(expect.arrayContaining(['minor', 'not_public']));
    expect(marks.get('2024-06-01')).toEqual(expect.arrayContaining(['display_ended', 'not_public']));
    expect(marks.get('2026-11-20')).toEqual([]);

    expect(finding('taxation', 'administrative_penalty')).toMatchObject({ status: 'found' });
    expect(docs(finding('taxation', 'administrative_penalty')?.records ?? [])).toEqual([
      '榕税处〔2026〕15号',
    ]);
    for (const domain of ['market_supervision', 'taxation', 'construction']) {
      expect(finding(domain, 'criminal_judgment')).toMatchObject({ status: 'not_held', records: [] });
      expect(finding(domain, 'criminal_judgment')?.statement).toContain('未归集');
      expect(finding(domain, 'serious_dishonesty')?.status).toBe('none_found');
      expect(finding(domain, 'administrative_compulsion')?.status).toBe('none_found');
    }
    expect(finding('construction', 'administrative_penalty')).toMatchObject({
      status: 'none_found',
      records: [],
    });
    expect(finding('construction', 'administrative_penalty')?.statement).toContain('未发现');
    // How fresh "none found" is: the domain's departments and their last batch.
    expect(byDomain.get('construction')?.departments.map((d) => d.code)).toEqual(['GL-ZJ']);
    expect(byDomain.get('market_supervision')?.departments[0]?.lastBatchAt).toEqual(expect.any(String));
  });

  it("sorts a batch that named another of its department's domains under that domain", async () => {
    const issued = await t.container.reports.issue(company, {
      type: 'special',
      code: COMPANY,
      domains: ['food_drug'],
      years: 1,
    });
    const penalties = issued.signed.report.special?.domains[0]?.findings[0];
    expect(docs(penalties?.records ?? [])).toEqual(['榕市监食处〔2026〕7号']);
    // Each batch keeps the domain it was determined in, resolved when it was sent.
    const batches = await t.container.database.db
      .selectFrom('batch')
      .select(['department_code', 'domain'])
      .orderBy('id')
      .execute();
    expect(batches.map((b) => `${b.department_code}:${b.domain ?? ''}`)).toEqual([
      'FZ-SCJG:market_supervision',
      'FZ-SCJG:market_supervision',
      'FZ-SCJG:food_drug',
      'FZ-SW:taxation',
    ]);
  });

  it("refuses a window over five years, an unknown domain, and a subject that is not the account's own", async () => {
    const reports = t.container.reports;
    await expect(
      reports.issue(company, { type: 'special', code: COMPANY, domains: ['taxation'], from: '2020-01-01' }),
    ).rejects.toMatchObject({
      status: 400,
      field: 'from',
      value: '2020-01-01',
      rule: 'report.special_window',
    });
    await expect(
      reports.issue(company, { type: 'special', code: COMPANY, domains: ['astrology'] }),
    ).rejects.toMatchObject({
      status: 400,
      field: 'domains',
      value: 'astrology',
      rule: 'report.special_domains',
    });
    await expect(
      reports.issue(company, { type: 'special', code: COMPANY, domains: [] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      reports.issue(company, { type: 'self', code: codes.uscc('91350100', 'MA7RPT01') }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      reports.issue(officer, { type: 'special', code: COMPANY, domains: ['taxation'] }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('what each report shows', () => {
  const allDocs = (r: ReportContent) =>
    r.records
      .flatMap((c) => c.records)
      .map((x) => x.fields.find((f) => f.key === 'decision_no')?.value ?? x.decisionDate);

  it("leaves out of the public report what the public may not see, and marks it in the subject's own", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { code: COMPANY },
    });
    expect(res.statusCode).toBe(201);
    const pub = res.json<{ report: SignedReport }>().report.report;
    expect(pub.audience.kind).toBe('public');
    const dates = pub.records.flatMap((c) => c.records).map((r) => r.decisionDate);
    expect(dates).toContain('2026-11-20');
    expect(dates).not.toContain('2025-10-10'); // minor
    expect(dates).not.toContain('2024-06-01'); // past its display period

    const own = (await t.container.reports.issue(company, { type: 'self', code: COMPANY })).signed.report;
    const ownRecords = own.records.flatMap((c) => c.records);
    const warning = ownRecords.find((r) => r.decisionDate === '2025-10-10');
    expect(warning?.disclosure.public?.shown).toBe(false);
    expect(warning?.disclosure.public?.reason.message).toBeTruthy();
    expect(own.rules.map((r) => r.rule)).toEqual(['masking', 'display_periods', 'repair']);
    expect(own.freshness.map((f) => f.department.code).sort()).toEqual(['FZ-SCJG', 'FZ-SW']);
    expect(own.catalog[0]?.version).toEqual(expect.any(Number));
    expect(allDocs(own).length).toBeGreaterThan(allDocs(pub).length);
  });

  it('gives a department its matter report only with a purpose and a matter', async () => {
    const reports = t.container.reports;
    await expect(
      reports.issue(officer, { type: 'matter', code: COMPANY, purpose: '招标投标资格审查' }),
    ).rejects.toMatchObject({
      status: 400,
      field: 'matter',
    });
    await expect(
      reports.issue(officer, { type: 'matter', code: COMPANY, matter: 'bidding' }),
    ).rejects.toMatchObject({
      status: 400,
      field: 'purpose',
    });
    await expect(
      reports.issue(company, { type: 'matter', code: COMPANY, matter: 'bidding', purpose: 'x' }),
    ).rejects.toMatchObject({ status: 403 });
    const issued = await reports.issue(officer, {
      type: 'matter',
      code: COMPANY,
      purpose: '招标投标资格审查',
      matter: 'bidding',
    });
    expect(issued.signed.report.audience).toMatchObject({
      kind: 'department',
      department: { code: 'GL-ZJ' },
      purpose: '招标投标资格审查',
      matter: 'bidding',
    });
  });
});

describe('trust', () => {
  it('verifies against the published keys, and one changed character is "tampered"', async () => {
    const issued = await t.container.reports.issue(company, { type: 'self', code: COMPANY });
    const keys = (await t.app.inject({ method: 'GET', url: '/api/public/keys' })).json<{
      keys: Parameters<typeof verifyReportJson>[1];
    }>().keys;
    expect(verifyReportJson(issued.text, keys)).toMatchObject({
      verdict: 'valid',
      number: issued.number,
      fingerprint: issued.fingerprint,
    });
    const changed = issued.text.replace(NAME, NAME.replace('贸易', '贸义'));
    expect(changed).not.toBe(issued.text);
    expect(verifyReportJson(changed, keys).verdict).toBe('tampered');
    // A changed character that breaks the JSON is tampering too, not "invalid".
    expect(verifyReportJson(issued.text.replace('{"format"', '{"format:'), keys).verdict).toBe('tampered');
    expect(verifyReportJson('{"hello": 1}', keys).verdict).toBe('not_a_report');
    // The signature's last base64 character changed where decoding would forgive it.
    const value = issued.signed.signature.value;
    const last = value.replace(/=+$/, '').length - 1;
    const forgiven =
      value.slice(0, last) + String.fromCharCode(value.charCodeAt(last) ^ 1) + value.slice(last + 1);
    expect(verifyReportJson(issued.text.replace(value, forgiven), keys).verdict).toBe('tampered');
  });

  it('is stored as issued with the hash of its code, audited, and confirmed by number and code without its content', async () => {
    const issued = await t.container.reports.issue(company, { type: 'self', code: COMPANY });
    const row = await t.container.database.db
      .selectFrom('credit_report')
      .selectAll()
      .where('number', '=', issued.number)
      .executeTakeFirstOrThrow();
    expect(row.signed).toBe(issued.text);
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    await t.container.audit.seal();
    const events = await t.container.database.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('action', '=', 'report.issue')
      .execute();
    expect(events.some((e) => (e.details as { number?: string }).number === issued.number)).toBe(true);

    const verify = (number: string, code: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/public/reports/verify?number=${number}&code=${encodeURIComponent(code)}`,
      });
    const ok = await verify(issued.number, issued.code.toLowerCase());
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      number: issued.number,
      type: 'self',
      issuedAt: issued.signed.report.issuedAt,
      fingerprint: issued.fingerprint,
      keyId: issued.signed.signature.keyId,
      algorithm: 'ed25519',
      verdict: 'valid',
      message: expect.any(String) as unknown,
    });
    expect(ok.body).not.toContain(NAME);
    const wrongCode = await verify(issued.number, 'AAAA-AAAA');
    const neverIssued = await verify('XY20261202AAAAAAAA', issued.code);
    expect(wrongCode.statusCode).toBe(404);
    expect(neverIssued.statusCode).toBe(404);
    expect(wrongCode.json<{ message: string }>().message).toBe(
      neverIssued.json<{ message: string }>().message,
    );
    // The page the QR code opens: the same confirmation, for a person, without the content.
    const page = await t.app.inject({
      method: 'GET',
      url: `/verify?number=${issued.number}&code=${issued.code}`,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(issued.fingerprint);
    expect(page.body).toContain('报告真实有效');
    expect(page.body).not.toContain(NAME);
    const wrongPage = await t.app.inject({
      method: 'GET',
      url: `/verify?number=${issued.number}&code=AAAA-AAAA`,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(wrongPage.statusCode).toBe(404);
    expect(wrongPage.body).toContain('没有编号与验证码相符的报告');
    expect(issued.signed.report.verification.url).toBe(
      `https://credit.example.gov.cn/verify?number=${issued.number}&code=${issued.code}`,
    );
  });

  it('keeps old reports verifiable after rotation, and says so when their key is revoked', async () => {
    const before = await t.container.reports.issue(company, { type: 'self', code: COMPANY });
    const admin = (await t.container.auth.login({ username: 'admin', password: 'xinyong-demo-2026' })).actor;
    await t.container.audit.checkpoint({ kind: 'system', name: 'test' });
    const rotated = await t.container.keys.rotate(admin);
    expect(rotated.replaced).toEqual([before.signed.signature.keyId]);
    const after = await t.container.reports.issue(company, { type: 'self', code: COMPANY });
    expect(after.signed.signature.keyId).toBe(rotated.key.keyId);
    const keys = await t.container.keys.list();
    expect(verifyReportJson(before.text, keys).verdict).toBe('valid');
    expect(verifyReportJson(after.text, keys).verdict).toBe('valid');
    // A checkpoint signed by the previous key still verifies.
    await t.container.audit.checkpoint({ kind: 'system', name: 'test' });
    expect(await t.container.audit.verify()).toMatchObject({ ok: true });

    await t.container.keys.revoke(admin, before.signed.signature.keyId, '私钥泄露');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/public/reports/verify?number=${before.number}&code=${before.code}`,
    });
    expect(res.json()).toMatchObject({ verdict: 'key_revoked' });
    expect(res.json<{ message: string }>().message).toContain('私钥泄露');
    expect(verifyReportJson(after.text, await t.container.keys.list()).verdict).toBe('valid');
    const listed = (await t.app.inject({ method: 'GET', url: '/api/public/keys' })).json<{
      keys: Array<{ keyId: string; status: string }>;
    }>().keys;
    expect(listed.find((k) => k.keyId === before.signed.signature.keyId)?.status).toBe('revoked');
    expect(listed.find((k) => k.keyId === rotated.key.keyId)?.status).toBe('active');
  });
});

describe('a report again, as a file', () => {
  const session = (username: string) => sessionCookie(t.app, username);

  it('is given to who asked for it and to the auditor, and to nobody else', async () => {
    const company = await session('company.user');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: { cookie: company },
      payload: { type: 'special', code: COMPANY, domains: ['taxation'], years: 3 },
    });
    expect(made.statusCode).toBe(201);
    const { number } = made.json<{ number: string }>();
    const get = (cookie: string, format = 'pdf') =>
      t.app.inject({ method: 'GET', url: `/api/reports/${number}?format=${format}`, headers: { cookie } });
    const pdf = await get(company);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const html = await get(await session('auditor'), 'html');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('专项信用报告');
    expect(html.body).toContain(NAME);
    const other = await get(await session('officer.zj'));
    const never = await t.app.inject({
      method: 'GET',
      url: '/api/reports/XY20261202AAAAAAAA',
      headers: { cookie: company },
    });
    expect(other.statusCode).toBe(404);
    expect(other.json<{ message: string }>().message.replace(number, 'N')).toBe(
      never.json<{ message: string }>().message.replace('XY20261202AAAAAAAA', 'N'),
    );
  });

  it('gives a public report to whoever holds its number and code', async () => {
    const made = (
      await t.app.inject({ method: 'POST', url: '/api/public/reports', payload: { code: COMPANY } })
    ).json<{ number: string; code: string }>();
    const get = (code: string) =>
      t.app.inject({ method: 'GET', url: `/api/public/reports/${made.number}?code=${code}&format=json` });
    expect((await get(made.code)).statusCode).toBe(200);
    expect((await get('ZZZZ-ZZZZ')).statusCode).toBe(404);
    // A subject's own report is not public, whatever code is given.
    const own = await t.container.reports.issue(company, { type: 'self', code: COMPANY });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/public/reports/${own.number}?code=${own.code}`,
    });
    expect(res.statusCode).toBe(404);
  });
});
