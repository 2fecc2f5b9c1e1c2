/**
 * The pages that explain what the platform holds and why: the catalog with its legal bases, the
 * list types and their standards, the measure list, and how to object, apply for repair or report
 * dishonest conduct, with the deadlines of each.
 */
import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/catalog', name: 'about-catalog', component: () => import('./CatalogPage.vue') },
  { path: '/catalog/:code', name: 'about-catalog-item', component: () => import('./CatalogItemPage.vue') },
  { path: '/lists', name: 'about-lists', component: () => import('./ListsPage.vue') },
  { path: '/measures', name: 'about-measures', component: () => import('./MeasuresPage.vue') },
  { path: '/rights', name: 'about-rights', component: () => import('./RightsPage.vue') },
];
