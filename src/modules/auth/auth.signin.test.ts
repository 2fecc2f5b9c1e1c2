/**
 * Sign-in protection on the service, with the clock in the test's hand: the lock after repeated
 * failures and its end, the password policy, the password's maximum age, idle sessions, and the
 * second factor at sign-in (a right code, a wrong one, one used twice).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testAudit, testProtector, useTestDatabase } from '../../../test/support/database.ts';
import { authorize } from './auth.policy.ts';
import { AccountService } from './auth.accounts.ts';
import { AuthService, type AuthOptions } from './auth.service.ts';
import { totpCode } from './auth.totp.ts';
import type { Actor } from './auth.types.ts';
import type { AppError } from '../../platform/index.ts';

const db = useTestDatabase();
const OPERATOR: Actor = { kind: 'system', name: 'test' };
const PASSWORD = 'correct horse battery';
const protector = testProtector();

/** An auth service and an account service on one clock, which the test moves. */
function services(options: Omit<AuthOptions, 'now'> = {}) {
  const clock = { now: new Date('2026-11-22T08:00:00Z') };
  const opts = { ...options, now: () => clock.now };
  const audit = testAudit(db());
  return {
    clock,
    auth: new AuthService(db().db, audit, protector, opts),
    accounts: new AccountService(db().db, audit, protector, opts),
    advance: (ms: number) => {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
}

const MINUTE = 60_000;
const DAY = 86_400_000;
let users = 0;

async function newUser(auth: AuthService, role: 'auditor' | 'platform_admin' = 'auditor'): Promise<string> {
  users += 1;
  const username = `person.${users}`;
  await auth.createUser(OPERATOR, { username, displayName: `某人${users}`, password: PASSWORD, role });
  return username;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

/** A six-digit code that is none of the codes of the steps around `now`. */
function notACode(secret: string, now: Date): string {
  const near = [-30_000, 0, 30_000].map((d) => totpCode(secret, new Date(now.getTime() + d)));
  return ['000000', '111111', '222222', '333333'].find((c) => !near.includes(c)) ?? '444444';
}

async function events(action: string, target: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await sql<{ details: Record<string, unknown> }>`
    select details from audit_event where action = ${action} and target_id = ${target} order by seq`.execute(
    db().db,
  );
  return rows.map((r) => r.details);
}

describe('the lock after failed sign-ins', () => {
  it('locks after 5 failures in 15 minutes, answering exactly as a wrong password, and ends by itself', async () => {
    const { auth, advance } = services();
    const username = await newUser(auth);
    const from = { address: '192.0.2.1' };
    const wrong = await refusal(auth.login({ username, password: 'not the password' }, from));
    for (let i = 0; i < 4; i += 1) {
      advance(MINUTE);
      await refusal(auth.login({ username, password: 'not the password' }, from));
    }
    // Locked now: the right password is refused, with the very answer a wrong one gets.
    const locked = await refusal(auth.login({ username, password: PASSWORD }));
    const unknown = await refusal(auth.login({ username: 'nobody.at.all', password: PASSWORD }));
    expect(locked.status).toBe(401);
    expect(JSON.stringify(locked.toBody())).toBe(JSON.stringify(wrong.toBody()));
    expect(JSON.stringify(locked.toBody())).toBe(JSON.stringify(unknown.toBody()));
    expect(locked.toBody()).toEqual({
      error: 'unauthorized',
      message: 'wrong username or password',
      rule: 'auth.credentials',
    });
    // The same answer in Chinese too: no language tells a locked account from a wrong password.
    expect(JSON.stringify(locked.toBody('zh-CN'))).toBe(JSON.stringify(wrong.toBody('zh-CN')));
    expect(JSON.stringify(locked.toBody('zh-CN'))).toBe(JSON.stringify(unknown.toBody('zh-CN')));
    expect(locked.toBody('zh-CN')).toEqual({
      error: 'unauthorized',
      message: '用户名或密码错误',
      rule: 'auth.credentials',
    });
    const failed = await events('auth.login_failed', username);
    expect(failed.map((e) => [e.reason, e.failures])).toEqual([
      ['wrong_password', 1],
      ['wrong_password', 2],
      ['wrong_password', 3],
      ['wrong_password', 4],
      ['wrong_password', 5],
      ['locked', undefined],
    ]);
    expect(await events('auth.lockout', username)).toEqual([
      { failures: 5, minutes: 15, until: '2026-11-22T08:19:00.000Z', address: '192.0.2.1' },
    ]);
    // Attempts while locked do not lengthen the lock; it ends 15 minutes after the fifth failure.
    advance(14 * MINUTE);
    expect((await refusal(auth.login({ username, password: PASSWORD }))).rule).toBe('auth.credentials');
    advance(MINUTE);
    expect((await auth.login({ username, password: PASSWORD })).actor).toMatchObject({ username });
  });

  it('counts failures within the window only, and forgets them at a successful sign-in', async () => {
    const { auth, advance } = services({ signIn: { maxFailures: 3, lockMinutes: 10 } });
    const username = await newUser(auth);
    const fail = () => refusal(auth.login({ username, password: 'not the password' }));
    await fail();
    await fail();
    advance(11 * MINUTE); // the window is over: counting starts again
    await fail();
    await fail();
    await auth.login({ username, password: PASSWORD });
    await fail();
    await fail();
    expect((await auth.login({ username, password: PASSWORD })).actor).toMatchObject({ username });
    await fail();
    await fail();
    await fail();
    expect((await refusal(auth.login({ username, password: PASSWORD }))).rule).toBe('auth.credentials');
    expect((await events('auth.login_failed', username)).at(-1)).toMatchObject({ reason: 'locked' });
  });

  it('is lifted by an administrator enabling the account', async () => {
    const { auth, accounts } = services({ signIn: { maxFailures: 1 } });
    const username = await newUser(auth);
    await refusal(auth.login({ username, password: 'not the password' }));
    expect((await accounts.list(OPERATOR)).find((u) => u.username === username)).toMatchObject({
      status: 'locked',
    });
    expect(await accounts.enable(OPERATOR, { username })).toMatchObject({
      status: 'active',
      lockedUntil: null,
    });
    expect((await auth.login({ username, password: PASSWORD })).actor).toMatchObject({ username });
  });
});

describe('the password policy', () => {
  it('refuses a short password and the username, naming the field and the rule, and writes nothing', async () => {
    const { auth } = services();
    const before = await sql<{ n: number }>`select count(*) as n from audit_event`.execute(db().db);
    const base = { displayName: '某人', role: 'auditor' as const };
    const short = await refusal(
      auth.createUser(OPERATOR, { ...base, username: 'short.pw', password: 'elevenchars' }),
    );
    expect(short.toBody()).toEqual({
      error: 'validation_failed',
      message: 'password: at least 12 characters',
      field: 'password',
      rule: 'too_small',
    });
    const same = await refusal(
      auth.createUser(OPERATOR, { ...base, username: 'Same.As.Name', password: 'same.as.NAME' }),
    );
    expect(same.toBody()).toEqual({
      error: 'validation_failed',
      message: 'password: must not be the username',
      field: 'password',
      rule: 'password.username',
    });
    const after = await sql<{ n: number }>`select count(*) as n from audit_event`.execute(db().db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    expect(await auth.countUsers()).toBe(users);
  });
});

describe("a password's maximum age", () => {
  it('lets an expired password sign in to change it and do nothing else', async () => {
    const { auth, accounts, advance } = services();
    const username = await newUser(auth, 'platform_admin');
    advance(89 * DAY);
    expect((await auth.login({ username, password: PASSWORD })).actor).not.toHaveProperty('pending');
    advance(DAY);
    const { session, actor } = await auth.login({ username, password: PASSWORD });
    expect(actor).toMatchObject({ pending: ['password_change'] });
    expect(await auth.actorFromSession(session)).toMatchObject({ pending: ['password_change'] });
    const refused = await refusal(accounts.list(actor));
    expect(refused.status).toBe(403);
    expect(refused.rule).toBe('auth.password_change_required');
    expect(() => authorize(actor, 'organisation.read')).toThrow(/password must be changed first/);
    await accounts.changePassword(
      actor,
      { currentPassword: PASSWORD, newPassword: 'a brand new password' },
      session,
    );
    const after = await auth.actorFromSession(session);
    expect(after).toBeDefined();
    expect(after).not.toHaveProperty('pending');
    expect((await accounts.list(after as Actor)).length).toBeGreaterThan(0);
  });

  it('never asks the demo accounts, whose password is published anyway', async () => {
    const { auth, advance } = services();
    await auth.createUser(
      OPERATOR,
      { username: 'demo.someone', displayName: '演示', password: PASSWORD, role: 'auditor' },
      { demo: true },
    );
    advance(1000 * DAY);
    expect((await auth.login({ username: 'demo.someone', password: PASSWORD })).actor).not.toHaveProperty(
      'pending',
    );
  });

  it('can be turned off', async () => {
    const { auth, advance } = services({ signIn: { passwordMaxAgeDays: 0 } });
    const username = await newUser(auth);
    advance(1000 * DAY);
    expect((await auth.login({ username, password: PASSWORD })).actor).not.toHaveProperty('pending');
  });
});

describe('an idle session', () => {
  it('ends after 30 minutes without use, and use keeps it going (written at most once a minute)', async () => {
    const { auth, advance } = services();
    const username = await newUser(auth);
    const { session } = await auth.login({ username, password: PASSWORD });
    const lastSeen = async () =>
      (
        await sql<{ last_seen_at: Date }>`
          select last_seen_at from user_session s join app_user u on u.id = s.user_id
          where u.username = ${username}`.execute(db().db)
      ).rows[0]?.last_seen_at.toISOString();
    advance(30_000);
    expect(await auth.actorFromSession(session)).toBeDefined();
    expect(await lastSeen()).toBe('2026-11-22T08:00:00.000Z'); // not written: less than a minute
    advance(29 * MINUTE);
    expect(await auth.actorFromSession(session)).toBeDefined();
    expect(await lastSeen()).toBe('2026-11-22T08:29:30.000Z');
    advance(29 * MINUTE);
    expect(await auth.actorFromSession(session)).toBeDefined();
    advance(30 * MINUTE);
    expect(await auth.actorFromSession(session)).toBeUndefined();
  });
});

describe('the second factor at sign-in', () => {
  it('asks for a current code once it is on, and takes each code once', async () => {
    const { auth, accounts, clock, advance } = services();
    const username = await newUser(auth);
    const { actor } = await auth.login({ username, password: PASSWORD });
    const { secret, uri } = await accounts.totpSetup(actor);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/Xinyong:${username}\\?`));
    expect(uri).toContain(`secret=${secret}`);
    // Sealed at rest, never in clear; in no event.
    const stored = await sql<{ totp_secret: string }>`
      select totp_secret from app_user where username = ${username}`.execute(db().db);
    expect(stored.rows[0]?.totp_secret).toMatch(/^v1\./);
    expect(stored.rows[0]?.totp_secret).not.toContain(secret);
    const wrongConfirm = await refusal(accounts.totpConfirm(actor, { totp: notACode(secret, clock.now) }));
    expect(wrongConfirm.toBody()).toMatchObject({ error: 'forbidden', field: 'totp', rule: 'auth.totp' });
    await accounts.totpConfirm(actor, { totp: totpCode(secret, clock.now) });

    advance(30_000);
    const missing = await refusal(auth.login({ username, password: PASSWORD }));
    expect(missing.toBody()).toMatchObject({ error: 'unauthorized', field: 'totp', rule: 'auth.totp' });
    const wrong = await refusal(
      auth.login({ username, password: PASSWORD, totp: notACode(secret, clock.now) }),
    );
    expect(wrong.toBody()).toMatchObject({ error: 'unauthorized', field: 'totp', rule: 'auth.totp' });
    expect(wrong.status).toBe(401);
    const code = totpCode(secret, clock.now);
    expect((await auth.login({ username, password: PASSWORD, totp: code })).actor).toMatchObject({
      username,
    });
    const replayed = await refusal(auth.login({ username, password: PASSWORD, totp: code }));
    expect(replayed.toBody()).toMatchObject({ rule: 'auth.totp' });
    // A wrong password with a right code: the code is not even looked at.
    advance(30_000);
    const wrongPassword = await refusal(
      auth.login({ username, password: 'not the password', totp: totpCode(secret, clock.now) }),
    );
    expect(wrongPassword.rule).toBe('auth.credentials');
    // Each counted toward the lock (the sign-in between them forgot the first two).
    expect((await events('auth.login_failed', username)).map((e) => [e.reason, e.failures])).toEqual([
      ['totp_missing', 1],
      ['totp_wrong', 2],
      ['totp_replay', 1],
      ['wrong_password', 2],
    ]);
    const secretsSeen = await sql<{ details: unknown }>`select details from audit_event`.execute(db().db);
    expect(JSON.stringify(secretsSeen.rows)).not.toContain(secret);
    expect(JSON.stringify(secretsSeen.rows)).not.toContain(PASSWORD);
  });

  it('is turned off with the password and a current code, each wrong one refused and counted', async () => {
    const { auth, accounts, clock, advance } = services();
    const username = await newUser(auth);
    const { actor } = await auth.login({ username, password: PASSWORD });
    const first = await accounts.totpSetup(actor);
    // Set up again before it is confirmed: the new secret replaces the first.
    const { secret } = await accounts.totpSetup(actor);
    expect(secret).not.toBe(first.secret);
    expect(
      (await refusal(accounts.totpConfirm(actor, { totp: totpCode(first.secret, clock.now) }))).rule,
    ).toBe('auth.totp');
    await accounts.totpConfirm(actor, { totp: totpCode(secret, clock.now) });
    expect((await refusal(accounts.totpSetup(actor))).toBody()).toMatchObject({
      error: 'conflict',
      rule: 'totp.enabled',
    });
    advance(30_000);
    const wrongPassword = await refusal(
      accounts.totpDisable(actor, { password: 'not the password', totp: totpCode(secret, clock.now) }),
    );
    expect(wrongPassword.toBody()).toEqual({
      error: 'forbidden',
      message: 'password: the password is wrong',
      field: 'password',
      rule: 'auth.credentials',
    });
    expect(
      await accounts.totpDisable(actor, { password: PASSWORD, totp: totpCode(secret, clock.now) }),
    ).toEqual({
      totpEnabled: false,
    });
    expect(
      (await events('auth.reauth_failed', username)).map((e) => [e.purpose, e.reason, e.failures]),
    ).toEqual([['totp_disable', 'wrong_password', 1]]);
    advance(30_000);
    expect((await auth.login({ username, password: PASSWORD })).actor).toMatchObject({ username });
  });
});
