/**
 * The web application in a real browser: Debian's Chromium (`apt-get install chromium`, never a
 * browser downloaded by Playwright) driven by playwright-core, a test app listening on a free port
 * of 127.0.0.1 so the browser loads the built web/dist from it, and axe-core run in the page. Where
 * /usr/bin/chromium is missing the browser tests are skipped with `NO_BROWSER` as the reason; .ci/run
 * installs it, so CI never skips them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/auth/index.ts';
import { createTestApp, type TestApp } from './app.ts';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export const NO_BROWSER: string | undefined = fs.existsSync(CHROMIUM)
  ? undefined
  : `browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk; .ci/run does)`;

/** Debian's Chromium, headless, with nothing that reaches out to the network on its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ServedApp extends TestApp {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
}

/** A test app (`createTestApp`) listening on 127.0.0.1 on a port the system picks. */
export async function serveTestApp(options: Parameters<typeof createTestApp>[0] = {}): Promise<ServedApp> {
  const t = await createTestApp(options);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return { ...t, origin: `http://127.0.0.1:${port}` };
}

/** What axe says of one rule that the page breaks. */
export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

let axeSource: string | undefined;

/**
 * Runs axe-core on the page as it is and returns the serious and critical violations. The platform's
 * content security policy (script-src 'self') refuses a script tag with axe's source in it, so the
 * source is evaluated through the DevTools protocol, which the policy does not govern; the page
 * keeps its policy, so a page that only works with it relaxed is still caught.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(
    path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'),
    'utf8',
  );
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate<AxeViolation[]>(`
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) => r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      })))
  `);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Violations as a reader of a failed test needs them: rule, impact, help, and where. */
export function formatViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => {
        const summary = (n.failureSummary ?? '').replace(/\s+/g, ' ').trim();
        return `    ${n.target.map((t) => JSON.stringify(t)).join(' ')}${summary === '' ? '' : `: ${summary}`}`;
      });
      return [`  ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`, ...nodes].join('\n');
    })
    .join('\n');
}

/** A page of the application to open: where, when it is ready, and as whom. */
export interface AppPage {
  name: string;
  /** Its address, as a reader types it or a link from elsewhere (a report's QR code) opens it. */
  path: string;
  /** A Playwright selector that matches once the page shows its data. */
  ready: string;
  /** A page reached only inside the application: open `/` and follow the link this selector names. */
  follow?: string;
  /** The demo account the tab signs in as first (password DEMO_PASSWORD); the tab stays signed in. */
  account?: string;
}

/** The account each tab is signed in as. */
const signedInAs = new WeakMap<Page, string>();

/** Opens the page (signed in as its account) and waits for its data, its fonts and its transitions. */
export async function openPage(page: Page, origin: string, target: AppPage): Promise<void> {
  if (target.account !== undefined && signedInAs.get(page) !== target.account) {
    // The session cookie lands in the tab's context, as the sign-in page's own request leaves it.
    const res = await page.request.post(`${origin}/api/auth/login`, {
      data: { username: target.account, password: DEMO_PASSWORD },
    });
    expect(res.status(), await res.text()).toBe(200);
    signedInAs.set(page, target.account);
  }
  if (target.follow === undefined) {
    await page.goto(`${origin}${target.path}`);
  } else {
    await page.goto(`${origin}/`);
    await page.locator(target.follow).click();
    await page.waitForURL(`${origin}${target.path}`);
  }
  await page
    .locator(target.ready)
    .first()
    .waitFor({ timeout: 10_000 })
    .catch((err: unknown) => {
      throw new Error(`${target.name}: ${target.ready} never appeared at ${page.url()}`, { cause: err });
    });
  // An animation cancelled on the way (a transition replaced by another) has settled too.
  await page.evaluate(
    'document.fonts.ready.then(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))))',
  );
}

/**
 * The page as it is now has no serious or critical axe violation, says its language, and on a
 * phone (`phoneWidth`) never scrolls sideways.
 */
export async function expectAccessible(
  page: Page,
  where: string,
  options: { lang: string; phoneWidth?: number },
): Promise<void> {
  const violations = await axe(page);
  expect(
    violations.map((v) => v.id),
    `serious or critical axe violations on ${where}:\n${formatViolations(violations)}\n`,
  ).toEqual([]);
  expect(await page.evaluate<string>('document.documentElement.lang'), `<html lang> on ${where}`).toBe(
    options.lang,
  );
  if (options.phoneWidth !== undefined) {
    // Against the screen's width: a phone's innerWidth grows to what the page is wide.
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(scrollWidth, `${where} scrolls sideways`).toBeLessThanOrEqual(options.phoneWidth);
  }
}
