/** The console's first page, for each role that has one. */
import type { ConsoleArea } from './index.ts';

export const area: ConsoleArea = {
  name: 'home',
  pages: () =>
    ['admin', 'clerk.scjg', 'reviewer.scjg', 'officer.zj', 'auditor'].map((account) => ({
      name: `console home (${account})`,
      path: '/console',
      ready: 'main h1#console-title',
      account,
    })),
};
