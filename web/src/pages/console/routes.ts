/**
 * The console's own pages: its first page for the signed-in role. The pages of each role live in
 * their areas (`pages/console-<area>/`), listed for the sidebar in `nav.ts`. A subject's account
 * has its pages under `/me`.
 */
import type { RouteRecordRaw } from 'vue-router';
import { me } from '../../api/session';

export const routes: RouteRecordRaw[] = [
  {
    path: '/console',
    name: 'console',
    meta: { signIn: true },
    beforeEnter: (to) => {
      const session = me.value;
      if (session?.mustChangePassword === true || session?.mustEnrolTotp === true) {
        return { name: 'sign-in', query: { next: to.fullPath } };
      }
      return session?.role === 'subject_user' ? { name: 'me' } : true;
    },
    component: () => import('./ConsoleHome.vue'),
  },
];
