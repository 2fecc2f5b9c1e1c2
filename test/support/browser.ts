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
