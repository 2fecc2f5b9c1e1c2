/**
 * Graded inspection sampling in the console (双随机、一公开): a department's reviewer or credit
 * officer announces a seed, then draws the subjects and inspectors of a matter by credit level.
 * The public sees both at `/inspections`.
 */
import type { RouteRecordRaw } from 'vue-router';
import { roleOnly } from '../console/guard';

export const routes: RouteRecordRaw[] = [
  {
    path: '/console/inspections',
    name: 'console-inspections',
    meta: { signIn: true },
    beforeEnter: roleOnly('reviewer', 'credit_officer'),
    component: () => import('./InspectionsPage.vue'),
  },
];
