/**
 * The platform's HTTP API, typed from the committed OpenAPI document (openapi.json, generated into
 * schema.d.ts by the build): the web application talks to the platform through nothing else. Every
 * request says the reader's language, so errors come back in it.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { currentLocale } from '../i18n';

export const api = createClient<paths>({ baseUrl: '' });

api.use({
  onRequest({ request }) {
    request.headers.set('accept-language', currentLocale());
    return request;
  },
});

/** The platform's error body: the message names the field, the value and the rule. */
export interface ApiError {
  error: string;
  message: string;
  field?: string;
  value?: unknown;
  rule?: string;
}

export function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error
    ? String((error as ApiError).message)
    : String(error);
}
