/**
 * The reviewer's console pages (审核人员): the department's queues of objections, repair
 * applications, designation cases, commitments and conduct reports, each item with its deadline
 * in working days and the actions the procedure allows next. Another role is sent to its console.
 */
import type { RouteLocationNormalized, RouteRecordRaw } from 'vue-router';
import { loadSession, me } from '../../api/session';

async function reviewerOnly(to: RouteLocationNormalized) {
  await loadSession();
  const session = me.value;
  if (session?.mustChangePassword === true || session?.mustEnrolTotp === true) {
    return { name: 'sign-in', query: { next: to.fullPath } };
  }
  return session?.role === 'reviewer' ? true : { name: 'console' };
}

const page = (path: string, name: string, component: RouteRecordRaw['component']): RouteRecordRaw =>
  ({
    path,
    name,
    meta: { signIn: true },
    beforeEnter: reviewerOnly,
    component,
  }) as RouteRecordRaw;

export const routes: RouteRecordRaw[] = [
  page('/console/objections', 'review-objections', () => import('./ObjectionsPage.vue')),
  page('/console/objections/:id(\\d+)', 'review-objection', () => import('./ObjectionPage.vue')),
  page('/console/repairs', 'review-repairs', () => import('./RepairsPage.vue')),
  page('/console/repairs/:id(\\d+)', 'review-repair', () => import('./RepairPage.vue')),
  page('/console/designations', 'review-designations', () => import('./DesignationsPage.vue')),
  page('/console/designations/:id(\\d+)', 'review-designation', () => import('./DesignationPage.vue')),
  page('/console/commitments', 'review-commitments', () => import('./CommitmentsPage.vue')),
  page('/console/commitments/:id(\\d+)', 'review-commitment', () => import('./CommitmentPage.vue')),
  page('/console/conduct-reports', 'review-conduct-reports', () => import('./ConductReportsPage.vue')),
  page(
    '/console/conduct-reports/:id(\\d+)',
    'review-conduct-report',
    () => import('./ConductReportPage.vue'),
  ),
];
