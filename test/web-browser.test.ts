/**
 * The portal in a browser (Debian's Chromium through playwright-core, test/support/browser.ts):
 * every page of test/support/portal-pages.ts at a desktop width and at a phone's 375 px, in Chinese
 * and in English, has no serious or critical axe-core violation, says its language in `<html lang>`,
 * and never scrolls sideways on the phone. By keyboard alone one skips to the main content, searches
 * for a subject and opens its page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/modules/auth/index.ts';
import { addDays, todayInShanghai } from '../src/platform/calendar/index.ts';
import {
  expectAccessible,
  launchBrowser,
  NO_BROWSER,
  openPage,
  serveTestApp,
  type ServedApp,
} from './support/browser.ts';
import { portalPages, type PortalData } from './support/portal-pages.ts';
import { codes, penaltyRecord, registrationRecord } from './support/records.ts';

if (NO_BROWSER !== undefined) {
  console.warn(`warning: ${NO_BROWSER}`);
}

const SUBJECT = { code: codes.uscc('91350100', 'WB000017'), name: '闽江晨曦茶业有限公司' };
const UNKNOWN = codes.uscc('91350100', 'WB999999');
/** The demo company account's own subject. */
const OWN = { account: 'company.user', code: '91350100M000100Y43', name: '福州示例科技有限公司' };
/** Two characters of its name that no other subject of the test database has. */
const FRAGMENT = '晨曦';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900, phone: false },
  { name: 'phone', width: 375, height: 812, phone: true },
] as const;
const LANGUAGES = [
  { name: 'Chinese', lang: 'zh-CN', skip: '跳到主要内容' },
  { name: 'English', lang: 'en', skip: 'Skip to main content' },
] as const;

let t: ServedApp;
let browser: Browser;
let data: PortalData;
/** One context and one page per viewport and language, reused from page to page. */
const tabs = new Map<string, Page>();

async function tab(
  viewport: (typeof VIEWPORTS)[number],
  language: (typeof LANGUAGES)[number],
): Promise<Page> {
  const key = `${viewport.name} ${language.lang}`;
  let page = tabs.get(key);
  if (page === undefined) {
    const context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      isMobile: viewport.phone,
      hasTouch: viewport.phone,
      // What the server's own pages answer in; the application follows its saved choice.
      locale: language.lang,
    });
    if (language.lang === 'en') {
      await context.addInitScript("localStorage.setItem('xinyong.locale', 'en')");
    }
    page = await context.newPage();
    tabs.set(key, page);
  }
  return page;
}

/** Presses Tab until `selector` has the focus; what had it on the way, for the message if it never does. */
async function tabTo(page: Page, selector: string, most = 15): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < most; i += 1) {
    await page.keyboard.press('Tab');
    if ((await page.locator(selector).and(page.locator(':focus')).count()) > 0) {
      return seen;
    }
    seen.push(
      await page.evaluate<string>(
        "(({ tagName, id, textContent }) => `${tagName.toLowerCase()}${id ? '#' + id : ''} ${(textContent ?? '').trim().slice(0, 20)}`)(document.activeElement)",
      ),
    );
  }
  throw new Error(`${most} presses of Tab never reached ${selector}; focus went to: ${seen.join(' | ')}`);
}

