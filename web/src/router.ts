/** The portal's pages, each loaded when first visited; any other address is the not-found page. */
import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue') },
    { path: '/subjects/:code', name: 'subject', component: () => import('./pages/SubjectPage.vue') },
    { path: '/verify', name: 'verify', component: () => import('./pages/VerifyPage.vue') },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
  ],
});
