/**
 * The console in a browser (Debian's Chromium through playwright-core): every page that an area of
 * the console declares in test/support/console-pages/, signed in as its demo account, at a desktop
 * width in Chinese and in English and at a phone's 375 px in Chinese, has no serious or critical
 * axe-core violation, says its language, and never scrolls sideways on the phone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  expectAccessible,
  launchBrowser,
  NO_BROWSER,
  openPage,
  serveTestApp,
  type ServedApp,
} from './support/browser.ts';
import { CONSOLE_AREAS } from './support/console-pages/index.ts';

const VIEWS = [
  { name: 'desktop, Chinese', width: 1280, height: 900, phone: false, lang: 'zh-CN' },
  { name: 'desktop, English', width: 1280, height: 900, phone: false, lang: 'en' },
  { name: 'phone, Chinese', width: 375, height: 812, phone: true, lang: 'zh-CN' },
] as const;

let t: ServedApp;
let browser: Browser;
const seeded = new Map<string, Record<string, string>>();
/** One tab per view and account (a tab stays signed in as its account). */
const tabs = new Map<string, Page>();

async function tab(view: (typeof VIEWS)[number], account: string): Promise<Page> {
  const key = `${view.name} ${account}`;
  let page = tabs.get(key);
  if (page === undefined) {
    const context = await browser.newContext({
      viewport: { width: view.width, height: view.height },
      isMobile: view.phone,
      hasTouch: view.phone,
      locale: view.lang,
    });
    if (view.lang === 'en') {
      await context.addInitScript("localStorage.setItem('xinyong.locale', 'en')");
    }
    page = await context.newPage();
    tabs.set(key, page);
  }
  return page;
}

describe.skipIf(NO_BROWSER !== undefined)('the console in a browser', () => {
  beforeAll(async () => {
    t = await serveTestApp();
    browser = await launchBrowser();
    for (const area of CONSOLE_AREAS) {
      seeded.set(area.name, (await area.seed?.(t)) ?? {});
    }
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const area of CONSOLE_AREAS) {
    for (const view of VIEWS) {
      describe(`${area.name}: ${view.name}`, () => {
        it.each(area.pages({}).map((p) => p.name))('%s', async (name) => {
          const target = area.pages(seeded.get(area.name) ?? {}).find((p) => p.name === name);
          if (target === undefined) {
            throw new Error(`no console page named ${name}`);
          }
          const page = await tab(view, target.account);
          await openPage(page, t.origin, target);
          await expectAccessible(page, `${target.path} as ${target.account}, ${view.name}`, {
            lang: view.lang,
            phoneWidth: view.phone ? view.width : undefined,
          });
        });
      });
    }
  }
});
