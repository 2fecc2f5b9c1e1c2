/**
 * The evaluation in the console: a market entity's evaluation with its explanation, looked up by
 * code (reviewers, credit officers, auditors and the administrator), and the models and their
 * recomputations (the administrator).
 */
import type { RouteRecordRaw } from 'vue-router';
import { roleOnly } from '../console/guard';

export const routes: RouteRecordRaw[] = [
  {
    path: '/console/evaluations',
    name: 'console-evaluations',
    meta: { signIn: true },
    beforeEnter: roleOnly('reviewer', 'credit_officer', 'auditor', 'platform_admin'),
    component: () => import('./EvaluationsPage.vue'),
  },
  {
    path: '/console/evaluation-models',
    name: 'console-evaluation-models',
    meta: { signIn: true },
    beforeEnter: roleOnly('platform_admin'),
    component: () => import('./ModelsPage.vue'),
  },
];
