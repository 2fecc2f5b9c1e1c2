import { describe, expect, it } from 'vitest';
import { testAudit, testProtector, useTestDatabase } from '../../../test/support/database.ts';
import {
  ForbiddenError,
  RuleViolationError,
  UnauthorizedError,
  type AppError,
} from '../../platform/index.ts';
import { authorize } from './auth.policy.ts';
import { AuthService, type AuthOptions } from './auth.service.ts';
import { DEMO_PASSWORD, seedDemo } from './auth.demo.ts';
import type { Actor } from './auth.types.ts';

const db = useTestDatabase();
const OPERATOR: Actor = { kind: 'system', name: 'test' };
const protector = testProtector();
const service = (options: AuthOptions = {}) => new AuthService(db().db, testAudit(db()), protector, options);

async function refused(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

describe('accounts and sessions', () => {
  it('seeds the demo organisations and one account per role', async () => {
    const auth = service();
    const created = await seedDemo(auth);
    expect(created).toHaveLength(9);
    expect(await auth.countUsers({ demo: true })).toBe(9);
    const departments = await auth.departments(OPERATOR);
    expect(departments.map((d) => d.code)).toEqual(['FZ-FGW', 'FZ-FY', 'FZ-SCJG', 'FZ-SW', 'GL-ZJ']);
    // Each with its own unified code: the source code its rows must give.
    expect(departments.every((d) => d.uscc !== null && /^11\d{6}[0-9A-Z]{10}$/.test(d.uscc))).toBe(true);
    expect(departments.find((d) => d.code === 'FZ-FY')?.domains).toEqual(['judicial']);
  });

  it('signs a person in and resolves the session to an actor with its department', async () => {
    const auth = service();
    const { session, actor } = await auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD });
    expect(actor).toMatchObject({
      kind: 'user',
      role: 'data_clerk',
      department: { code: 'FZ-SCJG', domains: ['market_supervision', 'food_drug'] },
    });
    expect(await auth.actorFromSession(session)).toEqual(actor);
    await auth.logout(session);
    expect(await auth.actorFromSession(session)).toBeUndefined();
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const auth = service();
    const wrong = await refused(auth.login({ username: 'clerk.scjg', password: 'not the password' }));
    const unknown = await refused(auth.login({ username: 'nobody.here', password: 'not the password' }));
    expect(wrong).toBeInstanceOf(UnauthorizedError);
    expect(JSON.stringify(wrong.toBody())).toBe(JSON.stringify(unknown.toBody()));
    expect(wrong.toBody()).toEqual({
      error: 'unauthorized',
      message: 'wrong username or password',
      rule: 'auth.credentials',
    });
  });

  it('ends a session when it expires, however busy it is', async () => {
    let now = new Date('2026-11-22T08:00:00Z');
    const auth = service({ now: () => now, signIn: { sessionIdleMinutes: 720 } });
    const { session } = await auth.login({ username: 'auditor', password: DEMO_PASSWORD });
    now = new Date('2026-11-22T19:59:00Z');
    expect(await auth.actorFromSession(session)).toBeDefined();
    now = new Date('2026-11-22T20:00:01Z');
    expect(await auth.actorFromSession(session)).toBeUndefined();
  });

  it('keeps people in their organisations', async () => {
    const auth = service();
    const base = { username: 'someone', displayName: '某人', password: 'a long enough password' };
    expect(
      (await refused(auth.createUser(OPERATOR, { ...base, role: 'data_clerk' }))).toBody(),
    ).toMatchObject({ rule: 'user.department', field: 'department' });
    expect(
      (await refused(auth.createUser(OPERATOR, { ...base, role: 'auditor', department: 'FZ-SW' }))).toBody(),
    ).toMatchObject({ rule: 'user.department' });
    expect(
      (await refused(auth.createUser(OPERATOR, { ...base, role: 'reviewer', department: 'NOPE' }))).toBody(),
    ).toMatchObject({ rule: 'user.department', value: 'NOPE' });
    expect(
      (await refused(auth.createUser(OPERATOR, { ...base, password: 'short', role: 'auditor' }))).toBody(),
    ).toMatchObject({ field: 'password' });
    const clerk = (await auth.login({ username: 'clerk.sw', password: DEMO_PASSWORD })).actor;
    expect(await refused(auth.createUser(clerk, { ...base, role: 'auditor' }))).toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('API tokens', () => {
  it('acts for its department and nowhere else', async () => {
    const auth = service();
    const created = await auth.createToken(OPERATOR, {
      name: '市场监管报送系统',
      role: 'data_clerk',
      department: 'FZ-SCJG',
    });
    expect(created.token).toMatch(/^xy_[A-Za-z0-9_-]{43}$/);
    const actor = await auth.actorFromToken(created.token);
    expect(actor).toMatchObject({ kind: 'token', role: 'data_clerk', department: { code: 'FZ-SCJG' } });
    expect(authorize(actor, 'record.submit', { department: 'FZ-SCJG' }).allowed).toBe(true);
    const err = await refused(
      Promise.resolve().then(() => authorize(actor, 'record.submit', { department: 'FZ-SW' })),
    );
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.toBody()).toEqual({
      error: 'forbidden',
      message: 'data_clerk may record.submit only own department',
      rule: 'policy.own_department',
    });
  });

  it('refuses unknown, revoked and expired tokens, each by its rule', async () => {
    let now = new Date('2026-11-22T08:00:00Z');
    const auth = service({ now: () => now });
    expect((await refused(auth.actorFromToken('xy_nothing'))).rule).toBe('token.unknown');
    const revoked = await auth.createToken(OPERATOR, { name: 'r', role: 'reviewer', department: 'FZ-SCJG' });
    await auth.revokeToken(OPERATOR, revoked.id);
    expect((await refused(auth.actorFromToken(revoked.token))).rule).toBe('token.revoked');
    const shortLived = await auth.createToken(OPERATOR, {
      name: 's',
      role: 'credit_officer',
      department: 'GL-ZJ',
      expiresInDays: 1,
    });
    expect((await auth.actorFromToken(shortLived.token)).kind).toBe('token');
    now = new Date('2026-11-23T08:00:01Z');
    const expired = await refused(auth.actorFromToken(shortLived.token));
    expect(expired.toBody()).toEqual({
      error: 'unauthorized',
      message: `API token ${shortLived.prefix}… expired on 2026-11-23T08:00:00.000Z`,
      rule: 'token.expired',
    });
  });

  it('belongs to a department or, for institution users, an institution', async () => {
    const auth = service();
    const noDepartment = await refused(auth.createToken(OPERATOR, { name: 'x', role: 'data_clerk' }));
    expect(noDepartment).toBeInstanceOf(RuleViolationError);
    expect(noDepartment.rule).toBe('token.owner');
    const both = await refused(
      auth.createToken(OPERATOR, {
        name: 'x',
        role: 'institution_user',
        institution: 'DEMO-BANK',
        department: 'FZ-SW',
      }),
    );
    expect(both.rule).toBe('token.owner');
    const bank = await auth.createToken(OPERATOR, {
      name: 'bank',
      role: 'institution_user',
      institution: 'DEMO-BANK',
    });
    expect(await auth.actorFromToken(bank.token)).toMatchObject({ institution: 'DEMO-BANK' });
  });

  it('lists a department its own tokens only, never their secrets', async () => {
    const auth = service();
    const reviewer = (await auth.login({ username: 'reviewer.scjg', password: DEMO_PASSWORD })).actor;
    const own = await auth.tokens(reviewer, 'FZ-SCJG');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((t) => t.department === 'FZ-SCJG')).toBe(true);
    expect(JSON.stringify(own)).not.toMatch(/xy_[A-Za-z0-9_-]{43}/);
    expect((await refused(auth.tokens(reviewer, 'FZ-SW'))).status).toBe(404);
    expect((await refused(auth.tokens(reviewer))).status).toBe(404);
  });

  it('removes the demo accounts with their organisations and tokens', async () => {
    const auth = service();
    expect(await auth.deleteDemo(OPERATOR)).toBe(9);
    expect(await auth.countUsers()).toBe(0);
    expect(await auth.departments(OPERATOR)).toEqual([]);
    expect(await auth.tokens(OPERATOR)).toEqual([]);
  });
});
