/**
 * A subject's two further pages under `/me`: its authorisations of institutions (granted,
 * revoked, and how often each was used) and its credit commitments (signed in the standard text of
 * their kind). Anyone but a subject's account goes to the console.
 */
import type { RouteRecordRaw } from 'vue-router';
import { roleOnly } from '../console/guard';

const subject = roleOnly('subject_user');

export const routes: RouteRecordRaw[] = [
  {
    path: '/me/authorisations',
    name: 'me-authorisations',
    meta: { signIn: true },
    beforeEnter: subject,
    component: () => import('./AuthorisationsPage.vue'),
  },
  {
    path: '/me/commitments',
    name: 'me-commitments',
    meta: { signIn: true },
    beforeEnter: subject,
    component: () => import('./CommitmentsPage.vue'),
  },
];
