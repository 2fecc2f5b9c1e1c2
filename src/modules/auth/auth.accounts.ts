/**
 * Accounts once they exist: a person's own password and second factor, and what an administrator
 * does to others' accounts (list, reset a password, disable, enable). Every change ends the
 * sessions it should, and leaves its audit event; no password, hash or secret is ever in one.
 */
import type { Kysely } from 'kysely';
import {
  ConflictError,
  fieldReason,
  ForbiddenError,
  msg,
  NotFoundError,
  parseWith,
  SIGN_IN_DEFAULTS,
  ValidationError,
  type AuditEventInput,
  type AuditWriter,
  type DataProtector,
  type Schema,
  type SignInConfig,
} from '../../platform/index.ts';
import { maskCitizenId } from '../identifiers/index.ts';
import type { AuthOptions } from './auth.service.ts';
import { Credentials, secondFactorFailed } from './auth.credentials.ts';
import { authorize } from './auth.policy.ts';
import { AuthRepository, withAuditEvent, type UserRow } from './auth.repository.ts';
import {
  checkPasswordPolicy,
  PasswordChangeSchema,
  TotpConfirmSchema,
  TotpDisableSchema,
  type PasswordChangeInput,
  type TotpConfirmInput,
  type TotpDisableInput,
} from './auth.schema.ts';
import { generatePassword, hashPassword, secretHash } from './auth.secrets.ts';
import { isLocked, passwordExpired } from './auth.signin.ts';
import { newTotpSecret, totpStep, totpUri } from './auth.totp.ts';
import { toAuditActor, type Actor, type Role } from './auth.types.ts';

/** An account as an administrator sees it: never its password hash or second-factor secret. */
export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  institution: string | null;
  subject: string | null;
  demo: boolean;
  status: 'active' | 'locked' | 'disabled';
  createdAt: Date;
  disabledAt: Date | null;
  lockedUntil: Date | null;
  passwordChangedAt: Date;
  /** Changed by a reset, or past its maximum age: the next sign-in may only change it. */
  mustChangePassword: boolean;
  totpEnabled: boolean;
}

/** An account named by its id (the API) or its username (the command line). */
export type UserRef = { id: number } | { username: string };

export class AccountService {
  private readonly repository: AuthRepository;
  private readonly policy: SignInConfig;
  private readonly now: () => Date;
  private readonly credentials: Credentials;

