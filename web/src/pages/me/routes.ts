/**
 * A subject's own pages (`/me`): signing in, the subject's whole credit file with what it may do
 * about each record, objections and repair applications filed online and followed to their
 * decision. Anyone else signed in (a clerk, a reviewer…) sees who they are and that the working
 * console comes later.
 */
import type { RouteRecordRaw } from 'vue-router';
import { subjectOnly } from './guards';

export const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./SignInPage.vue') },
  {
    path: '/me',
    name: 'me',
    meta: { signIn: true },
    beforeEnter: subjectOnly,
    component: () => import('./MePage.vue'),
  },
  {
    path: '/me/cases',
    name: 'me-cases',
    meta: { signIn: true },
    beforeEnter: subjectOnly,
    component: () => import('./CasesPage.vue'),
  },
  {
    path: '/me/objections/new',
    name: 'me-objection-new',
    meta: { signIn: true },
    beforeEnter: subjectOnly,
    component: () => import('./ObjectionNewPage.vue'),
  },
  {
    path: '/me/objections/:id(\\d+)',
    name: 'me-objection',
    meta: { signIn: true },
    beforeEnter: subjectOnly,
    component: () => import('./ObjectionPage.vue'),
  },
  {
    path: '/me/repairs/new',
    name: 'me-repair-new',
    meta: { signIn: true },
    beforeEnter: subjectOnly,
    component: () => import('./RepairNewPage.vue'),
  },
  {
    path: '/me/repairs/:id(\\d+)',
    name: 'me-repair',
    meta: { signIn: true },
    beforeEnter: subjectOnly,
    component: () => import('./RepairPage.vue'),
  },
];
