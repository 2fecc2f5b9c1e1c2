/**
 * Turns each request into an actor: a bearer token for a system, a session cookie for a person,
 * otherwise the public. A token that is unknown, revoked or expired is refused outright; a stale
 * session cookie just means the public.
 */
import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import type { AuthService } from './auth.service.ts';
import { requireRole, type Action } from './auth.policy.ts';
import { PUBLIC, type Actor } from './auth.types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    /**
     * The action the route performs: a caller whose role the policy never grants it is refused as
     * the request arrives, before its body is read or validated (authorise → validate). `hide`:
     * refused as not found, where the service hides what it reads. The service still checks the
     * scope (own department, own subject) once it knows the resource.
     */
    requires?: { action: Action; hide?: boolean };
  }
}

export const SESSION_COOKIE = 'xinyong_session';

/** How a caller authenticates, as the OpenAPI document names the ways. */
export const SECURITY_SCHEMES = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'A person: the session cookie that `POST /api/auth/login` sets',
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: "A department's or an institution's system: an API token (`Authorization: Bearer …`)",
  },
} as const satisfies Record<string, OpenAPIV3.SecuritySchemeObject>;

/** An operation that needs a caller: a person's session or a system's token. */
export const CALLER_REQUIRED = [{ session: [] }, { bearer: [] }] as const;
/** An operation whose answer depends on the caller, if there is one. */
export const CALLER_OPTIONAL = [{}, ...CALLER_REQUIRED] as const;

export function sessionFrom(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  return header === undefined ? undefined : parseCookie(header)[SESSION_COOKIE];
}

/**
 * `secure`: the request came over HTTPS (directly, or through a trusted proxy that says so). A
 * browser drops a Secure cookie set over plain HTTP on any host but localhost: set there, the
 * person would be signed in and at once forgotten.
 */
export function setSessionCookie(
  reply: FastifyReply,
  session: string,
  expiresAt: Date,
  secure: boolean,
): void {
  reply.header(
    'set-cookie',
    serializeCookie(SESSION_COOKIE, session, {
      httpOnly: true,
      secure,
      sameSite: 'strict',
      path: '/',
      expires: expiresAt,
    }),
  );
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.header(
    'set-cookie',
    serializeCookie(SESSION_COOKIE, '', {
      httpOnly: true,
      secure,
      sameSite: 'strict',
      path: '/',
      maxAge: 0,
    }),
  );
}

async function resolveActor(auth: AuthService, request: FastifyRequest): Promise<Actor> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return auth.actorFromToken(match?.[1] ?? '');
  }
  const session = sessionFrom(request);
  if (session !== undefined && session !== '') {
    return (await auth.actorFromSession(session)) ?? PUBLIC;
  }
  return PUBLIC;
}

export function registerActorResolution(app: FastifyInstance, auth: AuthService): void {
  // The document says what the hook below enforces: a route that requires an action needs a
  // caller. Routes added after this (all of them) pass through here.
  app.addHook('onRoute', (route) => {
    const requires = route.config?.requires;
    if (requires !== undefined && route.schema?.security === undefined) {
      // A system has no password or second factor of its own (AccountService): a person only.
      const security = requires.action === 'account.own' ? [{ session: [] }] : CALLER_REQUIRED;
      route.schema = { ...route.schema, security };
    }
  });
  // null, not an object: a decorated object would be shared by every request.
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (request) => {
    request.actor = await resolveActor(auth, request);
    const requires = request.routeOptions.config.requires;
    if (requires !== undefined) {
      requireRole(request.actor, requires.action, { hide: requires.hide === true });
    }
  });
}
