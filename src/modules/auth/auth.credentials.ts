/**
 * Proving who one is: the password and, once the account has one, the second factor's current
 * code, against the lock. Signing in and the changes that ask for the password again (a new
 * password, turning the second factor off) share it, so that guessing through a session counts as
 * guessing at the door.
 */
import type { Kysely } from 'kysely';
import {
  msg,
  UnauthorizedError,
  type AuditActor,
  type AuditWriter,
  type DataProtector,
  type Schema,
  type SignInConfig,
} from '../../platform/index.ts';
import { AuthRepository, type UserRow } from './auth.repository.ts';
import { dummyPasswordHash, verifyPassword } from './auth.secrets.ts';
import { isLocked, lockWindow } from './auth.signin.ts';
import { totpStep } from './auth.totp.ts';

export type FailureReason =
  'unknown_user' | 'disabled' | 'locked' | 'wrong_password' | 'totp_missing' | 'totp_wrong' | 'totp_replay';

/** Failures that may be someone guessing: they count toward the lock. */
const COUNTED: ReadonlySet<FailureReason> = new Set([
  'wrong_password',
  'totp_missing',
  'totp_wrong',
  'totp_replay',
]);

/** Whether the password was right and the second factor's code was not (missing, wrong or used). */
export function secondFactorFailed(reason: FailureReason): boolean {
  return reason === 'totp_missing' || reason === 'totp_wrong' || reason === 'totp_replay';
}

/**
 * What a refused sign-in is told: nothing of why (a locked account hears what a wrong password
 * does, in every language), but that the second factor's code was wanted.
 */
export function loginRefusal(reason: FailureReason): UnauthorizedError {
  if (!secondFactorFailed(reason)) {
    return new UnauthorizedError(msg('auth.credentials'), { rule: 'auth.credentials' });
  }
  return new UnauthorizedError(msg(reason === 'totp_missing' ? 'auth.totp.missing' : 'auth.totp.wrong'), {
    field: 'totp',
    rule: 'auth.totp',
  });
}

export type Proof = { ok: true } | { ok: false; reason: FailureReason };

export interface Attempt {
  password: string;
  totp?: string | undefined;
}

/** The event a failed proof leaves; its reason (and the count toward the lock) is added. */
export interface FailureEvent {
  actor: AuditActor;
  action: string;
  target: { kind: string; id: string };
  details: Record<string, unknown>;
}

export class Credentials {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly policy: SignInConfig,
    private readonly now: () => Date,
  ) {}

  /**
   * Checks an attempt against `user` (undefined: no such name). `secondFactor`: ask for the code
   * when the account has a second factor on (a change of password asks for the password only).
   * A code that passes is used up.
   */
  async prove(
    user: UserRow | undefined,
    attempt: Attempt,
    options: { secondFactor: boolean },
  ): Promise<Proof> {
    // Verified even for a name that does not exist: the time an answer takes tells nothing.
    const passwordOk = await verifyPassword(
      user?.password_hash ?? (await dummyPasswordHash()),
      attempt.password,
    );
    const now = this.now();
    const refused = (reason: FailureReason): Proof => ({ ok: false, reason });
    if (user === undefined) {
      return refused('unknown_user');
    }
    if (user.disabled_at !== null) {
      return refused('disabled');
    }
    if (isLocked(user, now)) {
      return refused('locked');
    }
    if (!passwordOk) {
      return refused('wrong_password');
    }
    if (!options.secondFactor || user.totp_enabled_at === null || user.totp_secret === null) {
      return { ok: true };
    }
    if (attempt.totp === undefined) {
      return refused('totp_missing');
    }
    const step = totpStep(this.protector.decrypt(user.totp_secret), attempt.totp, now);
    if (step === undefined) {
      return refused('totp_wrong');
    }
    // Taken in one statement: of two requests with the same code, one passes.
    if (!(await new AuthRepository(this.db).acceptTotpStep(user.id, step))) {
      return refused('totp_replay');
    }
    return { ok: true };
  }

  /**
   * Records a failed proof: its event with the reason and, for a failure that may be guessing, a
   * count toward the lock, and the lock's own event when this failure starts it.
   */
  async recordFailure(user: UserRow | undefined, reason: FailureReason, event: FailureEvent): Promise<void> {
    const at = lockWindow(this.policy, this.now());
    await this.db.transaction().execute(async (trx) => {
      const count =
        user !== undefined && COUNTED.has(reason)
          ? await new AuthRepository(trx).countFailure(user.id, at)
          : undefined;
      await this.audit.append(trx, {
        ...event,
        details: { ...event.details, reason, ...(count === undefined ? {} : { failures: count.failures }) },
      });
      if (count !== undefined && count.failures === at.max) {
        await this.audit.append(trx, {
          actor: event.actor,
          action: 'auth.lockout',
          target: event.target,
          details: {
            ...event.details,
            failures: count.failures,
            minutes: this.policy.lockMinutes,
            until: count.lockedUntil?.toISOString() ?? null,
          },
        });
      }
    });
  }
}
