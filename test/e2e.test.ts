/**
 * Journeys through the platform as people take them, in a browser (Debian's Chromium through
 * playwright-core, test/support/browser.ts) against one served test app: a reader finds a company
 * by part of its name and opens its records; the data clerk uploads a messy GBK file and downloads
 * the report of its refused rows; a company objects to a penalty, the public page marks the record
 * until the reviewer decides, and the mark goes; a credit officer checks a listed company and sees
 * the measures that apply; a reader verifies a report and is refused with a wrong code; a reader
 * switches to English and stays there. Each journey seeds its own synthetic data and opens its own
 * browser contexts, one per person.
 */
import fs from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, type Actor } from '../src/modules/auth/index.ts';
import { demoSeriousListType, ListService } from '../src/modules/lists/index.ts';
import { addDays, todayInShanghai } from '../src/platform/calendar/index.ts';
import { createDataProtector } from '../src/platform/index.ts';
import { launchBrowser, NO_BROWSER, serveTestApp, type ServedApp } from './support/browser.ts';
import { codes, penaltyRecord, registrationRecord } from './support/records.ts';

if (NO_BROWSER !== undefined) {
  console.warn(`warning: ${NO_BROWSER}`);
}

/** The demo company account's own subject (GB 32100's example code). */
const OWN = { account: 'company.user', code: '91350100M000100Y43', name: '福州示例科技有限公司' };

let t: ServedApp;
let browser: Browser;
/** The contexts a journey opened, closed after it. */
const opened: BrowserContext[] = [];

/** A tab of its own (cookies, storage) for one person, in Chinese as the platform starts. */
async function tab(account?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  // A step that never happens fails with its own message, well before the test's time runs out.
  context.setDefaultTimeout(15_000);
  opened.push(context);
  const page = await context.newPage();
  if (account !== undefined) {
    // As the sign-in page's own request leaves it: the session cookie in the tab's context.
    const res = await page.request.post(`${t.origin}/api/auth/login`, {
      data: { username: account, password: DEMO_PASSWORD },
    });
    expect(res.status(), `sign-in of ${account}: ${await res.text()}`).toBe(200);
  }
  return page;
}

async function actor(username: string): Promise<Actor> {
  return (await t.container.auth.login({ username, password: DEMO_PASSWORD })).actor;
}

/** Records sent by the demo market regulator as its own system would; every one accepted. */
async function send(item: string, records: Array<Record<string, unknown>>): Promise<void> {
  const s = await t.container.ingest.ingestRecords(await actor('clerk.scjg'), {
    department: 'FZ-SCJG',
    item,
    records,
  });
  expect(s.accepted, `seeding ${item}: ${JSON.stringify(s)}`).toBe(records.length);
}

/** A CSV as a spreadsheet saves it on a Chinese Windows: GBK, CRLF, every value as typed. */
function gbkCsv(records: Array<Record<string, unknown>>): Buffer {
  const headers = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const lines = [
    headers.join(','),
    ...records.map((r) => headers.map((h) => String((r[h] as string | number | undefined) ?? '')).join(',')),
  ];
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');
}

