/**
 * The platform administrator's console pages (the catalog, list types, measures and memoranda,
 * departments, users, API tokens) and the dashboards, which the auditor sees too. Addresses as the
 * console's navigation lists them (`pages/console/nav.ts`).
 */
import type { RouteRecordRaw } from 'vue-router';
import { roleOnly } from '../console/guard';

const admin = roleOnly('platform_admin');

export const routes: RouteRecordRaw[] = [
  {
    path: '/console/dashboards',
    name: 'console-dashboards',
    meta: { signIn: true },
    beforeEnter: roleOnly('platform_admin', 'auditor'),
    component: () => import('./DashboardsPage.vue'),
  },
  {
    path: '/console/admin/catalog',
    name: 'console-admin-catalog',
    meta: { signIn: true },
    beforeEnter: admin,
    component: () => import('./CatalogPage.vue'),
  },
  {
    path: '/console/admin/list-types',
    name: 'console-admin-list-types',
    meta: { signIn: true },
    beforeEnter: admin,
    component: () => import('./ListTypesPage.vue'),
  },
  {
    path: '/console/admin/measures',
    name: 'console-admin-measures',
    meta: { signIn: true },
    beforeEnter: admin,
    component: () => import('./MeasuresPage.vue'),
  },
  {
    path: '/console/admin/departments',
    name: 'console-admin-departments',
    meta: { signIn: true },
    beforeEnter: admin,
    component: () => import('./DepartmentsPage.vue'),
  },
  {
    path: '/console/admin/users',
    name: 'console-admin-users',
    meta: { signIn: true },
    beforeEnter: admin,
    component: () => import('./UsersPage.vue'),
  },
  {
    path: '/console/admin/tokens',
    name: 'console-admin-tokens',
    meta: { signIn: true },
    beforeEnter: admin,
    component: () => import('./TokensPage.vue'),
  },
];
