import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ForbiddenError, msg, registerRateLimit, type Mode } from '../../platform/index.ts';
import { CALLER_OPTIONAL, clearSessionCookie, sessionFrom, setSessionCookie } from './auth.hooks.ts';
import {
  DepartmentChangeSchema,
  DepartmentInputSchema,
  InstitutionInputSchema,
  LoginSchema,
  TokenInputSchema,
  UserInputSchema,
} from './auth.schema.ts';
import type { AuthService } from './auth.service.ts';
import { DEPARTMENT_LEVELS, ROLES, type Actor } from './auth.types.ts';

const ActorView = z.object({
  kind: z.enum(['public', 'user', 'token', 'system']),
  username: z.string().optional(),
  role: z.enum(ROLES).optional(),
  department: z.string().optional(),
  institution: z.string().optional(),
  subject: z.string().optional(),
  /** A person who must change the password before anything else (reset, or past its age). */
  mustChangePassword: z.boolean().optional(),
  /** A person who must set up a second factor before anything else. */
  mustEnrolTotp: z.boolean().optional(),
});

function presentActor(actor: Actor): z.infer<typeof ActorView> {
  switch (actor.kind) {
    case 'public':
    case 'system':
      return { kind: actor.kind };
    case 'user':
      return {
        kind: 'user',
        username: actor.username,
        role: actor.role,
        department: actor.department?.code,
        institution: actor.institution,
        subject: actor.subject,
        mustChangePassword: actor.pending?.includes('password_change') === true,
        mustEnrolTotp: actor.pending?.includes('totp_enrolment') === true,
      };
    case 'token':
      return {
        kind: 'token',
        role: actor.role,
        department: actor.department?.code,
        institution: actor.institution,
      };
  }
}

const DepartmentView = z.object({
  code: z.string(),
  name: z.string(),
  division: z.string(),
  level: z.enum(DEPARTMENT_LEVELS),
  domains: z.array(z.string()),
  uscc: z.string().nullable(),
  demo: z.boolean(),
});
const InstitutionView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  uscc: z.string().nullable(),
  demo: z.boolean(),
});
const TokenView = z.object({
  id: z.number(),
  prefix: z.string(),
  name: z.string(),
  role: z.string(),
  department: z.string().nullable(),
  institution: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  revokedAt: z.date().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});

export interface AuthRouteOptions {
  /** In production a sign-in over plain HTTP is refused; the demo allows it on any address. */
  mode: Mode;
  /** Sign-in attempts a minute from one address (0: no limit). */
  loginRateLimit: number;
}

/** Whether the request came over HTTPS: the socket's word, or a trusted proxy's (X-Forwarded-Proto). */
const overHttps = (request: FastifyRequest) => request.protocol === 'https';

/**
 * A production sign-in over plain HTTP: refused before the password is looked at, rather than a
 * cookie set that the browser would not keep (or, worse, keep over an unencrypted connection).
 */
function httpsRequired(request: FastifyRequest): ForbiddenError {
  request.log.warn('a sign-in over plain HTTP was refused');
  return new ForbiddenError(msg('auth.https_required'), { rule: 'auth.https_required' });
}

