import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { addDays, todayInShanghai } from '../../platform/calendar/index.ts';
import { DEMO_PASSWORD, type Actor } from '../auth/index.ts';
import type { CreditFile } from './index.ts';

const COMPANY = '91350100M000100Y43';
/** A synthetic person. */
const PERSON_ID = codes.citizenId('35010219900307231');
const PERSON_NAME = '林晓测';
const ADMIN: Actor = { kind: 'system', name: 'test' };

let t: TestApp;
const sessions: Record<string, string> = {};

const login = (username: string) => sessionCookie(t.app, username);

const get = (url: string, who?: string) =>
  t.app.inject({ method: 'GET', url, headers: who === undefined ? {} : { cookie: sessions[who] } });

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['company.user', 'officer.zj', 'auditor', 'admin', 'bank.user', 'clerk.scjg']) {
    sessions[name] = await login(name);
  }
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penaltyRecord({
        行政处罚决定书文号: 'H-1',
        处罚决定日期: addDays(todayInShanghai(), -10),
        失信程度: '一般',
        法定代表人: '王测试',
      }),
    ],
  });
  await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'credit_commitment',
    records: [
      {
        主体名称: PERSON_NAME,
        证件号码: PERSON_ID,
        承诺类型: '证明事项告知承诺',
        承诺事项: '食品经营许可',
        承诺内容: '所报材料真实有效',
        承诺日期: '2026-10-08',
        承诺受理单位: '福州市市场监督管理局（演示）',
        数据来源单位: '福州市市场监督管理局（演示）',
        数据来源单位统一社会信用代码: '1135010000366411XP',
      },
    ],
  });
});

afterAll(async () => {
  await t.close();
});

describe('GET /api/subjects/{code}/file', () => {
  it('gives the company its own file with the legal representative in full, and the reason for each record', async () => {
    const res = await get(`/api/subjects/${COMPANY}/file`, 'company.user');
    expect(res.statusCode).toBe(200);
    const file = res.json<CreditFile>();
    expect(file.audience).toBe('subject');
    const record = file.categories.find((c) => c.category === 'administrative_penalty')?.records[0];
    expect(record?.fields.find((f) => f.key === 'legal_rep')).toMatchObject({
      value: '王测试',
      treatment: 'shown',
    });
    expect(record?.disclosure.public?.shown).toBe(true);
    expect(record?.provenance.document).toEqual({ type: '行政处罚决定书', number: 'H-1' });
  });

  it('gives a credit officer the shared file for a declared purpose, the legal representative withheld', async () => {
    const missing = await get(`/api/subjects/${COMPANY}/file`, 'officer.zj');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ field: 'purpose', rule: 'sharing.purpose' });

    const res = await get(
      `/api/subjects/${COMPANY}/file?purpose=${encodeURIComponent('招标投标资格审查')}&matter=bidding`,
      'officer.zj',
    );
    expect(res.statusCode).toBe(200);
    const file = res.json<CreditFile>();
    expect(file.audience).toBe('department');
    const record = file.categories.flatMap((c) => c.records)[0];
    expect(record?.fields.find((f) => f.key === 'legal_rep')).toMatchObject({
      value: '王**',
      treatment: 'masked',
    });
    expect(JSON.stringify(file)).not.toContain('王测试');
  });

  it('sends the public to the public file, and refuses a data clerk, an administrator and an institution without an authorisation', async () => {
    expect((await get(`/api/subjects/${COMPANY}/file`)).statusCode).toBe(401);
    expect((await get(`/api/subjects/${COMPANY}/file?purpose=x`, 'clerk.scjg')).statusCode).toBe(403);
    expect((await get(`/api/subjects/${COMPANY}/file?purpose=x`, 'admin')).statusCode).toBe(403);
    const bank = await get(`/api/subjects/${COMPANY}/file`, 'bank.user');
    // Never authorised: answered as if the platform held no such subject.
    expect(bank.statusCode).toBe(404);
    expect(bank.json()).toEqual({ error: 'not_found', message: 'no subject with that code' });
  });

  it('explains a malformed code', async () => {
    const res = await get(`/api/subjects/91350100M000100Y44/file`, 'auditor');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      field: 'code',
      rule: expect.stringMatching(/^identifier\./) as unknown,
    });
  });
});

