/** The auditor's console page: the audit chain, filtered and paged, and its verification. */
import type { RouteRecordRaw } from 'vue-router';
import { roleOnly } from '../console/guard';

export const routes: RouteRecordRaw[] = [
  {
    path: '/console/audit',
    name: 'audit-log',
    meta: { signIn: true },
    beforeEnter: roleOnly('auditor'),
    component: () => import('./AuditPage.vue'),
  },
];
