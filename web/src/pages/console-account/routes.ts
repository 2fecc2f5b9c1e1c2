/** The account page of every staff role: password and second factor (`/console/account`). */
import type { RouteRecordRaw } from 'vue-router';
import { me } from '../../api/session';

export const routes: RouteRecordRaw[] = [
  {
    path: '/console/account',
    name: 'console-account',
    meta: { signIn: true },
    beforeEnter: () => (me.value?.role === 'subject_user' ? { name: 'me' } : true),
    component: () => import('./AccountPage.vue'),
  },
];