describe('in the reader’s language', () => {
  const ask = (url: string, language: string, who?: string) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: { 'accept-language': language, ...(who === undefined ? {} : { cookie: sessions[who] }) },
    });

  it('refuses in Chinese when asked for Chinese, in English when asked for English', async () => {
    const anonymous = await ask(`/api/subjects/${COMPANY}/file`, 'zh-CN');
    expect(anonymous.json()).toEqual({
      error: 'unauthorized',
      message: '请先登录，或在 /api/public/subjects/{code} 查阅公开信用档案',
    });
    expect((await ask(`/api/subjects/${COMPANY}/file`, 'en')).json()).toEqual({
      error: 'unauthorized',
      message: 'sign in, or read the public file at /api/public/subjects/{code}',
    });
    expect((await ask(`/api/subjects/${COMPANY}/file`, 'zh-CN', 'bank.user')).json()).toEqual({
      error: 'not_found',
      message: '未找到该代码对应的主体',
    });
  });

  it('explains each record in the language asked for, rule codes and legal bases unchanged', async () => {
    const reasons = async (language: string) => {
      const file = (await ask(`/api/subjects/${COMPANY}/file`, language, 'company.user')).json<CreditFile>();
      const record = file.categories.find((c) => c.category === 'administrative_penalty')?.records[0];
      return [record?.disclosure.reasons[0], record?.disclosure.public?.reason];
    };
    const [zh, en] = [await reasons('zh-CN'), await reasons('en')];
    expect(zh.map((r) => r?.message)).toEqual([
      '主体可免费查阅关于自身的全部信息，包括未公开的信息',
      '行政处罚信息向社会公开',
    ]);
    expect(en.map((r) => r?.message)).toEqual([
      'a subject reads everything about itself, free of charge, including what is not public',
      '行政处罚信息 is disclosed to the public',
    ]);
    // Everything but the platform's own sentence is the same in both.
    const rest = (r: (typeof zh)[number]) => ({ ...r, message: undefined });
    expect(zh.map(rest)).toEqual(en.map(rest));
    expect(zh[1]?.rule).toBe('catalog.disclosure');
  });

  it('answers the public file per language, and tells caches so', async () => {
    const zh = await ask(`/api/public/subjects/${COMPANY}`, 'zh-CN');
    expect(zh.headers.vary).toMatch(/accept-language/i);
    const record = zh.json<CreditFile>().categories.flatMap((c) => c.records)[0];
    expect(record?.disclosure.reasons[0]?.message).toBe('行政处罚信息向社会公开');
  });
});

describe('consent to disclose personal information', () => {
  const publicly = async () => {
    try {
      return await t.container.files.file({ kind: 'public' }, PERSON_ID);
    } catch {
      return undefined;
    }
  };

  it('keeps a person’s commitment from the public until they consent, then shows it masked; withdrawing ends it', async () => {
    expect(await publicly()).toBeUndefined();
    const given = await t.app.inject({
      method: 'POST',
      url: `/api/subjects/${PERSON_ID}/consents`,
      headers: { cookie: sessions.admin },
      payload: { item: 'credit_commitment', evidence: '个人信息公开同意书（编号 TY-2026-001）' },
    });
    expect(given.statusCode).toBe(201);
    const file = await publicly();
    expect(file?.subject.name).toBe('林**');
    const record = file?.categories[0]?.records[0];
    expect(record?.fields.find((f) => f.key === 'subject_name')).toMatchObject({
      value: '林**',
      treatment: 'masked',
    });
    expect(JSON.stringify(file)).not.toContain(PERSON_ID);
    expect(JSON.stringify(file)).not.toContain(PERSON_NAME);

    const { id } = given.json<{ id: number }>();
    const withdrawn = await t.app.inject({
      method: 'DELETE',
      url: `/api/subjects/${PERSON_ID}/consents/${id}`,
      headers: { cookie: sessions.admin },
    });
    expect(withdrawn.statusCode).toBe(204);
    expect(await publicly()).toBeUndefined();
  });

  it('records consent only for a natural person, on named evidence, by an administrator', async () => {
    const post = (code: string, who: string, payload: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/subjects/${code}/consents`,
        headers: { cookie: sessions[who] },
        payload,
      });
    expect((await post(COMPANY, 'admin', { evidence: '同意书' })).json()).toMatchObject({
      rule: 'consent.natural_person',
    });
    expect((await post(PERSON_ID, 'admin', { evidence: ' ' })).json()).toMatchObject({
      field: 'evidence',
      rule: 'consent.evidence',
    });
    expect((await post(PERSON_ID, 'auditor', { evidence: '同意书' })).statusCode).toBe(403);
    await expect(
      t.container.files.giveConsent(ADMIN, PERSON_ID, { item: 'no_such_item', evidence: '同意书' }),
    ).rejects.toThrow(/no_such_item/);
  });
});
