/**
 * `xinyong user list|reset-password|disable|enable`, and `user create`'s password to be changed at
 * the first sign-in: run as the command line runs them, on a test database named by the
 * environment.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCliDatabase, xinyong } from './support/cli.ts';

const cli = useCliDatabase();

afterEach(() => {
  vi.restoreAllMocks();
});

/** What signing in with `password` gives: the steps left, or the rule that refused it. */
async function signIn(username: string, password: string): Promise<string> {
  try {
    const { actor } = await cli.host().auth.login({ username, password });
    return actor.kind === 'user' ? (actor.pending ?? []).join(',') || 'signed in' : actor.kind;
  } catch (err) {
    return `refused: ${(err as { rule?: string }).rule ?? String(err)}`;
  }
}

const printedPassword = (out: string) => /shown only now[^:]*: (\S+)\n$/.exec(out)?.[1] ?? '';

describe('xinyong user', () => {
  let password = '';

  it('creates a person whose printed password must be changed at the first sign-in', async () => {
    const created = await xinyong(
      'user',
      'create',
      '--username',
      'ops.one',
      '--name',
      '运维审计',
      '--role',
      'auditor',
    );
    expect(created.code).toBe(0);
    password = printedPassword(created.out);
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await signIn('ops.one', password)).toBe('password_change');
  });

  it('lists every account, never a hash or a secret', async () => {
    const { code, out } = await xinyong('user', 'list');
    expect(code).toBe(0);
    expect(out).toMatch(/^\s+\d+ {2}ops\.one\s+auditor\s+active, must change password\n/m);
    expect(out).toMatch(/^\s+\d+ {2}clerk\.scjg\s+data_clerk\s+FZ-SCJG\s+active, demo\n/m);
    expect(out).not.toMatch(/argon2|\$/);
  });

  it('resets a password, printing the new one once; the old one stops working', async () => {
    const reset = await xinyong('user', 'reset-password', 'ops.one');
    expect(reset.code).toBe(0);
    expect(reset.out).toMatch(
      /^password of ops\.one reset \(1 session ended\); new password, shown only now/,
    );
    const fresh = printedPassword(reset.out);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await signIn('ops.one', password)).toBe('refused: auth.credentials');
    expect(await signIn('ops.one', fresh)).toBe('password_change');
    password = fresh;
  });

  it('disables and enables an account', async () => {
    expect((await xinyong('user', 'disable', 'ops.one')).out).toBe(
      'user ops.one disabled; its sessions ended\n',
    );
    expect(await signIn('ops.one', password)).toBe('refused: auth.credentials');
    const again = await xinyong('user', 'disable', 'ops.one');
    expect(again.code).toBe(1);
    expect(again.err).toBe('error: user ops.one is disabled already\n');
    expect((await xinyong('user', 'list')).out).toMatch(
      /ops\.one\s+auditor\s+disabled, must change password/,
    );
    expect((await xinyong('user', 'enable', 'ops.one')).out).toBe('user ops.one enabled\n');
    expect(await signIn('ops.one', password)).toBe('password_change');
  });

  it('names what it cannot find, and exits 1', async () => {
    const missing = await xinyong('user', 'reset-password', 'nobody.here');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('error: Not found or no access\n');
    const usage = await xinyong('user', 'disable');
    expect(usage.code).not.toBe(0);
    expect(usage.err).toContain("missing required argument 'username'");
  });
});
