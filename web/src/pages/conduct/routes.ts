/**
 * Reports of suspected dishonest conduct from the public (举报): filed without an account, then
 * followed by the receipt code shown once. The code is never put in an address: the follow page
 * asks for it in a form.
 */
import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  {
    path: '/conduct-reports/new',
    name: 'conduct-report',
    component: () => import('./ReportPage.vue'),
  },
  {
    path: '/conduct-reports/follow',
    name: 'conduct-follow',
    component: () => import('./FollowPage.vue'),
  },
];
