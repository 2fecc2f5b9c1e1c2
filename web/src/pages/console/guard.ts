/**
 * Who may open a console page of one role, decided once the session is known (the router's guard
 * loads it first): kept apart from the pages so that the router's first chunk carries only this.
 */
import type { NavigationGuard } from 'vue-router';
import { me } from '../../api/session';

/**
 * A page of these roles: a session whose password must first be changed (or whose second factor must be
 * set up) goes to the sign-in page, a subject's account to its own pages, anyone else to the
 * console's first page, which lists what their role can do.
 */
export function roleOnly(...roles: string[]): NavigationGuard {
  return (to) => {
    const session = me.value;
    if (session?.mustChangePassword === true || session?.mustEnrolTotp === true) {
      return { name: 'sign-in', query: { next: to.fullPath } };
    }
    if (session?.role !== undefined && roles.includes(session.role)) {
      return true;
    }
    return session?.role === 'subject_user' ? { name: 'me' } : { name: 'console' };
  };
}
