/** The account page (password, second factor) of each staff role. */
import type { ConsoleArea } from './index.ts';

export const area: ConsoleArea = {
  name: 'account',
  pages: () =>
    ['admin', 'clerk.scjg', 'reviewer.scjg', 'officer.zj', 'auditor', 'desk'].map((account) => ({
      name: `account (${account})`,
      path: '/console/account',
      ready: '#account-current-password',
      account,
    })),
};