describe.skipIf(NO_BROWSER !== undefined)('the portal in a browser', () => {
  beforeAll(async () => {
    t = await serveTestApp();
    browser = await launchBrowser();
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
    const send = async (item: string, records: Array<Record<string, unknown>>) => {
      const s = await t.container.ingest.ingestRecords(clerk, { department: 'FZ-SCJG', item, records });
      expect(s.rejected, JSON.stringify(s)).toBe(0);
    };
    await send('registration', [registrationRecord(SUBJECT.code, SUBJECT.name)]);
    await send('admin_penalty', [
      penaltyRecord({
        行政相对人名称: SUBJECT.name,
        统一社会信用代码: SUBJECT.code,
        行政处罚决定书文号: '榕市监处〔2025〕917号',
        处罚决定日期: addDays(todayInShanghai(), -20),
        失信程度: '一般',
      }),
    ]);
    const issued = await t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { code: SUBJECT.code },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const { number, code } = issued.json<{ number: string; code: string }>();
    // The demo company's account, with a penalty of its own.
    await send('admin_penalty', [
      penaltyRecord({
        行政相对人名称: OWN.name,
        统一社会信用代码: OWN.code,
        行政处罚决定书文号: '榕市监处〔2025〕918号',
        处罚决定日期: addDays(todayInShanghai(), -200),
        失信程度: '一般',
      }),
    ]);
    const own = await t.container.database.db
      .selectFrom('record')
      .innerJoin('subject_code', 'subject_code.subject_id', 'record.subject_id')
      .select('record.id')
      .where('subject_code.value', '=', OWN.code)
      .where('record.is_current', '=', true)
      .executeTakeFirstOrThrow();
    data = {
      subject: SUBJECT,
      unknownCode: UNKNOWN,
      report: { number, code },
      own: { account: OWN.account, recordId: Number(own.id) },
    };
  });

  afterAll(async () => {
    // Whatever the set-up got to open, should it have failed on the way.
    await browser?.close();
    await t?.close();
  });

  // The pages' names, for the tests' names; their addresses once the data exists.
  const names = portalPages({
    subject: SUBJECT,
    unknownCode: UNKNOWN,
    report: { number: '', code: '' },
    own: { account: OWN.account, recordId: 0 },
  }).map((p) => p.name);

  for (const viewport of VIEWPORTS) {
    for (const language of LANGUAGES) {
      describe(`${viewport.name} (${viewport.width}×${viewport.height}), ${language.name}`, () => {
        it.each(names)('%s', async (name) => {
          const portalPage = portalPages(data).find((p) => p.name === name);
          if (portalPage === undefined) {
            throw new Error(`no portal page named ${name}`);
          }
          const page = await tab(viewport, language);
          await openPage(page, t.origin, portalPage);
          await expectAccessible(page, `${portalPage.path} at ${viewport.width} px in ${language.name}`, {
            lang: language.lang,
            phoneWidth: viewport.phone ? viewport.width : undefined,
          });
        });
      });
    }
  }

  /** From the top of the home page by keyboard: the skip link first, on screen, then the search box. */
  async function toSearchBox(page: Page, viewport: (typeof VIEWPORTS)[number]): Promise<void> {
    await page.goto(`${t.origin}/`);
    await page.locator('main input#q').waitFor();
    await page.keyboard.press('Tab');
    const skip = page.locator(':focus');
    expect(await skip.textContent(), 'the first Tab reaches the skip link').toBe(LANGUAGES[0].skip);
    // Seen when it has the focus, not only heard.
    const box = await skip.boundingBox();
    expect(
      box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width,
      'the skip link is on screen when it has the focus',
    ).toBe(true);
    await page.keyboard.press('Enter');
    // The skip link takes the focus past the header: the next Tab is in the content, on the search box.
    await tabTo(page, 'main input#q', 1);
  }

  it.each(VIEWPORTS)(
    'by keyboard at $width px: skip to the content, search, Tab to the subject and open it',
    async (viewport) => {
      const page = await tab(viewport, LANGUAGES[0]);
      await toSearchBox(page, viewport);
      await page.keyboard.type(FRAGMENT);
      await page.keyboard.press('Enter');
      const link = `main .hits a[href="/subjects/${SUBJECT.code}"]`;
      expect(await page.locator(link).textContent()).toBe(SUBJECT.name);
      await tabTo(page, link);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${t.origin}/subjects/${SUBJECT.code}`);
      await page.locator(`main h1:has-text("${SUBJECT.name}")`).waitFor();
    },
  );

  it.each(VIEWPORTS)(
    'by keyboard at $width px: a suggestion as one types, chosen with the arrow key, opens by Enter',
    async (viewport) => {
      const page = await tab(viewport, LANGUAGES[0]);
      await toSearchBox(page, viewport);
      await page.keyboard.type(FRAGMENT);
      const option = page.locator('#q-suggestions [role="option"]', { hasText: SUBJECT.name });
      await option.waitFor();
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('main input#q').getAttribute('aria-activedescendant')).toBe(
        await option.getAttribute('id'),
      );
      await page.keyboard.press('Enter');
      await page.waitForURL(`${t.origin}/subjects/${SUBJECT.code}`);
      await page.locator(`main h1:has-text("${SUBJECT.name}")`).waitFor();
    },
  );
});