  /** `protector` seals second-factor secrets with the data key: none is stored in clear. */
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    options: AuthOptions = {},
  ) {
    this.repository = new AuthRepository(db);
    this.policy = { ...SIGN_IN_DEFAULTS, ...options.signIn };
    this.now = options.now ?? (() => new Date());
    this.credentials = new Credentials(db, audit, protector, this.policy, this.now);
  }

  private withEvent<T>(
    work: (repo: AuthRepository) => Promise<T>,
    event: (result: T) => AuditEventInput,
  ): Promise<T> {
    return withAuditEvent(this.db, this.audit, work, event);
  }

  private view(u: UserRow): UserView {
    const now = this.now();
    const locked = isLocked(u, now);
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role as Role,
      department: u.department_code,
      institution: u.institution_code,
      subject:
        u.subject_code ??
        (u.subject_code_encrypted === null
          ? null
          : maskCitizenId(this.protector.decrypt(u.subject_code_encrypted))),
      demo: u.demo,
      status: u.disabled_at !== null ? 'disabled' : locked ? 'locked' : 'active',
      createdAt: u.created_at,
      disabledAt: u.disabled_at,
      lockedUntil: locked ? u.locked_until : null,
      passwordChangedAt: u.password_changed_at,
      mustChangePassword: u.must_change_password || passwordExpired(u, this.policy, now),
      totpEnabled: u.totp_enabled_at !== null,
    };
  }

  // ---- an administrator's --------------------------------------------------------------------

  /** Every account (platform administrator); the read is recorded. */
  async list(actor: Actor): Promise<UserView[]> {
    authorize(actor, 'user.manage');
    const rows = await this.withEvent(
      (repo) => repo.users(),
      (found) => ({ actor: toAuditActor(actor), action: 'user.read', details: { returned: found.length } }),
    );
    return rows.map((u) => this.view(u));
  }

  /** The account an administrator acts on; never their own, which they change as its owner. */
  private async target(actor: Actor, ref: UserRef, what: 'reset' | 'disable' | 'enable'): Promise<UserRow> {
    authorize(actor, 'user.manage');
    const user =
      'id' in ref ? await this.repository.userById(ref.id) : await this.repository.userByName(ref.username);
    if (user === undefined) {
      throw new NotFoundError();
    }
    if (actor.kind === 'user' && actor.userId === user.id) {
      throw new ForbiddenError(msg(`auth.user.self.${what}`), { rule: 'user.self' });
    }
    return user;
  }

  /**
   * A new generated password, shown once, to be changed at the next sign-in; the user's sessions
   * end. The second factor stays unless `removeSecondFactor` (a lost device): whoever resets a
   * password does not thereby hold the account.
   */
  async resetPassword(
    actor: Actor,
    ref: UserRef,
    options: { removeSecondFactor?: boolean } = {},
  ): Promise<{ user: UserView; password: string; sessionsEnded: number }> {
    const user = await this.target(actor, ref, 'reset');
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    const now = this.now();
    const removeSecondFactor = options.removeSecondFactor === true && user.totp_secret !== null;
    const sessionsEnded = await this.withEvent(
      async (repo) => {
        await repo.setPassword(user.id, passwordHash, { now, mustChange: true });
        if (removeSecondFactor) {
          await repo.clearTotp(user.id);
        }
        return repo.revokeSessions(user.id, now);
      },
      (ended) => ({
        actor: toAuditActor(actor),
        action: 'user.reset_password',
        target: { kind: 'user', id: user.username },
        details: { sessionsEnded: ended, secondFactorRemoved: removeSecondFactor },
      }),
    );
    const after = (await this.repository.userById(user.id)) ?? user;
    return { user: this.view(after), password, sessionsEnded };
  }

  /** No sign-in until enabled again; the user's sessions end at once. */
  async disable(actor: Actor, ref: UserRef): Promise<UserView> {
    const user = await this.target(actor, ref, 'disable');
    if (user.disabled_at !== null) {
      throw new ConflictError(msg('auth.user.disabled', { username: user.username }), {
        field: 'username',
        value: user.username,
        rule: 'user.disabled',
      });
    }
    const now = this.now();
    await this.withEvent(
      async (repo) => {
        await repo.setDisabled(user.id, now);
        return repo.revokeSessions(user.id, now);
      },
      (ended) => ({
        actor: toAuditActor(actor),
        action: 'user.disable',
        target: { kind: 'user', id: user.username },
        details: { sessionsEnded: ended },
      }),
    );
    return this.view({ ...user, disabled_at: now });
  }

  /** Sign-in allowed again; a lock from failed attempts is lifted too. */
  async enable(actor: Actor, ref: UserRef): Promise<UserView> {
    const user = await this.target(actor, ref, 'enable');
    const locked = isLocked(user, this.now());
    if (user.disabled_at === null && !locked) {
      throw new ConflictError(msg('auth.user.enabled', { username: user.username }), {
        field: 'username',
        value: user.username,
        rule: 'user.enabled',
      });
    }
    await this.withEvent(
      (repo) => repo.setDisabled(user.id, null),
      () => ({
        actor: toAuditActor(actor),
        action: 'user.enable',
        target: { kind: 'user', id: user.username },
        details: { wasDisabled: user.disabled_at !== null, wasLocked: locked },
      }),
    );
    return this.view({
      ...user,
      disabled_at: null,
      failed_logins: 0,
      failed_since: null,
      locked_until: null,
    });
  }

  // ---- a person's own ------------------------------------------------------------------------

  /** The signed-in person's own account: systems (API tokens) have no password or second factor. */
  private async own(actor: Actor): Promise<UserRow> {
    authorize(actor, 'account.own');
    const user = actor.kind === 'user' ? await this.repository.userById(actor.userId) : undefined;
    if (user === undefined) {
      throw new ForbiddenError(msg('auth.user.person_only'), { rule: 'account.person' });
    }
    return user;
  }

  /** Refuses a wrong password or code given to change the account, counting it toward the lock. */
  private async proveAgain(
    actor: Actor,
    user: UserRow,
    attempt: { password: string; totp?: string },
    purpose: string,
    passwordField: string,
  ): Promise<void> {
    const proof = await this.credentials.prove(user, attempt, { secondFactor: attempt.totp !== undefined });
    if (proof.ok) {
      return;
    }
    await this.credentials.recordFailure(user, proof.reason, {
      actor: toAuditActor(actor),
      action: 'auth.reauth_failed',
      target: { kind: 'user', id: user.username },
      details: { purpose },
    });
    throw secondFactorFailed(proof.reason)
      ? new ForbiddenError(msg('auth.totp.refused'), { field: 'totp', rule: 'auth.totp' })
      : new ForbiddenError(fieldReason(passwordField, msg('auth.reason.password_wrong')), {
          field: passwordField,
          rule: 'auth.credentials',
        });
  }

  /**
   * Changes the caller's password, given the current one; the caller's other sessions end (this
   * one goes on: `session`, its cookie).
   */
  async changePassword(
    actor: Actor,
    input: PasswordChangeInput,
    session?: string,
  ): Promise<{ passwordChangedAt: Date; sessionsEnded: number }> {
    const user = await this.own(actor);
    const { currentPassword, newPassword } = parseWith(PasswordChangeSchema, input);
    checkPasswordPolicy(newPassword, user.username, 'newPassword');
    if (newPassword === currentPassword) {
      throw new ValidationError(fieldReason('newPassword', msg('auth.reason.not_current')), {
        field: 'newPassword',
        rule: 'password.reuse',
      });
    }
    await this.proveAgain(actor, user, { password: currentPassword }, 'password_change', 'currentPassword');
    const passwordHash = await hashPassword(newPassword);
    const now = this.now();
    const sessionsEnded = await this.withEvent(
      async (repo) => {
        await repo.setPassword(user.id, passwordHash, { now, mustChange: false });
        return repo.revokeSessions(user.id, now, session === undefined ? undefined : secretHash(session));
      },
      (ended) => ({
        actor: toAuditActor(actor),
        action: 'auth.password_change',
        target: { kind: 'user', id: user.username },
        details: { sessionsEnded: ended, wasRequired: this.view(user).mustChangePassword },
      }),
    );
    return { passwordChangedAt: now, sessionsEnded };
  }

  /**
   * A new second-factor secret for the caller, shown once with its otpauth:// URI; it is on once a
   * code from it is confirmed. Replaces an unconfirmed one; refused while one is on.
   */
  async totpSetup(actor: Actor): Promise<{ secret: string; uri: string }> {
    const user = await this.own(actor);
    if (user.totp_enabled_at !== null) {
      throw new ConflictError(msg('auth.totp.on_turn_off'), { rule: 'totp.enabled' });
    }
    const secret = newTotpSecret();
    await this.withEvent(
      (repo) => repo.setTotpSecret(user.id, this.protector.encrypt(secret)),
      () => ({
        actor: toAuditActor(actor),
        action: 'auth.totp_setup',
        target: { kind: 'user', id: user.username },
      }),
    );
    return { secret, uri: totpUri(secret, user.username) };
  }

  /** Turns the second factor on with a current code from the app; from then on sign-in asks for one. */
  async totpConfirm(actor: Actor, input: TotpConfirmInput): Promise<{ totpEnabled: true; enabledAt: Date }> {
    const user = await this.own(actor);
    const { totp } = parseWith(TotpConfirmSchema, input);
    if (user.totp_enabled_at !== null) {
      throw new ConflictError(msg('auth.totp.on'), { rule: 'totp.enabled' });
    }
    if (user.totp_secret === null) {
      throw new ConflictError(msg('auth.totp.setup_first'), { rule: 'totp.setup_first' });
    }
    const now = this.now();
    const step = totpStep(this.protector.decrypt(user.totp_secret), totp, now);
    if (step === undefined) {
      throw new ForbiddenError(msg('auth.totp.not_current'), { field: 'totp', rule: 'auth.totp' });
    }
    await this.withEvent(
      (repo) => repo.enableTotp(user.id, now, step),
      () => ({
        actor: toAuditActor(actor),
        action: 'auth.totp_enable',
        target: { kind: 'user', id: user.username },
      }),
    );
    return { totpEnabled: true, enabledAt: now };
  }

  /** Turns the caller's second factor off, given the password and a current code. */
  async totpDisable(actor: Actor, input: TotpDisableInput): Promise<{ totpEnabled: false }> {
    const user = await this.own(actor);
    const { password, totp } = parseWith(TotpDisableSchema, input);
    if (user.totp_enabled_at === null) {
      throw new ConflictError(msg('auth.totp.off'), { rule: 'totp.not_enabled' });
    }
    await this.proveAgain(actor, user, { password, totp }, 'totp_disable', 'password');
    await this.withEvent(
      (repo) => repo.clearTotp(user.id),
      () => ({
        actor: toAuditActor(actor),
        action: 'auth.totp_disable',
        target: { kind: 'user', id: user.username },
      }),
    );
    return { totpEnabled: false };
  }
}
