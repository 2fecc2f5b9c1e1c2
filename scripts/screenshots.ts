/**
 * Screenshots of the main pages for the README (docs/screenshots/), desktop (1280 px) and phone
 * (375 px), taken in Debian's Chromium through playwright-core from a running platform with the demo
 * data: `npm start` in one terminal, then `npm run screenshots [-- --url http://127.0.0.1:3000]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../src/modules/auth/index.ts';
import { launchBrowser } from '../test/support/browser.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, '..', 'docs', 'screenshots') },
  },
});
const origin = values.url.replace(/\/$/, '');

interface Shot {
  name: string;
  path: string;
  /** A selector that shows the page has its data. */
  ready: string;
  account?: string;
  /** What to do on the page before the picture. */
  act?: (page: Page) => Promise<void>;
  /** English rather than Chinese. */
  english?: boolean;
}

const SHOTS: Shot[] = [
  { name: 'home', path: '/', ready: 'main .figures p.small' },
  {
    name: 'search',
    path: '/',
    ready: 'main .figures p.small',
    act: async (page) => {
      await page.locator('#q').fill('示例');
      await page.locator('[role=option]').first().waitFor();
    },
  },
  { name: 'subject-listed', path: '/subjects/91350102MA8DEM018J', ready: 'main .listed' },
  { name: 'subject-en', path: '/subjects/91350100M000100Y43', ready: 'main h1', english: true },
  { name: 'catalog', path: '/catalog', ready: 'main article.record h3 a' },
  { name: 'rights', path: '/rights', ready: 'main table.about-table tbody tr' },
  { name: 'conduct-report', path: '/conduct-reports/new', ready: 'form.conduct-form' },
  { name: 'own-file', path: '/me', ready: 'main article.record h4', account: 'company.user' },
  { name: 'console-clerk', path: '/console/batches', ready: 'main table.plain', account: 'clerk.scjg' },
  {
    name: 'console-objections',
    path: '/console/objections',
    ready: 'main h1#console-title ~ .review :is(table.queue, p.empty)',
    account: 'reviewer.scjg',
  },
  {
    name: 'console-check',
    path: '/console/checks',
    ready: '#check-code',
    account: 'officer.zj',
    // The showcase's listed company, checked for a bidding matter (the default matter).
    act: async (page) => {
      await page.locator('#check-code').fill('91350102MA8DEM018J');
      await page.locator('main form textarea').first().fill('福州某工程施工招标投标资格审查（演示）');
      await page.locator('main form button[type=submit]').click();
      await page.locator('main article.card').first().waitFor();
      await page.locator('main article.card').first().scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'console-dashboards',
    path: '/console/dashboards',
    ready: 'figure.echart svg',
    account: 'admin',
  },
  { name: 'console-audit', path: '/console/audit', ready: 'main table.plain', account: 'auditor' },
];

const VIEWPORTS = [
  { suffix: 'desktop', width: 1280, height: 900, phone: false },
  { suffix: 'phone', width: 375, height: 812, phone: true },
] as const;

fs.mkdirSync(values.out, { recursive: true });
const browser = await launchBrowser();
try {
  for (const viewport of VIEWPORTS) {
    for (const shot of SHOTS) {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        isMobile: viewport.phone,
        hasTouch: viewport.phone,
        locale: shot.english === true ? 'en' : 'zh-CN',
      });
      if (shot.english === true) {
        await context.addInitScript("localStorage.setItem('xinyong.locale', 'en')");
      }
      const page = await context.newPage();
      if (shot.account !== undefined) {
        const res = await page.request.post(`${origin}/api/auth/login`, {
          data: { username: shot.account, password: DEMO_PASSWORD },
        });
        if (!res.ok()) {
          throw new Error(`signing in as ${shot.account}: ${res.status()} ${await res.text()}`);
        }
      }
      await page.goto(`${origin}${shot.path}`);
      await page.locator(shot.ready).first().waitFor({ timeout: 15_000 });
      await shot.act?.(page);
      await page.evaluate('document.fonts.ready');
      const file = path.join(values.out, `${shot.name}-${viewport.suffix}.png`);
      await page.screenshot({ path: file, fullPage: false });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
