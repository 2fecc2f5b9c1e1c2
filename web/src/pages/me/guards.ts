/**
 * Who may open the subject's pages, decided once the session is known (the router's guard loads
 * it first): kept apart from the pages so that the router's first chunk carries only this.
 */
import type { NavigationGuard } from 'vue-router';
import { me } from '../../api/session';

/**
 * The subject's pages: a session whose password must first be changed (or whose second factor must
 * be set up) goes to the sign-in page to do it, and anyone but a subject's account to the console.
 */
export const subjectOnly: NavigationGuard = (to) => {
  const session = me.value;
  if (session?.mustChangePassword === true || session?.mustEnrolTotp === true) {
    return { name: 'sign-in', query: { next: to.fullPath } };
  }
  return session?.role === 'subject_user' ? true : { name: 'console' };
};
