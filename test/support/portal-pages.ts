/**
 * The public portal's pages that the browser tests (test/web-browser.test.ts) load at a desktop and
 * a phone width, in Chinese and in English, and check with axe-core. Adding a page is one line:
 * its name, its address, and `ready`, a Playwright selector that matches only once the page has
 * its data, so axe looks at the page as a reader sees it.
 */

import type { AppPage } from './browser.ts';

export type PortalPage = AppPage;

/** What the test puts in the database for the pages to show. */
export interface PortalData {
  /** A company with public records (a registration and a penalty). */
  subject: { code: string; name: string };
  /** A valid unified code that no subject has. */
  unknownCode: string;
  /** A public credit report issued for the subject. */
  report: { number: string; code: string };
  /** The account of a company (a subject user) and one of its records. */
  own: { account: string; recordId: number };
}

export function portalPages(data: PortalData): PortalPage[] {
  const { subject, report } = data;
  const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
  return [
    // The home page's figures (.small: the date they are counted at) come from /api/public/stats.
    { name: 'home', path: '/', ready: 'main .figures p.small' },
    {
      name: 'home, searched',
      path: `/${query({ q: subject.name })}`,
      ready: 'main:has(.hits a):has(.figures p.small)',
    },
    { name: 'subject', path: `/subjects/${subject.code}`, ready: `main h1:has-text("${subject.name}")` },
    { name: 'subject, unknown', path: `/subjects/${data.unknownCode}`, ready: 'main .el-alert' },
    // Its evaluation level (GET /api/public/evaluations/{code}), linked to the model's description.
    {
      name: 'subject, its level',
      path: `/subjects/${subject.code}`,
      ready: 'main .level-mark a[href="/evaluation"]',
    },
    // /verify is the server's page on a load (what a report's QR code opens), the application's in it.
    { name: 'verify (server)', path: '/verify', ready: 'form input#number' },
    { name: 'verify (server), a report', path: `/verify${query(report)}`, ready: 'dd.ok' },
    {
      name: 'verify',
      path: '/verify',
      ready: 'form.verify input#number',
      follow: 'header a[href="/verify"]',
    },
    { name: 'catalog', path: '/catalog', ready: 'main article.record h3 a' },
    { name: 'catalog item', path: '/catalog/admin_penalty', ready: 'main table.about-table' },
    {
      name: 'catalog item, a list',
      path: '/catalog/serious_dishonesty_list',
      ready: 'main table.about-table',
    },
    { name: 'lists', path: '/lists', ready: 'main article.record h3' },
    { name: 'measures', path: '/measures', ready: 'main article.record h4' },
    { name: 'rights', path: '/rights', ready: 'main table.about-table tbody tr' },
    // The evaluation model in force, as the public reads it.
    { name: 'evaluation', path: '/evaluation', ready: 'main ul.ev-levels li' },
    {
      name: 'evaluation, from the header',
      path: '/evaluation',
      ready: 'main table.about-table tbody tr',
      follow: 'header a[href="/evaluation"]',
    },
    // Seeds announced and draws (双随机、一公开); a draw with its sample is in console-pages/inspections.ts.
    { name: 'inspections', path: '/inspections', ready: 'main h2#inspections-seeds' },
    { name: 'inspection draw, unknown', path: '/inspections/999999', ready: 'main .el-alert' },
    {
      name: 'conduct report',
      path: '/conduct-reports/new',
      ready: 'form.conduct-form input#conduct-subject-name',
    },
    {
      name: 'conduct report, follow',
      path: '/conduct-reports/follow',
      ready: 'form.follow-form input#conduct-receipt',
    },
    { name: 'sign in', path: '/sign-in', ready: 'main form input[autocomplete="username"]' },
    { name: 'not found', path: '/no/such/page', ready: 'main h1 + p a[href="/"]' },
    // A company's own pages, signed in (listed last: the tab stays signed in).
    { name: 'own file', path: '/me', ready: 'main article.record h4', account: data.own.account },
    { name: 'own cases', path: '/me/cases', ready: 'main h2#cases-repairs-title', account: data.own.account },
    {
      name: 'own evaluation',
      path: '/me/evaluation',
      ready: 'main .ev-indicator table',
      account: data.own.account,
    },
    {
      name: 'objection, new',
      path: `/me/objections/new${query({ record: String(data.own.recordId) })}`,
      ready: 'main form textarea',
      account: data.own.account,
    },
    {
      name: 'repair, new',
      path: `/me/repairs/new${query({ record: String(data.own.recordId) })}`,
      ready: 'main h1',
      account: data.own.account,
    },
  ];
}