export function authRoutes(auth: AuthService, options: AuthRouteOptions): FastifyPluginAsyncZod {
  return async (app) => {
    if (options.loginRateLimit > 0) {
      // Scoped to the sign-in route (global: false), keyed on the client's address (trustProxy).
      await registerRateLimit(app, { rule: 'auth.rate_limit', message: 'errors.rate_limit.sign_in' });
    }
    app.post(
      '/api/auth/login',
      {
        ...(options.loginRateLimit > 0
          ? { config: { rateLimit: { max: options.loginRateLimit, timeWindow: 60_000 } } }
          : {}),
        // Before the body is read, and before the attempt counts toward the address's limit.
        onRequest: (request, _reply, done) => {
          done(options.mode === 'production' && !overHttps(request) ? httpsRequired(request) : undefined);
        },
        schema: {
          tags: ['auth'],
          summary:
            'Sign in with a username and password (and `totp`, once the account has a second factor); sets a session cookie',
          body: LoginSchema,
          response: { 200: ActorView.extend({ displayName: z.string(), expiresAt: z.date() }) },
        },
      },
      async (request, reply) => {
        const { session, actor, displayName, expiresAt } = await auth.login(request.body, {
          address: request.ip,
        });
        setSessionCookie(reply, session, expiresAt, overHttps(request));
        return { ...presentActor(actor), displayName, expiresAt };
      },
    );
    app.post(
      '/api/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'End the session',
          security: [{}, { session: [] }],
          response: { 204: z.null().describe('The session is over and its cookie cleared') },
        },
      },
      async (request, reply) => {
        const session = sessionFrom(request);
        if (session !== undefined && session !== '') {
          await auth.logout(session);
        }
        clearSessionCookie(reply, overHttps(request));
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Who the platform takes the caller for',
          security: CALLER_OPTIONAL,
          response: { 200: ActorView },
        },
      },
      (request) => presentActor(request.actor),
    );

    app.get(
      '/api/departments',
      {
        config: { requires: { action: 'organisation.read' } },
        schema: {
          tags: ['organisations'],
          summary: 'Departments',
          response: { 200: z.array(DepartmentView) },
        },
      },
      (request) => auth.departments(request.actor),
    );
    app.post(
      '/api/departments',
      {
        config: { requires: { action: 'organisation.manage' } },
        schema: {
          tags: ['organisations'],
          summary: 'Create a department (platform administrator)',
          body: DepartmentInputSchema,
          response: { 201: DepartmentView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await auth.createDepartment(request.actor, request.body)),
    );
    app.patch(
      '/api/departments/:code',
      {
        config: { requires: { action: 'organisation.manage' } },
        schema: {
          tags: ['organisations'],
          summary:
            "Change a department's name, domains (which decide the catalog items it collects) or unified code (platform administrator)",
          params: z.object({ code: z.string().max(40) }),
          body: DepartmentChangeSchema,
          response: { 200: DepartmentView },
        },
      },
      (request) => auth.updateDepartment(request.actor, request.params.code, request.body),
    );
    app.get(
      '/api/institutions',
      {
        config: { requires: { action: 'organisation.read' } },
        schema: {
          tags: ['organisations'],
          summary: 'Institutions',
          response: { 200: z.array(InstitutionView) },
        },
      },
      (request) => auth.institutions(request.actor),
    );
    app.post(
      '/api/institutions',
      {
        config: { requires: { action: 'organisation.manage' } },
        schema: {
          tags: ['organisations'],
          summary: 'Create an institution (platform administrator)',
          body: InstitutionInputSchema,
          response: { 201: InstitutionView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await auth.createInstitution(request.actor, request.body)),
    );
    app.post(
      '/api/users',
      {
        config: { requires: { action: 'user.manage' } },
        schema: {
          tags: ['organisations'],
          summary: 'Create a user (platform administrator)',
          body: UserInputSchema,
          response: { 201: z.object({ id: z.number(), username: z.string(), role: z.enum(ROLES) }) },
        },
      },
      async (request, reply) => reply.status(201).send(await auth.createUser(request.actor, request.body)),
    );

    app.post(
      '/api/tokens',
      {
        config: { requires: { action: 'token.manage' } },
        schema: {
          tags: ['auth'],
          summary:
            "Create an API token for a department's or an institution's system; the token is shown once",
          body: TokenInputSchema,
          response: {
            201: z.object({
              token: z.string(),
              id: z.number(),
              prefix: z.string(),
              name: z.string(),
              role: z.string(),
              department: z.string().nullable(),
              institution: z.string().nullable(),
              expiresAt: z.date(),
            }),
          },
        },
      },
      async (request, reply) => reply.status(201).send(await auth.createToken(request.actor, request.body)),
    );
    app.get(
      '/api/tokens',
      {
        config: { requires: { action: 'token.read', hide: true } },
        schema: {
          tags: ['auth'],
          summary:
            "API tokens (never their secrets): all for an administrator, a reviewer's own department's",
          querystring: z.strictObject({ department: z.string().max(40).optional() }),
          response: { 200: z.array(TokenView) },
        },
      },
      (request) => auth.tokens(request.actor, request.query.department),
    );
    app.post(
      '/api/tokens/:id/revoke',
      {
        config: { requires: { action: 'token.manage' } },
        schema: {
          tags: ['auth'],
          summary: 'Revoke an API token',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: TokenView },
        },
      },
      (request) => auth.revokeToken(request.actor, request.params.id),
    );
  };
}
