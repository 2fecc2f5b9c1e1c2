/** The auditor's page: the audit chain's verification and its events. */
import type { ConsoleArea } from './index.ts';

export const area: ConsoleArea = {
  name: 'auditor',
  pages: () => [
    {
      name: 'audit log',
      path: '/console/audit',
      ready: '.cpage table.plain',
      account: 'auditor',
    },
  ],
};
