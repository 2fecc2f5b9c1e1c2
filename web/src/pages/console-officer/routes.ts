/**
 * The credit officer's console pages: a credit check in an administrative matter with the feedback
 * on each measure, a batch check with the ambiguous names waiting for a code, and how often each
 * measure was returned and applied.
 */
import type { RouteRecordRaw } from 'vue-router';
import { roleOnly } from '../console/guard';

const officer = roleOnly('credit_officer');

export const routes: RouteRecordRaw[] = [
  {
    path: '/console/checks',
    name: 'officer-check',
    meta: { signIn: true },
    beforeEnter: officer,
    component: () => import('./CheckPage.vue'),
  },
  {
    path: '/console/checks/batch',
    name: 'officer-batch',
    meta: { signIn: true },
    beforeEnter: officer,
    component: () => import('./BatchPage.vue'),
  },
  {
    path: '/console/feedback',
    name: 'officer-feedback',
    meta: { signIn: true },
    beforeEnter: officer,
    component: () => import('./FeedbackPage.vue'),
  },
];
