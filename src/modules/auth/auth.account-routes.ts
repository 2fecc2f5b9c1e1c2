/** Routes of accounts: a person's own password and second factor, and the administrator's list and changes. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from './auth.accounts.ts';
import { sessionFrom } from './auth.hooks.ts';
import { PasswordChangeSchema, TotpConfirmSchema, TotpDisableSchema } from './auth.schema.ts';
import { ROLES } from './auth.types.ts';

const UserView = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  department: z.string().nullable(),
  institution: z.string().nullable(),
  subject: z.string().nullable(),
  demo: z.boolean(),
  status: z.enum(['active', 'locked', 'disabled']),
  createdAt: z.date(),
  disabledAt: z.date().nullable(),
  lockedUntil: z.date().nullable(),
  passwordChangedAt: z.date(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
});

const UserParams = z.object({ id: z.coerce.number().int().positive() });

export function accountRoutes(accounts: AccountService): FastifyPluginAsyncZod {
  return (app) => {
    app.post(
      '/api/auth/password',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary:
            "Change one's own password (at least 12 characters, not the username); one's other sessions end",
          body: PasswordChangeSchema,
          response: { 200: z.object({ passwordChangedAt: z.date(), sessionsEnded: z.number() }) },
        },
      },
      (request) => accounts.changePassword(request.actor, request.body, sessionFrom(request) || undefined),
    );
    app.post(
      '/api/auth/totp/setup',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary:
            'Set up a second factor (TOTP): its secret and otpauth:// URI for an authenticator app, shown once; on once confirmed',
          response: { 200: z.object({ secret: z.string(), uri: z.string() }) },
        },
      },
      (request) => accounts.totpSetup(request.actor),
    );
    app.post(
      '/api/auth/totp/confirm',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary: "Turn the second factor on with the app's current code; sign-in asks for one from then on",
          body: TotpConfirmSchema,
          response: { 200: z.object({ totpEnabled: z.literal(true), enabledAt: z.date() }) },
        },
      },
      (request) => accounts.totpConfirm(request.actor, request.body),
    );
    app.post(
      '/api/auth/totp/disable',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary: 'Turn the second factor off, given the password and a current code',
          body: TotpDisableSchema,
          response: { 200: z.object({ totpEnabled: z.literal(false) }) },
        },
      },
      (request) => accounts.totpDisable(request.actor, request.body),
    );

    app.get(
      '/api/users',
      {
        config: { requires: { action: 'user.manage', hide: true } },
        schema: {
          tags: ['organisations'],
          summary: 'Accounts of people (platform administrator): never a password hash or a secret',
          response: { 200: z.array(UserView) },
        },
      },
      (request) => accounts.list(request.actor),
    );
    app.post(
      '/api/users/:id/reset-password',
      {
        config: { requires: { action: 'user.manage' } },
        schema: {
          tags: ['organisations'],
          summary:
            'Reset a password (platform administrator): a generated one, shown once, changed at the next sign-in; the sessions end',
          params: UserParams,
          response: {
            200: z.object({ user: UserView, password: z.string(), sessionsEnded: z.number() }),
          },
        },
      },
      (request) => accounts.resetPassword(request.actor, { id: request.params.id }),
    );
    app.post(
      '/api/users/:id/disable',
      {
        config: { requires: { action: 'user.manage' } },
        schema: {
          tags: ['organisations'],
          summary: 'Disable an account (platform administrator); its sessions end',
          params: UserParams,
          response: { 200: UserView },
        },
      },
      (request) => accounts.disable(request.actor, { id: request.params.id }),
    );
    app.post(
      '/api/users/:id/enable',
      {
        config: { requires: { action: 'user.manage' } },
        schema: {
          tags: ['organisations'],
          summary: 'Enable a disabled account, or lift the lock of failed sign-ins (platform administrator)',
          params: UserParams,
          response: { 200: UserView },
        },
      },
      (request) => accounts.enable(request.actor, { id: request.params.id }),
    );
    return Promise.resolve();
  };
}
