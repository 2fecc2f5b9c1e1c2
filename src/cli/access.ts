/** `xinyong token|user|department|institution|demo`: the operator's side of access. */
import { randomBytes } from 'node:crypto';
import { parseDuration, type Actor } from '../modules/auth/index.ts';
import { msg, ValidationError, type Config } from '../platform/index.ts';
import { withContainer } from './with-container.ts';
import { sayWarn, tr } from './say.ts';

type Out = (line: string) => void;
const OPERATOR: Actor = { kind: 'system', name: 'cli' };

export interface TokenOptions {
  department?: string;
  institution?: string;
  role: string;
  name?: string;
  expires: string;
}

export async function tokenCreate(config: Config, opts: TokenOptions, out: Out): Promise<void> {
  const ms = parseDuration(opts.expires);
  if (ms === undefined) {
    throw new ValidationError(msg('cli.token.bad_duration', { value: opts.expires }), {
      field: 'expires',
      value: opts.expires,
      rule: 'duration',
    });
  }
  const days = Math.max(1, Math.ceil(ms / 86_400_000));
  await withContainer(config, async (c) => {
    const created = await c.auth.createToken(OPERATOR, {
      name: opts.name ?? `${opts.department ?? opts.institution ?? 'system'} ${opts.role}`,
      role: opts.role as never,
      department: opts.department,
      institution: opts.institution,
      expiresInDays: days,
    });
    out(created.token);
    sayWarn('cli.token.created', {
      id: created.id,
      role: created.role,
      owner: created.department ?? created.institution ?? '',
      expires: created.expiresAt.toISOString(),
    });
    sayWarn('cli.token.shown_once');
  });
}

export async function tokenList(config: Config, department: string | undefined, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const t of await c.auth.tokens(OPERATOR, department)) {
      out(
        `${String(t.id).padStart(4)}  ${t.prefix}…  ${t.status.padEnd(7)}  ${t.role.padEnd(16)} ${t.department ?? t.institution ?? ''}  ${t.name}  ${tr('cli.token.expires', { time: t.expiresAt.toISOString() })}`,
      );
    }
  });
}

export async function tokenRevoke(config: Config, id: number, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const t = await c.auth.revokeToken(OPERATOR, id);
    out(tr('cli.token.revoked', { id: t.id, prefix: t.prefix, time: t.revokedAt?.toISOString() ?? '' }));
  });
}

export interface UserOptions {
  username: string;
  name: string;
  role: string;
  department?: string;
  institution?: string;
  subject?: string;
}

/** Creates a user with a generated password, printed once, to be changed at the first sign-in. */
export async function userCreate(config: Config, opts: UserOptions, out: Out): Promise<void> {
  const password = randomBytes(12).toString('base64url');
  await withContainer(config, async (c) => {
    const user = await c.auth.createUser(
      OPERATOR,
      {
        username: opts.username,
        displayName: opts.name,
        password,
        role: opts.role as never,
        department: opts.department,
        institution: opts.institution,
        subject: opts.subject,
      },
      // The operator has seen it: the person replaces it at the first sign-in.
      { mustChangePassword: true },
    );
    out(tr('cli.user.created', { username: user.username, role: user.role, password }));
  });
}

/** Every account, one a line: never a password hash or a secret. */
export async function userList(config: Config, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const u of await c.accounts.list(OPERATOR)) {
      const belongs = u.department ?? u.institution ?? u.subject ?? '';
      const notes = [
        u.status === 'locked'
          ? tr('cli.user.locked_until', { time: u.lockedUntil?.toISOString() ?? '' })
          : u.status,
        ...(u.mustChangePassword ? [tr('cli.user.must_change_password')] : []),
        ...(u.totpEnabled ? [tr('cli.user.second_factor')] : []),
        ...(u.demo ? [tr('cli.user.demo')] : []),
      ];
      out(
        `${String(u.id).padStart(4)}  ${u.username.padEnd(20)} ${u.role.padEnd(16)} ${belongs.padEnd(18)} ${notes.join(tr('cli.separator.comma'))}`,
      );
    }
  });
}

/**
 * A new generated password, printed once, to be changed at the next sign-in; the user's sessions
 * end. `removeTotp`: the person lost the device of their second factor.
 */
export async function userResetPassword(
  config: Config,
  username: string,
  opts: { removeTotp?: boolean },
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const { password, sessionsEnded } = await c.accounts.resetPassword(
      OPERATOR,
      { username },
      { removeSecondFactor: opts.removeTotp === true },
    );
    out(
      tr('cli.user.reset', {
        username,
        sessions: msg(sessionsEnded === 1 ? 'cli.user.session_ended' : 'cli.user.sessions_ended', {
          count: sessionsEnded,
        }),
        totp: opts.removeTotp === true ? msg('cli.user.totp_removed') : '',
        password,
      }),
    );
  });
}

export async function userDisable(config: Config, username: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    await c.accounts.disable(OPERATOR, { username });
    out(tr('cli.user.disabled', { username }));
  });
}

/** Enables a disabled account, or lifts the lock of failed sign-ins. */
export async function userEnable(config: Config, username: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const u = await c.accounts.enable(OPERATOR, { username });
    out(tr('cli.user.enabled', { username: u.username }));
  });
}

export interface DepartmentOptions {
  code: string;
  name: string;
  division: string;
  level: string;
  uscc: string;
  domains?: string;
}

export async function departmentUpdate(
  config: Config,
  code: string,
  opts: { name?: string; uscc?: string; domains?: string },
  out: Out,
): Promise<void> {
  await withContainer(config, async (c) => {
    const d = await c.auth.updateDepartment(OPERATOR, code, {
      name: opts.name,
      uscc: opts.uscc,
      domains: opts.domains === undefined ? undefined : splitList(opts.domains),
    });
    const none = tr('cli.department.none');
    out(
      tr('cli.department.updated', {
        code: d.code,
        name: d.name,
        uscc: d.uscc ?? none,
        domains: d.domains.join(', ') || none,
      }),
    );
  });
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export async function departmentCreate(config: Config, opts: DepartmentOptions, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const d = await c.auth.createDepartment(OPERATOR, {
      code: opts.code,
      name: opts.name,
      division: opts.division,
      level: opts.level as never,
      uscc: opts.uscc,
      domains: opts.domains === undefined ? [] : splitList(opts.domains),
    });
    out(tr('cli.department.created', { code: d.code, name: d.name, level: d.level, division: d.division }));
  });
}

export async function departmentList(config: Config, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const d of await c.auth.departments(OPERATOR)) {
      out(
        `${d.code.padEnd(12)} ${d.name}  ${d.level} ${d.division}  ${tr('cli.department.domains', { domains: d.domains.join(', ') || '-' })}${d.demo ? tr('cli.department.demo') : ''}`,
      );
    }
  });
}

export async function demoRemove(config: Config, out: Out): Promise<void> {
  await withContainer({ ...config, mode: 'demo' }, async (c) => {
    out(tr('cli.demo.removed', { count: await c.auth.deleteDemo(OPERATOR) }));
  });
}
