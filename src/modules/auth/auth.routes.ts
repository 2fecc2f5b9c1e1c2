import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearSessionCookie, sessionFrom, setSessionCookie } from './auth.hooks.ts';
import {
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

export function authRoutes(auth: AuthService): FastifyPluginAsyncZod {
  return (app) => {
    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign in with a username and password; sets a session cookie',
          body: LoginSchema,
          response: { 200: ActorView.extend({ displayName: z.string(), expiresAt: z.date() }) },
        },
      },
      async (request, reply) => {
        const { session, actor, displayName, expiresAt } = await auth.login(request.body);
        setSessionCookie(reply, session, expiresAt);
        return { ...presentActor(actor), displayName, expiresAt };
      },
    );
    app.post(
      '/api/auth/logout',
      { schema: { tags: ['auth'], summary: 'End the session' } },
      async (request, reply) => {
        const session = sessionFrom(request);
        if (session !== undefined && session !== '') {
          await auth.logout(session);
        }
        clearSessionCookie(reply);
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Who the platform takes the caller for',
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
    return Promise.resolve();
  };
}
