/**
 * The application's pages, each loaded when first visited. Each area of the application declares
 * its own pages in `pages/<area>/routes.ts`; any other address is the not-found page. A page whose
 * route says `meta.signIn` needs a session: without one the reader is sent to sign in and back.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';

const areas = import.meta.glob<RouteRecordRaw[]>('./pages/*/routes.ts', {
  eager: true,
  import: 'routes',
});

export const router = createRouter({
  history: createWebHistory(),
  scrollBehavior: () => ({ top: 0 }),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue') },
    { path: '/subjects/:code', name: 'subject', component: () => import('./pages/SubjectPage.vue') },
    { path: '/verify', name: 'verify', component: () => import('./pages/VerifyPage.vue') },
    ...Object.values(areas).flat(),
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
  ],
});

declare module 'vue-router' {
  interface RouteMeta {
    /** The page needs a session (a subject's own cases, the console). */
    signIn?: boolean;
  }
}
