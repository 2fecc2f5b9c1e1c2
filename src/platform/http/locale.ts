/**
 * The language of an HTTP answer: the request's Accept-Language, else the platform's configured
 * default (XINYONG_LANG), which the composition root sets on the instance with `setDefaultLocale`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, negotiate, type Locale } from '../i18n/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The language answers are in when a request asks for none. */
    defaultLocale?: Locale;
  }
}

/** Answers to requests that ask for no language are in `locale` (set before the routes). */
export function setDefaultLocale(app: FastifyInstance, locale: Locale): void {
  app.decorate('defaultLocale', locale);
}

/** The language `app` answers in when a request asks for none. */
export function defaultLocaleOf(app: FastifyInstance | undefined): Locale {
  return app?.defaultLocale ?? DEFAULT_LOCALE;
}

/** The language to answer `request` in. */
export function requestLocale(request: FastifyRequest): Locale {
  return negotiate(request.headers['accept-language'], defaultLocaleOf(request.server));
}
