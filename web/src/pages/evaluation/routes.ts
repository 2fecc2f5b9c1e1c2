/**
 * The public credit evaluation (公共信用综合评价): the model in force as the public reads it, and a
 * subject's own evaluation with its explanation under `/me`. A subject's level on its public page
 * is `LevelMark`; the console's look-up reuses `EvaluationExplained`.
 */
import type { RouteRecordRaw } from 'vue-router';
import { subjectOnly } from '../me/guards';

export const routes: RouteRecordRaw[] = [
  { path: '/evaluation', name: 'evaluation', component: () => import('./ModelPage.vue') },
  {
    path: '/me/evaluation',
    name: 'me-evaluation',
    meta: { signIn: true },
    beforeEnter: subjectOnly,
    component: () => import('./OwnEvaluationPage.vue'),
  },
];
