/**
 * Who is signed in, as the platform says (`GET /api/auth/me`). Pages whose route has
 * `meta.signIn` need a session; when a request is refused because the session ended (401), the
 * reader is sent to the sign-in page and, once signed in, back to where they were.
 */
import { ref } from 'vue';
import type { Router } from 'vue-router';
import { api } from './client';
import type { components } from './schema';

type Me = NonNullable<Awaited<ReturnType<typeof fetchMe>>>;
export type { components };

export const me = ref<Me | undefined>();
let loaded: Promise<void> | undefined;

async function fetchMe() {
  const { data } = await api.GET('/api/auth/me');
  return data;
}

/** The session as the platform knows it, asked once and then kept until sign-in or sign-out. */
export function loadSession(): Promise<void> {
  loaded ??= fetchMe().then((data) => {
    me.value = data?.kind === 'user' ? data : undefined;
  });
  return loaded;
}

export function signedIn(): boolean {
  return me.value !== undefined;
}

export async function signOut(): Promise<void> {
  await api.POST('/api/auth/logout');
  me.value = undefined;
  loaded = undefined;
}

export function refreshSession(): Promise<void> {
  loaded = undefined;
  return loadSession();
}

/** The sign-in page's address that brings the reader back to `path`. */
export function signInRoute(path: string) {
  return { name: 'sign-in', query: { next: path } };
}

/** Guards the pages that need a session, and follows the platform when it says the session ended. */
export function guardSessions(router: Router): void {
  router.beforeEach(async (to) => {
    if (to.meta.signIn !== true) {
      return true;
    }
    await loadSession();
    return signedIn() ? true : signInRoute(to.fullPath);
  });
  api.use({
    onResponse({ response, request }) {
      const current = router.currentRoute.value;
      if (
        response.status === 401 &&
        current.meta.signIn === true &&
        !request.url.endsWith('/api/auth/login')
      ) {
        me.value = undefined;
        loaded = undefined;
        void router.push(signInRoute(current.fullPath));
      }
      return response;
    },
  });
}
