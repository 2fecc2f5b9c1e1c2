/// <reference types="vite/client" />
/**
 * The console's pages for the browser test (test/web-console.test.ts), one file per area of the
 * console in this folder, each exporting `area: ConsoleArea`: the data its pages need, put in
 * through the platform's own services, and its pages, each with the demo account that opens it.
 */
import type { AppPage, ServedApp } from '../browser.ts';

export interface ConsoleArea {
  name: string;
  /** Puts what the pages show into the test's database; returns what their addresses need. */
  seed?: (t: ServedApp) => Promise<Record<string, string>>;
  /** The pages, given what `seed` returned (an empty object to learn their names). */
  pages: (seeded: Record<string, string>) => Array<AppPage & { account: string }>;
}

const files = import.meta.glob<ConsoleArea>('./*.ts', { eager: true, import: 'area' });

/** Every area's pages, by the file that declares them (this index has none). */
export const CONSOLE_AREAS: ConsoleArea[] = Object.entries(files)
  .filter(([file]) => file !== './index.ts')
  .map(([, area]) => area);