// A journey has many steps, each allowed 15 s on a loaded machine: the journey is allowed a minute.
describe.skipIf(NO_BROWSER !== undefined)('journeys in the browser', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    t = await serveTestApp();
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a reader finds a company by two characters of its name and opens its records', async () => {
    const subject = { code: codes.uscc('91350100', 'E2E00001'), name: '闽侯青橄榄食品有限公司' };
    const penalty = '榕市监处〔2026〕E2E1号';
    await send('registration', [registrationRecord(subject.code, subject.name)]);
    await send('admin_penalty', [
      penaltyRecord({
        行政相对人名称: subject.name,
        统一社会信用代码: subject.code,
        行政处罚决定书文号: penalty,
        违法行为类型: '销售过期食品',
        处罚类别: '罚款',
        处罚内容: '罚款人民币一万元',
        失信程度: '一般',
        处罚决定日期: addDays(todayInShanghai(), -10),
      }),
    ]);

    const page = await tab();
    await page.goto(`${t.origin}/`);
    await page.getByRole('combobox', { name: '查询主体' }).fill('橄榄');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    const results = page.getByRole('region', { name: '查询结果' });
    await expect.poll(() => results.textContent(), { timeout: 15_000 }).toContain('查询结果：共 1 个主体');
    await results.getByRole('link', { name: subject.name }).click();

    await page.waitForURL(`${t.origin}/subjects/${subject.code}`);
    await expect.poll(() => page.locator('main h1').textContent(), { timeout: 15_000 }).toBe(subject.name);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main, 'the subject page shows its code').toContain(subject.code);
    expect(main, 'the subject page lists its penalties').toContain('行政处罚信息');
    expect(main, 'the penalty is shown with its decision number').toContain(penalty);
    expect(main, 'and what it was for').toContain('销售过期食品');
  });

  it('the data clerk uploads a messy GBK file, sees the refused rows and downloads their report', async () => {
    const code = codes.uscc('91350100', 'E2E00002');
    const name = '福州乱码测试贸易有限公司';
    const fullWidth = code.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const wrongCheck = code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');
    const file = gbkCsv([
      // Accepted: a plain row, and one whose code was typed full-width with a space before it.
      penaltyRecord({
        行政相对人名称: name,
        统一社会信用代码: code,
        行政处罚决定书文号: '榕市监处〔2026〕E2E21号',
      }),
      penaltyRecord({
        行政相对人名称: name,
        统一社会信用代码: ` ${fullWidth}`,
        行政处罚决定书文号: '榕市监处〔2026〕E2E22号',
      }),
      // Refused: a code whose check character is wrong, and a penalty without its decision number.
      penaltyRecord({
        行政相对人名称: name,
        统一社会信用代码: wrongCheck,
        行政处罚决定书文号: '榕市监处〔2026〕E2E23号',
      }),
      penaltyRecord({ 行政相对人名称: name, 统一社会信用代码: code, 行政处罚决定书文号: '' }),
    ]);
    expect(file.includes(Buffer.from('行政处罚决定书文号', 'utf8')), 'the file is not UTF-8').toBe(false);

    const page = await tab('clerk.scjg');
    await page.goto(`${t.origin}/console/batches/new`);
    await page.locator('form.upload-form[data-loaded]').waitFor();
    await page.getByLabel('信息类别（目录项）').selectOption('admin_penalty');
    await page
      .getByLabel(/^文件\s*\*?$/)
      .setInputFiles({ name: '行政处罚-导出.csv', mimeType: 'text/csv', buffer: file });
    await page.getByRole('radio', { name: 'GBK（简体中文 Windows）' }).check();
    await page.getByRole('button', { name: '上传并校验' }).click();
    const confirm = page.getByRole('dialog', { name: '确认上传' });
    expect(await confirm.textContent()).toContain('行政处罚-导出.csv');
    await confirm.getByRole('button', { name: '确认上传' }).click();

    const heading = page.getByRole('heading', { name: /^批次 #\d+ 的处理结果$/ });
    await heading.waitFor({ timeout: 15_000 });
    const result = page.getByRole('region', { name: (await heading.textContent()) ?? '' });
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('有 2 行被退回，请下载错误文件改正后重新报送');
    expect(text, 'the file name came through as sent').toContain('行政处罚-导出.csv');
    const counts = page.getByRole('list', { name: '本批次各类行数' });
    const count = async (label: string) =>
      (
        await counts.getByRole('listitem').filter({ hasText: label }).locator('.figure').textContent()
      )?.trim();
    expect(await count('总行数'), 'rows read').toBe('4');
    expect(await count('已入库'), 'rows accepted').toBe('2');
    expect(await count('被退回'), 'rows refused').toBe('2');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载错误文件（CSV）' }).click(),
    ]);
    const report = await fs.readFile(await download.path(), 'utf8');
    expect(download.suggestedFilename()).toMatch(/^batch-\d+-errors\.csv$/);
    expect(report, 'the report carries the refused row with the wrong check character').toContain(wrongCheck);
    expect(report, 'its values read from GBK as they were typed').toContain(name);
    expect(report, 'and says why').toMatch(/校验码为 \S，应为 \S（GB 32100，模 31）/);
    expect(report, 'the row without a decision number, and why').toContain('行政处罚决定书文号为必填项');
    expect(report, 'the accepted rows are not in it').not.toContain('榕市监处〔2026〕E2E21号');
  });

  it('a company objects to a penalty; the public page marks it until the reviewer rejects the objection', async () => {
    const penalty = '榕市监处〔2026〕E2E3号';
    await send('admin_penalty', [
      penaltyRecord({
        行政相对人名称: OWN.name,
        统一社会信用代码: OWN.code,
        行政处罚决定书文号: penalty,
        违法行为类型: '虚假宣传',
        处罚类别: '罚款',
        处罚内容: '罚款人民币五千元',
        失信程度: '一般',
        处罚决定日期: addDays(todayInShanghai(), -20),
      }),
    ]);
    const publicRecord = async (page: Page) => {
      await page.goto(`${t.origin}/subjects/${OWN.code}`);
      const record = page.locator('main .record').filter({ hasText: penalty });
      await record.waitFor({ timeout: 15_000 });
      return ((await record.textContent()) ?? '').replace(/\s+/g, ' ');
    };

    // The company signs in on the sign-in page and objects from its own file.
    const company = await tab();
    await company.goto(`${t.origin}/sign-in`);
    await company.getByLabel('用户名').fill(OWN.account);
    await company.getByLabel('密码').fill(DEMO_PASSWORD);
    await company.getByRole('button', { name: '登录', exact: true }).click();
    await company.waitForURL(`${t.origin}/me`);
    const own = company.getByRole('article').filter({ hasText: penalty });
    await own.getByRole('link', { name: /^提出异议/ }).click();
    await company.waitForURL(/\/me\/objections\/new\?record=\d+$/);
    await company.getByLabel('异议理由').fill('该处罚决定已被复议机关撤销，不应公示（测试）');
    await company.getByRole('button', { name: '提交异议' }).click();
    await company.waitForURL(/\/me\/objections\/\d+\?filed=1$/);
    const objection = /\/me\/objections\/(\d+)/.exec(company.url())?.[1];
    await expect
      .poll(() => company.locator('main').textContent(), { timeout: 15_000 })
      .toContain('异议申请已提交');

    // Anyone sees the record marked while the objection is open.
    const reader = await tab();
    expect(await publicRecord(reader), 'the public record while the objection is open').toContain(
      '异议处理中',
    );

    // The reviewer rejects it, with reasons, and confirms.
    const reviewer = await tab('reviewer.scjg');
    await reviewer.goto(`${t.origin}/console/objections/${objection}`);
    await reviewer.locator('main .review section.panel').waitFor();
    expect(await reviewer.locator('main').textContent()).toContain('该处罚决定已被复议机关撤销');
    await reviewer.getByRole('radio', { name: /异议不成立/ }).check();
    await reviewer.getByLabel('决定理由').fill('经核查，复议机关维持原处罚决定，异议不成立（测试）');
    await reviewer.getByRole('button', { name: '提交决定' }).click();
    const dialog = reviewer.getByRole('dialog');
    expect(await dialog.textContent()).toContain('确认异议不成立');
    await dialog.getByRole('button', { name: '确认作出决定' }).click();
    await reviewer.getByText('决定已作出，申请人将收到通知。').waitFor();
    expect(await reviewer.locator('#objection-state + dl').textContent()).toContain('异议不成立');

    // The company reads the decision on its objection.
    await company.reload();
    await expect
      .poll(() => company.locator('main').textContent(), {
        message: 'the company sees the outcome',
        timeout: 15_000,
      })
      .toContain('异议不成立');
    expect(await company.locator('main').textContent(), 'and the reasons').toContain(
      '复议机关维持原处罚决定',
    );

    // The mark is gone; the record stays public as it was. A reader who opens the page now: the
    // portal's public answers may be kept by a browser for 60 s (Cache-Control: public,
    // max-age=60, README "Headers"), so the tab that saw the mark may show it for up to a minute.
    const after = await publicRecord(await tab());
    expect(after, 'the public record after the objection was rejected').not.toContain('异议处理中');
    expect(after).toContain('虚假宣传');
  });

  it('a credit officer checks a listed company and sees its list entry and the measures that apply', async () => {
    const listed = { code: codes.uscc('91350102', 'E2E00004'), name: '福州名单核查示例贸易有限公司' };
    const decision = '榕市监信决〔2026〕E2E4号';
    await send('registration', [registrationRecord(listed.code, listed.name)]);
    // Due process on a clock dated back: notified three weeks ago, the objection window passed.
    const today = todayInShanghai();
    let clock: string = t.container.calendar.current().addWorkingDays(today, -15).value;
    const lists = new ListService(
      t.container.database.db,
      t.container.audit,
      t.container.catalog,
      createDataProtector(t.container.config.dataKeyFile),
      () => t.container.calendar.current(),
      {
        today: () => clock,
        measuresOf: async (listType) =>
          (await t.container.measures.attached([listType])).map((m) => m.measure),
      },
    );
    const reviewer = await actor('reviewer.scjg');
    const proposed = await lists.propose(reviewer, {
      listType: demoSeriousListType().code,
      subjectCode: listed.code,
      facts: {
        reasons: '串通投标，情节严重（测试）',
        basis: '《市场监督管理严重违法失信名单管理办法》第九条',
        actDate: addDays(today, -40),
        category: 'fair_competition',
      },
    });
    await lists.step(reviewer, proposed.case.id, {
      step: 'notify',
      documentNumber: '榕市监信告〔2026〕E2E4号',
    });
    clock = today;
    await lists.step(reviewer, proposed.case.id, { step: 'decide', documentNumber: decision });

    const page = await tab('officer.zj');
    await page.goto(`${t.origin}/console/checks`);
    await page.getByLabel('统一社会信用代码或身份证号码').fill(listed.code);
    await page.getByLabel('核查用途').fill('某道路工程施工招标投标资格审查（测试）');
    await page.getByRole('button', { name: '核查', exact: true }).click();
    const title = page.getByRole('heading', { name: `核查结果：${listed.name}` });
    await title.waitFor({ timeout: 15_000 });

    const result = page.locator('.check-result');
    const text = ((await result.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text, 'the purpose is recorded with the check').toContain(
      '某道路工程施工招标投标资格审查（测试）',
    );
    expect(text).toContain('失信名单（1）');
    expect(text, 'the list entry with its decision').toContain(decision);
    const measures = /适用的惩戒措施（(\d+)）/.exec(text);
    expect(measures?.[0], 'the measures heading').toBeDefined();
    expect(Number(measures?.[1]), 'measures that apply to a listed company in a bid').toBeGreaterThan(0);
    expect(await result.getByRole('article').count(), 'one card per measure').toBe(Number(measures?.[1]));
    expect(text, 'the verdict').toMatch(/有 \d+ 项(依法必须|可以)实施的惩戒措施/);
    expect(
      await result.getByRole('article').first().textContent(),
      'each measure says its legal basis and the entry it rests on',
    ).toContain(decision);
  });

  it('a reader verifies a report by its number and code, and a wrong code is refused', async () => {
    const subject = { code: codes.uscc('91350100', 'E2E00005'), name: '福州报告核验示例有限公司' };
    await send('registration', [registrationRecord(subject.code, subject.name)]);
    const issued = await t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { code: subject.code },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const { number, code } = issued.json<{ number: string; code: string }>();
    const wrong = code.slice(0, -1) + (code.endsWith('2') ? '3' : '2');
    const refused = await t.app.inject({
      method: 'GET',
      url: `/api/public/reports/verify?number=${encodeURIComponent(number)}&code=${encodeURIComponent(wrong)}`,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(refused.statusCode, refused.body).toBe(404);
    const apiMessage = refused.json<{ message: string }>().message;
    expect(apiMessage).toBe('没有编号与验证码相符的报告');

    // The page a report's QR code opens: the server's own, a form.
    const page = await tab();
    await page.goto(`${t.origin}/verify`);
    await page.getByLabel('报告编号').fill(number);
    await page.getByLabel('验证码').fill(code);
    await page.getByRole('button', { name: '核验' }).click();
    await page.locator('dd.ok').waitFor();
    expect(await page.locator('dd.ok').textContent()).toBe('报告真实有效：由本平台签发，内容未被改动');
    expect(await page.locator('body').textContent()).toContain(number);
    await page.getByLabel('验证码').fill(wrong);
    await page.getByRole('button', { name: '核验' }).click();
    expect(await page.getByRole('alert').textContent()).toBe(apiMessage);
    expect(await page.locator('dd.ok').count(), 'nothing confirmed for a wrong code').toBe(0);

    // The application's page, reached from its header.
    await page.goto(`${t.origin}/`);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '报告核验' }).click();
    await page.waitForURL(`${t.origin}/verify`);
    const form = page.locator('form.verify');
    await form.getByLabel('报告编号').fill(number);
    await form.getByLabel('验证码').fill(code);
    await form.getByRole('button', { name: '核验' }).click();
    const confirmed = page.locator('main section[aria-live]');
    await confirmed.waitFor({ timeout: 15_000 });
    const shown = (await confirmed.textContent()) ?? '';
    expect(shown).toContain('报告真实有效：由本平台签发，内容未被改动');
    expect(shown).toContain(number);
    await form.getByLabel('验证码').fill(wrong);
    await form.getByRole('button', { name: '核验' }).click();
    await page.getByRole('alert').filter({ hasText: apiMessage }).waitFor({ timeout: 15_000 });
    expect(await confirmed.count(), 'nothing confirmed for a wrong code').toBe(0);
  });

  it('a reader switches to English with the header button, and English stays after a reload', async () => {
    const page = await tab();
    await page.goto(`${t.origin}/rights`);
    const heading = page.locator('main h1');
    await heading.waitFor();
    const chinese = (await heading.textContent())?.trim();
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
    expect(await page.title()).toBe('信用信息公示平台');

    await page.getByRole('button', { name: 'English' }).click();
    const english = async () => ({
      lang: await page.evaluate<string>('document.documentElement.lang'),
      title: await page.title(),
      nav: (await page.getByRole('navigation', { name: 'Main navigation' }).textContent()) ?? '',
      heading: (await heading.textContent())?.trim(),
      button: (await page.locator('header button.lang').textContent())?.trim(),
    });
    const expected = {
      lang: 'en',
      title: 'Credit Information Portal',
      nav: expect.stringContaining('Objections and repair') as unknown,
      heading: expect.not.stringMatching(/[\u4e00-\u9fff]/) as unknown,
      button: '中文',
    };
    await expect.poll(english, { timeout: 15_000 }).toEqual(expected);
    expect((await english()).heading).not.toBe(chinese);

    await page.reload();
    await heading.waitFor();
    expect(await english(), 'after a reload').toEqual(expected);
  });
});
