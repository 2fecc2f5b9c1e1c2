/**
 * The rules of signing in that need no database (GB/T 22239-2019 §8.1.4.1 asks for each): when an
 * account is locked, when a password is too old, who must have a second factor, when a session has
 * been idle too long. The figures come from the configuration.
 */
import type { SecondFactorRule, SignInConfig } from '../../platform/index.ts';
import type { UserRow } from './auth.repository.ts';
import type { Role, SignInStep } from './auth.types.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A session's last use is written at most this often: a busy session does not write on every request. */
export const SESSION_TOUCH_MS = MINUTE;

/** Whether the role must sign in with a second factor under `rule`. */
export function secondFactorRequired(rule: SecondFactorRule, role: Role): boolean {
  switch (rule) {
    case 'off':
      return false;
    case 'all':
      return true;
    case 'admins':
      // Those who hold the keys: who manages accounts, and who reads the audit trail.
      return role === 'platform_admin' || role === 'auditor';
  }
}

export function isLocked(user: Pick<UserRow, 'locked_until'>, now: Date): boolean {
  return user.locked_until !== null && user.locked_until > now;
}

/**
 * Whether the password has outlived its maximum age. The demo accounts' password is published
 * anyway: they have none, so that the demo never asks for a change.
 */
export function passwordExpired(
  user: Pick<UserRow, 'demo' | 'password_changed_at'>,
  policy: SignInConfig,
  now: Date,
): boolean {
  return (
    !user.demo &&
    policy.passwordMaxAgeDays > 0 &&
    user.password_changed_at.getTime() + policy.passwordMaxAgeDays * DAY <= now.getTime()
  );
}

/** The steps of signing in the user has still to take, in the order they are asked for. */
export function pendingSteps(user: UserRow, policy: SignInConfig, now: Date): SignInStep[] {
  const steps: SignInStep[] = [];
  if (user.must_change_password || passwordExpired(user, policy, now)) {
    steps.push('password_change');
  }
  if (secondFactorRequired(policy.requireSecondFactor, user.role as Role) && user.totp_enabled_at === null) {
    steps.push('totp_enrolment');
  }
  return steps;
}

/** Whether a session last used at `lastSeen` has been idle long enough to have ended. */
export function sessionIdle(lastSeen: Date, policy: SignInConfig, now: Date): boolean {
  return lastSeen.getTime() + policy.sessionIdleMinutes * MINUTE <= now.getTime();
}

/** The window in which failures are counted, and the lock one more would start. */
export function lockWindow(
  policy: SignInConfig,
  now: Date,
): { now: Date; windowStart: Date; lockUntil: Date; max: number } {
  return {
    now,
    windowStart: new Date(now.getTime() - policy.lockMinutes * MINUTE),
    lockUntil: new Date(now.getTime() + policy.lockMinutes * MINUTE),
    max: policy.maxFailures,
  };
}
