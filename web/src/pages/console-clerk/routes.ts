/**
 * The data clerk's console pages: uploading a department's file and following its batches, fixing
 * and resubmitting refused rows, the review queue of rows whose subject could not be determined,
 * the department's data quality by month (also the reviewer's) and the file templates. Anyone
 * else signed in is taken to the console's first page.
 */
import type { NavigationGuard, RouteRecordRaw } from 'vue-router';
import { me } from '../../api/session';

function only(...roles: string[]): NavigationGuard {
  return (to) => {
    const session = me.value;
    if (session?.mustChangePassword === true || session?.mustEnrolTotp === true) {
      return { name: 'sign-in', query: { next: to.fullPath } };
    }
    return roles.includes(session?.role ?? '') ? true : { name: 'console' };
  };
}

const clerk = only('data_clerk');

export const routes: RouteRecordRaw[] = [
  {
    path: '/console/batches/new',
    name: 'clerk-upload',
    meta: { signIn: true },
    beforeEnter: clerk,
    component: () => import('./UploadPage.vue'),
  },
  {
    path: '/console/batches',
    name: 'clerk-batches',
    meta: { signIn: true },
    beforeEnter: clerk,
    component: () => import('./BatchesPage.vue'),
  },
  {
    path: '/console/batches/:id(\\d+)',
    name: 'clerk-batch',
    meta: { signIn: true },
    beforeEnter: clerk,
    component: () => import('./BatchPage.vue'),
  },
  {
    path: '/console/review',
    name: 'clerk-review',
    meta: { signIn: true },
    // The department's reviewers may resolve these rows too (the platform lets them).
    beforeEnter: only('data_clerk', 'reviewer'),
    component: () => import('./ReviewPage.vue'),
  },
  {
    path: '/console/quality',
    name: 'clerk-quality',
    meta: { signIn: true },
    beforeEnter: only('data_clerk', 'reviewer'),
    component: () => import('./QualityPage.vue'),
  },
  {
    path: '/console/templates',
    name: 'clerk-templates',
    meta: { signIn: true },
    beforeEnter: clerk,
    component: () => import('./TemplatesPage.vue'),
  },
];
