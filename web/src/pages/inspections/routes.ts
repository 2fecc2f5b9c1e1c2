/**
 * Graded inspection sampling as published (双随机、一公开): the seeds announced and the latest
 * draws, and one draw with its groups and sample. No sign-in.
 */
import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/inspections', name: 'inspections', component: () => import('./InspectionsPage.vue') },
  {
    path: '/inspections/:id(\\d+)',
    name: 'inspection-draw',
    component: () => import('./DrawPage.vue'),
  },
];
